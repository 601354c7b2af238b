package io.arbor.domain;

/**
 * Where an append's events landed.
 *
 * @param replayed true when every event was already stored by an earlier identical request (an
 *     idempotent retry): nothing was written this time
 */
public record AppendResult(
        StreamId streamId,
        long fromVersion,
        long toVersion,
        long fromPosition,
        long toPosition,
        boolean replayed) {}
