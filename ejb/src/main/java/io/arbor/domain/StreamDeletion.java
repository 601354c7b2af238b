package io.arbor.domain;

import java.util.Locale;

/**
 * How a stream was deleted (docs/lifecycle.md): {@link #SOFT}, its reads answer 404 until the next
 * append, which continues its numbering; {@link #HARD}, a tombstone: every read and append answers
 * 410, forever. Stored in {@code streams.deleted} as the lower-case name.
 */
public enum StreamDeletion {
    SOFT,
    HARD;

    /** The value of {@code streams.deleted} and of the {@code mode} query parameter. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The stored value: null (not deleted), {@code soft} or {@code hard}. */
    public static StreamDeletion fromCode(String code) {
        if (code == null) {
            return null;
        }
        return switch (code) {
            case "soft" -> SOFT;
            case "hard" -> HARD;
            default -> throw new IllegalArgumentException("Not a deletion: " + code);
        };
    }

    /**
     * The {@code mode} query parameter of {@code DELETE /streams/{id}}: {@code soft} (the default,
     * also when absent) or {@code hard}.
     */
    public static StreamDeletion parseMode(String mode) {
        if (mode == null || mode.equals("soft")) {
            return SOFT;
        }
        if (mode.equals("hard")) {
            return HARD;
        }
        throw InvalidInputException.parameter("mode", "mode must be soft or hard, not " + mode);
    }
}
