package io.arbor.client;

import java.time.Instant;

/**
 * A stream in a listing ({@code GET /streams}, beyond api.md).
 *
 * @param streamId the stream
 * @param category its category
 * @param version its current version
 * @param createdAt when its first event was appended
 * @param updatedAt when its last event was appended
 */
public record StreamSummary(
        String streamId, String category, long version, Instant createdAt, Instant updatedAt) {}
