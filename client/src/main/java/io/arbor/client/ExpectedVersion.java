package io.arbor.client;

import jakarta.json.Json;
import jakarta.json.JsonValue;

/**
 * The condition an append puts on the stream's current version (api.md, "Append").
 *
 * <p>Use {@link #exactly(long)} for optimistic concurrency (0: the stream must not exist yet), or
 * one of {@link #ANY}, {@link #NO_STREAM}, {@link #STREAM_EXISTS}.
 *
 * @param keyword {@code "any"}, {@code "no_stream"}, {@code "stream_exists"}, or {@code null} for
 *     an exact version
 * @param version the exact version (0 or more) when {@code keyword} is null, otherwise -1
 */
public record ExpectedVersion(String keyword, long version) {
    /** Append whatever the stream's version (the server's default). */
    public static final ExpectedVersion ANY = new ExpectedVersion("any", -1);

    /** The stream must not exist yet. */
    public static final ExpectedVersion NO_STREAM = new ExpectedVersion("no_stream", -1);

    /** The stream must already exist. */
    public static final ExpectedVersion STREAM_EXISTS = new ExpectedVersion("stream_exists", -1);

    public ExpectedVersion {
        if (keyword == null) {
            if (version < 0) {
                throw new IllegalArgumentException("an exact expected version is 0 or more");
            }
        } else if (!keyword.equals("any")
                && !keyword.equals("no_stream")
                && !keyword.equals("stream_exists")) {
            throw new IllegalArgumentException("unknown expected version: " + keyword);
        } else {
            version = -1;
        }
    }

    /** The stream's version must be exactly {@code version} (0: the stream must not exist). */
    public static ExpectedVersion exactly(long version) {
        return new ExpectedVersion(null, version);
    }

    /** Parses the wire form: a number, or one of the three keywords. */
    public static ExpectedVersion parse(String text) {
        if (text.chars().allMatch(Character::isDigit) && !text.isEmpty()) {
            return exactly(Long.parseLong(text));
        }
        return new ExpectedVersion(text, -1);
    }

    JsonValue toJson() {
        return keyword == null ? Json.createValue(version) : Json.createValue(keyword);
    }

    @Override
    public String toString() {
        return keyword == null ? Long.toString(version) : keyword;
    }
}
