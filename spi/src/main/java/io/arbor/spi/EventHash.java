package io.arbor.spi;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The hash of an event in its stream's chain (docs/tamper-evidence.md), the one definition the
 * store (on append and in the migration that chains older events), {@code arbor verify} and any
 * Java client use. Plain JDK, no JSON library, so it reads exactly what it is given.
 *
 * <p>An event's hash is the SHA-256 of the previous event's hash in its stream as 32 raw bytes (32
 * zero bytes for version 1: {@link #GENESIS}) followed by the UTF-8 bytes of the event's {@link
 * #canonicalEvent canonical JSON}: the object {@code {"data", "eventId", "metadata",
 * "schemaVersion", "streamId", "tags", "type", "version"}} of the stored form, without whitespace,
 * object members sorted by key in UTF-16 code-unit order ({@link String#compareTo}) at every depth,
 * strings escaped as RFC 8785 (JCS) does, numbers as their exact decimal value in plain notation
 * without trailing zeros in the fraction ({@link #canonicalNumber}). The canonical form depends on
 * the JSON value only, not on its text: the request's text at append time and the text PostgreSQL's
 * {@code jsonb} gives back (members reordered, {@code 1e2} as {@code 100}) hash the same.
 */
public final class EventHash {
    /** The previous hash of a stream's first event: 32 zero bytes. */
    public static final byte[] GENESIS = new byte[32];

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** How {@link #canonicalJson} reads: RFC 8259, strictly, with its errors' own wording. */
    private static final JsonCursor.Dialect RFC_8259 =
            new JsonCursor.Dialect(
                    JsonCursor.Grammar.RFC_8259,
                    new JsonCursor.Wording(
                            "an escape is not complete",
                            "a \\u escape is not complete",
                            "a \\u escape needs four hex digits",
                            " is expected",
                            "a value is expected",
                            "a member name is expected"),
                    (at, what) ->
                            new IllegalArgumentException(
                                    "Not canonicalisable JSON at character " + at + ": " + what));

    /**
     * Prints the canonical form: members sorted by name ({@link String#compareTo}), a name given
     * twice in one object refused, RFC 8785's strings, {@link #canonicalNumber}, no whitespace.
     */
    private static final JsonCursor.Printer CANONICAL =
            new JsonCursor.Printer(EventHash::string, EventHash::number, ",", SortedMembers::new);

    private EventHash() {}

    /** {@code SHA-256(previous ‖ canonicalEvent)}, the event's hash. */
    public static byte[] chain(byte[] previous, byte[] canonicalEvent) {
        if (previous == null || previous.length != 32) {
            throw new IllegalArgumentException("A previous hash is 32 bytes");
        }
        MessageDigest sha256 = sha256();
        sha256.update(previous);
        sha256.update(canonicalEvent);
        return sha256.digest();
    }

    /** The hash of one event, from its predecessor's hash and its stored content. */
    public static byte[] hash(
            byte[] previous,
            UUID eventId,
            String streamId,
            long version,
            String type,
            int schemaVersion,
            String data,
            String metadata,
            List<String> tags) {
        return chain(
                previous,
                canonicalEvent(
                        eventId, streamId, version, type, schemaVersion, data, metadata, tags));
    }

    /**
     * The UTF-8 bytes of the event's canonical JSON; {@code data} and {@code metadata} are JSON
     * texts (any formatting), {@code tags} in the writer's order.
     */
    public static byte[] canonicalEvent(
            UUID eventId,
            String streamId,
            long version,
            String type,
            int schemaVersion,
            String data,
            String metadata,
            List<String> tags) {
        StringBuilder out = new StringBuilder(64 + data.length() + metadata.length());
        out.append("{\"data\":");
        canonical(data, out);
        out.append(",\"eventId\":\"").append(eventId).append('"');
        out.append(",\"metadata\":");
        canonical(metadata, out);
        out.append(",\"schemaVersion\":").append(schemaVersion);
        out.append(",\"streamId\":");
        string(streamId, out);
        out.append(",\"tags\":[");
        for (int i = 0; i < tags.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            string(tags.get(i), out);
        }
        out.append("],\"type\":");
        string(type, out);
        out.append(",\"version\":").append(version).append('}');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The canonical text of a JSON text: the same value always gives the same text.
     *
     * @throws IllegalArgumentException when {@code json} is not one JSON value, has a member name
     *     twice in one object, or a string holding a lone UTF-16 surrogate
     */
    public static String canonicalJson(String json) {
        StringBuilder out = new StringBuilder(json.length());
        canonical(json, out);
        return out.toString();
    }

    /**
     * A JSON number's canonical text: its exact decimal value, plain notation, no trailing zeros in
     * the fraction, zero as {@code 0} ({@code 1.50}, {@code 15E-1} and {@code 1.5e0} give {@code
     * 1.5}; {@code 1e2} gives {@code 100}; {@code -0} gives {@code 0}).
     */
    public static String canonicalNumber(BigDecimal number) {
        return number.signum() == 0 ? "0" : number.stripTrailingZeros().toPlainString();
    }

    public static String toHex(byte[] hash) {
        char[] out = new char[hash.length * 2];
        for (int i = 0; i < hash.length; i++) {
            out[2 * i] = HEX[(hash[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[hash[i] & 0xf];
        }
        return new String(out);
    }

    /** The bytes of a hex text (either case); {@link IllegalArgumentException} if it is not hex. */
    public static byte[] fromHex(String hex) {
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("Odd number of hex digits");
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int high = Character.digit(hex.charAt(2 * i), 16);
            int low = Character.digit(hex.charAt(2 * i + 1), 16);
            if (high < 0 || low < 0) {
                throw new IllegalArgumentException("Not a hex text: " + hex);
            }
            out[i] = (byte) (high << 4 | low);
        }
        return out;
    }

    private static void canonical(String json, StringBuilder out) {
        JsonCursor in = new JsonCursor(json, RFC_8259);
        in.readValue(CANONICAL, out);
        in.skipWhitespace();
        if (!in.atEnd()) {
            throw in.error("content after the JSON value");
        }
    }

    /** A JSON string as RFC 8785 writes it. */
    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else if (Character.isHighSurrogate(c)
                            && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        throw new IllegalArgumentException(
                                "A lone UTF-16 surrogate (\\u"
                                        + Integer.toHexString(c)
                                        + ") has no UTF-8 form");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("Every Java platform has SHA-256", impossible);
        }
    }

    private static void number(String text, JsonCursor cursor, StringBuilder out) {
        try {
            out.append(canonicalNumber(new BigDecimal(text)));
        } catch (NumberFormatException | ArithmeticException outOfRange) {
            throw cursor.error("a number out of range");
        }
    }

    /** An object's members sorted by name, each name once. */
    private static final class SortedMembers implements JsonCursor.Members {
        private final Map<String, String> members = new TreeMap<>();

        @Override
        public void add(String name, String printedValue, JsonCursor cursor) {
            if (members.put(name, printedValue) != null) {
                throw cursor.error("the member \"" + name + "\" appears twice in one object");
            }
        }

        @Override
        public void print(StringBuilder out) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, String> member : members.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(member.getKey(), out);
                out.append(':').append(member.getValue());
            }
            out.append('}');
        }
    }
}
