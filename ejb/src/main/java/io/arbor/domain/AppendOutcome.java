package io.arbor.domain;

import java.util.List;
import java.util.Set;

/**
 * Where an {@link Append}'s events landed: one {@link AppendResult} per written stream, in the
 * request's order (guards are not listed). Its events occupy one block of global positions, each
 * stream's at consecutive versions and positions.
 *
 * @param replayed true when every event was already stored by an earlier identical request (an
 *     idempotent retry): nothing was written this time
 * @param undeleted the written streams that were soft-deleted and that the append brought back
 *     (docs/lifecycle.md): their heads are given up, not reported (StreamHeads)
 */
public record AppendOutcome(List<AppendResult> streams, boolean replayed, Set<StreamId> undeleted) {

    public AppendOutcome {
        if (streams == null || streams.isEmpty()) {
            throw new IllegalArgumentException("An append writes at least one stream");
        }
        streams = List.copyOf(streams);
        undeleted = Set.copyOf(undeleted);
    }

    /** An outcome that brought back no deleted stream. */
    public AppendOutcome(List<AppendResult> streams, boolean replayed) {
        this(streams, replayed, Set.of());
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
