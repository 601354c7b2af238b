package io.arbor.domain;

import java.nio.charset.StandardCharsets;

/**
 * A stream's metadata as a writer sets it with {@code PUT /streams/{id}/metadata} and reads it
 * back: its retention rules and a JSON object of the writer's own. A PUT replaces all of it: a rule
 * left out is no rule ({@code null}), custom data left out is {@code {}}. Every rule is validated
 * here, once; {@link #checkAgainstHead} adds the one check that needs the stream's version.
 *
 * @param maxAge seconds: an event recorded longer ago is hidden ({@code null}: no limit)
 * @param maxCount only the last {@code maxCount} versions are visible ({@code null}: no limit)
 * @param truncateBefore versions below it are hidden ({@code null}: none)
 * @param custom the writer's JSON object, as compact JSON text
 */
public record StreamMetadata(Long maxAge, Long maxCount, Long truncateBefore, String custom) {
    /** The largest custom object, serialized (decisions of issue 19). */
    public static final int MAX_CUSTOM_BYTES = 64 * 1024;

    /**
     * The longest {@code maxAge}: 100 years of seconds. PostgreSQL's timestamps end in 294276 AD,
     * so {@code now() - maxAge} of a much larger value fails ("timestamp out of range") in every
     * read that meets the stream's events, the live subscriptions' store-wide tailer included.
     */
    public static final long MAX_AGE_SECONDS = 100L * 366 * 24 * 3600;

    /** No rules, no custom data: a stream's metadata before any PUT. */
    public static final StreamMetadata NONE = new StreamMetadata(null, null, null, "{}");

    public StreamMetadata {
        atLeastOne("/maxAge", "maxAge", maxAge);
        if (maxAge != null && maxAge > MAX_AGE_SECONDS) {
            throw new InvalidInputException(
                    "/maxAge",
                    "maxAge is at most " + MAX_AGE_SECONDS + " seconds (100 years), not " + maxAge);
        }
        atLeastOne("/maxCount", "maxCount", maxCount);
        atLeastOne("/truncateBefore", "truncateBefore", truncateBefore);
        if (custom == null) {
            custom = "{}";
        }
        if (!custom.startsWith("{")) {
            throw new InvalidInputException("/custom", "custom must be a JSON object");
        }
        int bytes = custom.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_CUSTOM_BYTES) {
            throw new InvalidInputException(
                    "/custom",
                    "custom is at most " + MAX_CUSTOM_BYTES + " bytes serialized, not " + bytes);
        }
    }

    private static void atLeastOne(String pointer, String name, Long value) {
        if (value != null && value < 1) {
            throw new InvalidInputException(
                    pointer, name + " must be an integer of at least 1, or null; not " + value);
        }
    }

    /**
     * Refuses a {@code truncateBefore} past the head of a stream at {@code version}: it may name
     * every version up to the next one ({@code version + 1} hides them all), no further, so a rule
     * never hides events that do not exist yet.
     */
    public void checkAgainstHead(StreamId stream, long version) {
        if (truncateBefore != null && truncateBefore > version + 1) {
            throw new InvalidInputException(
                    "/truncateBefore",
                    "truncateBefore "
                            + truncateBefore
                            + " is past the head of stream "
                            + stream
                            + " (version "
                            + version
                            + "; at most "
                            + (version + 1)
                            + ")");
        }
    }

    /** The retention these rules give a stream in the deletion state {@code deleted}. */
    public StreamLifecycle lifecycle(StreamDeletion deleted) {
        return new StreamLifecycle(maxAge, maxCount, truncateBefore, deleted);
    }
}
