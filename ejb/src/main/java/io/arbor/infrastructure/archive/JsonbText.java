package io.arbor.infrastructure.archive;

import io.arbor.spi.JsonCursor;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A JSON text as PostgreSQL prints the {@code jsonb} value it denotes: the one place where the two
 * tiers' texts are made the same (issue 20). A read of PostgreSQL hands out {@code jsonb}'s own
 * text ({@code {"n": 1.50}}); a segment holds compact JSON-P text of the same value ({@code
 * {"n":1.50}}, {@code 1E-7} for {@code 0.0000001}). Every event read from a segment goes through
 * {@link #of} so that the API answers the same bytes whichever tier held the range; PostgreSQL's
 * reads stay untouched (no cost on the hot path).
 *
 * <p>PostgreSQL 15's {@code jsonb} output ({@code JsonbToCString}): {@code ": "} after a key,
 * {@code ", "} between members and elements, object keys sorted shorter first then bytewise
 * (UTF-8), numbers as {@code numeric} prints them (plain notation, the value's scale), strings
 * escaped with {@code \" \\ \b \f \n \r \t} and {@code \\u00xx} (lowercase) for the other control
 * characters, everything else as is.
 *
 * <p>It reads the text with {@link JsonCursor} in that cursor's lenient grammar, which also takes
 * some text that is not JSON ({@code +1}, a raw control character in a string): a segment's text is
 * JSON-P's, so it is not a validator. An object's repeated key keeps its last value, as in {@code
 * jsonb}.
 */
public final class JsonbText {
    /**
     * How {@link #of} reads: leniently (a segment's text is JSON-P's, valid JSON), with its errors'
     * own wording.
     */
    private static final JsonCursor.Dialect SEGMENT_TEXT =
            new JsonCursor.Dialect(
                    JsonCursor.Grammar.LENIENT,
                    new JsonCursor.Wording(
                            "an escape is cut short",
                            "a \\u escape is cut short",
                            "a \\u escape is not hex",
                            " expected",
                            "not a JSON value",
                            "a key is missing"),
                    (at, what) ->
                            new IllegalArgumentException(
                                    "Not one JSON value (" + what + " at " + at + ")"));

    /** Prints as {@code jsonb} does: see the class comment. */
    private static final JsonCursor.Printer JSONB =
            new JsonCursor.Printer(
                    (value, out) -> escape(out, value), JsonbText::number, ", ", JsonbMembers::new);

    private JsonbText() {}

    /**
     * {@code json}'s value in PostgreSQL's {@code jsonb} text.
     *
     * @throws IllegalArgumentException when {@code json} is not one JSON value
     */
    public static String of(String json) {
        JsonCursor in = new JsonCursor(json, SEGMENT_TEXT);
        StringBuilder out = new StringBuilder(json.length() + json.length() / 8 + 8);
        in.readValue(JSONB, out);
        in.skipWhitespace();
        if (!in.atEnd()) {
            throw in.error("text after the value");
        }
        return out.toString();
    }

    /** jsonb's key order: shorter (in UTF-8 bytes) first, then bytewise. */
    static int compareKeys(String a, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        if (x.length != y.length) {
            return Integer.compare(x.length, y.length);
        }
        return Arrays.compareUnsigned(x, y);
    }

    private static void escape(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < ' ') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void number(String text, JsonCursor cursor, StringBuilder out) {
        try {
            // numeric prints plain notation with the value's scale: 1E-7 -> 0.0000001, 1.0E+2 ->
            // 100, 1.50 -> 1.50; and has no negative zero.
            out.append(new BigDecimal(text).toPlainString());
        } catch (NumberFormatException notNumber) {
            throw cursor.error("not a number");
        }
    }

    /** An object's members as jsonb keeps them: one per key, the last one written, in its order. */
    private static final class JsonbMembers implements JsonCursor.Members {
        private final List<String[]> members = new ArrayList<>();

        @Override
        public void add(String name, String printedValue, JsonCursor cursor) {
            members.add(new String[] {name, printedValue});
        }

        @Override
        public void print(StringBuilder out) {
            members.sort((a, b) -> compareKeys(a[0], b[0]));
            List<String[]> unique = new ArrayList<>(members.size());
            for (String[] member : members) {
                if (!unique.isEmpty() && unique.get(unique.size() - 1)[0].equals(member[0])) {
                    unique.set(unique.size() - 1, member);
                } else {
                    unique.add(member);
                }
            }
            out.append('{');
            for (int i = 0; i < unique.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                escape(out, unique.get(i)[0]);
                out.append(": ").append(unique.get(i)[1]);
            }
            out.append('}');
        }
    }
}
