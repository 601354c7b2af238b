package io.arbor.domain;

import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON as UTF-8 bytes, and in particular api.md's EVENT object: the one place that shape is
 * written. Both paths of a read use {@link #event}: a {@link RecordedEvent} from the database and
 * an event the hot cache serves straight from its stored bytes, so a cache hit and a miss answer
 * the same bytes (CacheIT compares them). Stored {@code data} and {@code metadata} are JSON already
 * and are copied through; strings are escaped as RFC 8259 requires (quote, backslash, control
 * characters), byte by byte, which is exact on UTF-8 because no byte of a multi-byte character is
 * below 0x80.
 */
public final class EventJson {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_ID = asciiBytes("{\"eventId\":\"");
    private static final byte[] STREAM_ID = asciiBytes("\",\"streamId\":");
    private static final byte[] VERSION = asciiBytes(",\"version\":");
    private static final byte[] POSITION = asciiBytes(",\"globalPosition\":");
    private static final byte[] TYPE = asciiBytes(",\"type\":");
    private static final byte[] SCHEMA_VERSION = asciiBytes(",\"schemaVersion\":");
    private static final byte[] DATA = asciiBytes(",\"data\":");
    private static final byte[] METADATA = asciiBytes(",\"metadata\":");
    private static final byte[] TAGS = asciiBytes(",\"tags\":");
    private static final byte[] HASH = asciiBytes(",\"hash\":\"");
    private static final byte[] NO_HASH = asciiBytes(",\"hash\":null");
    private static final byte[] QUOTE = asciiBytes("\"");
    private static final byte[] RECORDED_AT = asciiBytes(",\"recordedAt\":\"");
    private static final byte[] WRITTEN_BY = asciiBytes("\",\"writtenBy\":");
    private static final byte[] END = asciiBytes("\"}");
    private static final byte[] CLOSE = asciiBytes("}");
    private static final byte[] EMPTY_ARRAY = asciiBytes("[]");

    /**
     * One reader factory for {@link #parseStringArray}, which runs once per event read: {@code
     * Json.createReader} looks the provider up and gives each reader a new buffer pool (a fresh 4
     * KiB buffer per event: 17% of the server's CPU while reading 1,000-event query pages, bench
     * scenario 20); a factory's readers share its pool.
     */
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

    /** A run of UTF-8 (or ASCII) bytes inside a larger array. */
    public record Utf8(byte[] bytes, int offset, int length) {
        public Utf8(byte[] bytes) {
            this(bytes, 0, bytes.length);
        }
    }

    private byte[] bytes;
    private int length;

    public EventJson(int capacity) {
        bytes = new byte[Math.max(64, capacity)];
    }

    /**
     * api.md's EVENT object; {@code tags} is a JSON array already (as {@link #stringArray} writes
     * it), {@code writtenBy} is left out when null, {@code hash} is the event's hash as 64 hex
     * digits (ASCII; null, for an event not chained yet, is written as {@code null}).
     */
    public EventJson event(
            long idMostSignificant,
            long idLeastSignificant,
            StreamId stream,
            long version,
            long globalPosition,
            Utf8 type,
            int schemaVersion,
            Utf8 data,
            Utf8 metadata,
            Utf8 tags,
            Utf8 recordedAt,
            Utf8 writtenBy,
            Utf8 hash) {
        raw(EVENT_ID);
        uuid(idMostSignificant, idLeastSignificant);
        raw(STREAM_ID);
        streamId(stream);
        raw(VERSION);
        number(version);
        raw(POSITION);
        number(globalPosition);
        raw(TYPE);
        string(type);
        raw(SCHEMA_VERSION);
        number(schemaVersion);
        raw(DATA);
        raw(data);
        raw(METADATA);
        raw(metadata);
        raw(TAGS);
        raw(tags);
        if (hash == null) {
            raw(NO_HASH);
        } else {
            raw(HASH);
            raw(hash);
            raw(QUOTE);
        }
        raw(RECORDED_AT);
        raw(recordedAt);
        if (writtenBy == null) {
            return raw(END);
        }
        raw(WRITTEN_BY);
        string(writtenBy);
        return raw(CLOSE);
    }

    /** Bytes that are JSON (or a part of it) already. */
    /**
     * Takes back the closing brace of the object just written, so that more fields can follow (a
     * consumer group's delivery is EVENT plus its {@code deliveryAttempt}).
     */
    public EventJson reopenObject() {
        if (length == 0 || bytes[length - 1] != '}') {
            throw new IllegalStateException("no object to reopen");
        }
        length--;
        return this;
    }

    public EventJson raw(byte[] json) {
        return raw(json, 0, json.length);
    }

    public EventJson raw(Utf8 json) {
        return raw(json.bytes(), json.offset(), json.length());
    }

    public EventJson raw(byte[] json, int offset, int count) {
        ensure(count);
        System.arraycopy(json, offset, bytes, length, count);
        length += count;
        return this;
    }

    /** ASCII text that is JSON (or a part of it) already, such as {@code {"streamId":}. */
    public EventJson ascii(String json) {
        ensure(json.length());
        for (int i = 0; i < json.length(); i++) {
            bytes[length++] = (byte) json.charAt(i);
        }
        return this;
    }

    public EventJson number(long value) {
        if (value == Long.MIN_VALUE) {
            return ascii(Long.toString(value));
        }
        ensure(20);
        if (value < 0) {
            bytes[length++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        for (int i = length + digits - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
        return this;
    }

    /** A stream id as a JSON string: its characters ({@link StreamId}) never need escaping. */
    public EventJson streamId(StreamId stream) {
        String value = stream.value();
        ensure(value.length() + 2);
        bytes[length++] = '"';
        for (int i = 0; i < value.length(); i++) {
            bytes[length++] = (byte) value.charAt(i);
        }
        bytes[length++] = '"';
        return this;
    }

    /** A JSON string, quoted and escaped. */
    public EventJson string(Utf8 text) {
        ensure(6 * text.length() + 2); // worst case: every byte escaped as six characters
        bytes[length++] = '"';
        int end = text.offset() + text.length();
        for (int i = text.offset(); i < end; i++) {
            int b = text.bytes()[i] & 0xff;
            if (b >= 0x20 && b != '"' && b != '\\') {
                bytes[length++] = (byte) b;
                continue;
            }
            bytes[length++] = '\\';
            switch (b) {
                case '"' -> bytes[length++] = '"';
                case '\\' -> bytes[length++] = '\\';
                case '\n' -> bytes[length++] = 'n';
                case '\r' -> bytes[length++] = 'r';
                case '\t' -> bytes[length++] = 't';
                case '\b' -> bytes[length++] = 'b';
                case '\f' -> bytes[length++] = 'f';
                default -> {
                    bytes[length++] = 'u';
                    bytes[length++] = '0';
                    bytes[length++] = '0';
                    bytes[length++] = HEX[(b >> 4) & 0xf];
                    bytes[length++] = HEX[b & 0xf];
                }
            }
        }
        bytes[length++] = '"';
        return this;
    }

    /** {@code texts} as a JSON array of strings, UTF-8: how an EVENT writes its tags. */
    public static byte[] stringArray(List<String> texts) {
        if (texts.isEmpty()) {
            return EMPTY_ARRAY.clone();
        }
        EventJson out = new EventJson(texts.size() * 24);
        out.ascii("[");
        for (int i = 0; i < texts.size(); i++) {
            if (i > 0) {
                out.ascii(",");
            }
            out.string(new Utf8(utf8Bytes(texts.get(i))));
        }
        return out.ascii("]").toByteArray();
    }

    /**
     * The strings of a JSON array of strings (what {@link #stringArray} wrote, or jsonb's text).
     */
    public static List<String> parseStringArray(String json) {
        if (json.equals("[]")) {
            return List.of();
        }
        try (JsonReader reader = READERS.createReader(new StringReader(json))) {
            return reader.readArray().getValuesAs(JsonString.class).stream()
                    .map(JsonString::getString)
                    .toList();
        }
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    public static byte[] utf8Bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] asciiBytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The canonical form {@link java.util.UUID#toString} gives: 8-4-4-4-12 lowercase hex. */
    private void uuid(long most, long least) {
        ensure(36);
        hex(most >>> 32, 8);
        bytes[length++] = '-';
        hex(most >>> 16, 4);
        bytes[length++] = '-';
        hex(most, 4);
        bytes[length++] = '-';
        hex(least >>> 48, 4);
        bytes[length++] = '-';
        hex(least, 12);
    }

    private void hex(long value, int digits) {
        for (int i = length + digits - 1; i >= length; i--) {
            bytes[i] = HEX[(int) (value & 0xf)];
            value >>>= 4;
        }
        length += digits;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
