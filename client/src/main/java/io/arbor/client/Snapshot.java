package io.arbor.client;

import jakarta.json.JsonObject;
import java.time.Instant;

/**
 * A snapshot of a stream's state at a version.
 *
 * @param streamId the stream
 * @param version the version the state was computed at
 * @param type the snapshot's type
 * @param data the state
 * @param createdAt when it was saved
 */
public record Snapshot(
        String streamId, long version, String type, JsonObject data, Instant createdAt) {}
