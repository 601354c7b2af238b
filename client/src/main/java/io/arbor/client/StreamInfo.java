package io.arbor.client;

import java.time.Instant;

/**
 * A stream's head.
 *
 * @param streamId the stream
 * @param version its current version (the last event's)
 * @param createdAt when its first event was appended
 * @param updatedAt when its last event was appended
 * @param firstVersion the first version a read returns (versions below it are hidden by the
 *     stream's retention, or removed); {@code version + 1} when every event is hidden
 * @param previousHash the hex hash of version {@code firstVersion - 1}, which the stream's hash
 *     chain continues from (64 zeros when {@code firstVersion} is 1); null when unknown
 */
public record StreamInfo(
        String streamId,
        long version,
        Instant createdAt,
        Instant updatedAt,
        long firstVersion,
        String previousHash) {}
