package io.arbor.client;

import java.time.Instant;

/**
 * A stream's head.
 *
 * @param streamId the stream
 * @param version its current version (the last event's)
 * @param createdAt when its first event was appended
 * @param updatedAt when its last event was appended
 */
public record StreamInfo(String streamId, long version, Instant createdAt, Instant updatedAt) {}
