package io.arbor.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * What a read must know of a stream beyond its head: its retention rules and whether it was
 * deleted. The rule for which events are hidden is PostgreSQL's view {@code visible_events}
 * (changeset 2026-12-08-01); {@link #hides} is the same rule in Java, for pages that come from the
 * chunk cache rather than through the view, and must stay equal to it: an event at {@code version}
 * recorded at {@code recordedAt} is hidden iff {@code version < truncateBefore}, or {@code version
 * <= head - maxCount}, or {@code recordedAt < now - maxAge}, where {@code now} is the database's
 * transaction time ({@code now()}). A null rule hides nothing.
 *
 * @param maxAge seconds, or null
 * @param maxCount or null
 * @param truncateBefore or null
 * @param deleted null when the stream is not deleted
 */
public record StreamLifecycle(
        Long maxAge, Long maxCount, Long truncateBefore, StreamDeletion deleted) {
    /** A stream with no rules that was never deleted. */
    public static final StreamLifecycle NONE = new StreamLifecycle(null, null, null, null);

    /**
     * Whether the stream has any rule or deletion: the column {@code streams.has_lifecycle}. The
     * data grid never vouches for such a stream's head (docs/lifecycle.md, "Caching").
     */
    public boolean isRuled() {
        return maxAge != null || maxCount != null || truncateBefore != null || deleted != null;
    }

    /**
     * The first version that the rules by version ({@code truncateBefore}, {@code maxCount}) leave
     * visible in a stream whose head is {@code head}; {@code head + 1} when they hide every event.
     * The age rule may hide versions after it (the reader asks the database for those).
     */
    public long firstVersionByPosition(long head) {
        long first = 1;
        if (truncateBefore != null) {
            first = Math.max(first, truncateBefore);
        }
        if (maxCount != null) {
            first = Math.max(first, head - maxCount + 1);
        }
        return Math.min(first, head + 1);
    }

    /** Whether the event at {@code version}, recorded at {@code recordedAt}, is hidden. */
    public boolean hides(long version, Instant recordedAt, long head, Instant now) {
        return (truncateBefore != null && version < truncateBefore)
                || (maxCount != null && version <= head - maxCount)
                || (maxAge != null && recordedAt.isBefore(now.minus(Duration.ofSeconds(maxAge))));
    }

    /**
     * Refuses a read of a deleted stream: 404 for a soft-deleted one (it reads as absent until the
     * next append), 410 for a hard-deleted one.
     */
    public void checkReadable(StreamId stream) {
        if (deleted == StreamDeletion.SOFT) {
            throw new StreamNotFoundException(stream);
        }
        if (deleted == StreamDeletion.HARD) {
            throw new StreamDeletedException(stream);
        }
    }
}
