package io.arbor.client;

import java.util.List;

/**
 * Where an append to several streams landed: each written stream's versions (guards are not
 * listed), and the one block of global positions its events took.
 *
 * @param replayed true when the server had already stored these events (a retry; answered 200,
 *     nothing written)
 */
public record StreamsAppendResult(
        List<Written> streams, long fromPosition, long toPosition, boolean replayed) {
    /** One written stream's new versions. */
    public record Written(String streamId, long fromVersion, long toVersion) {}

    public StreamsAppendResult {
        streams = List.copyOf(streams);
    }
}
