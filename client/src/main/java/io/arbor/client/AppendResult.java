package io.arbor.client;

/**
 * Where an append landed.
 *
 * @param streamId the stream
 * @param fromVersion the first event's version
 * @param toVersion the last event's version (the stream's version after the append)
 * @param fromPosition the first event's global position
 * @param toPosition the last event's global position
 * @param replayed true when the server had already stored these events (a retry; answered 200,
 *     nothing written), false when this call wrote them (201)
 */
public record AppendResult(
        String streamId,
        long fromVersion,
        long toVersion,
        long fromPosition,
        long toPosition,
        boolean replayed) {}
