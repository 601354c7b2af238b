package io.arbor.domain;

import java.util.List;

/**
 * Where an {@link Append}'s events landed: one {@link AppendResult} per written stream, in the
 * request's order (guards are not listed). Its events occupy one block of global positions, each
 * stream's at consecutive versions and positions.
 *
 * @param replayed true when every event was already stored by an earlier identical request (an
 *     idempotent retry): nothing was written this time
 */
public record AppendOutcome(List<AppendResult> streams, boolean replayed) {

    public AppendOutcome {
        if (streams == null || streams.isEmpty()) {
            throw new IllegalArgumentException("An append writes at least one stream");
        }
        streams = List.copyOf(streams);
    }

    /** The first position of the block. */
    public long fromPosition() {
        return streams.stream().mapToLong(AppendResult::fromPosition).min().getAsLong();
    }

    /** The last position of the block. */
    public long toPosition() {
        return streams.stream().mapToLong(AppendResult::toPosition).max().getAsLong();
    }
}
