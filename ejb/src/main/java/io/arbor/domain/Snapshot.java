package io.arbor.domain;

import java.time.Instant;

/**
 * A writer's summary of a stream's state at {@code version}; {@code data} is a JSON object text.
 */
public record Snapshot(
        StreamId streamId, long version, String type, String data, Instant createdAt) {
    public Snapshot {
        if (version < 1) {
            throw new InvalidInputException("/version", "A snapshot's version must be 1 or more");
        }
        if (type == null || type.isEmpty() || type.length() > NewEvent.MAX_TYPE_LENGTH) {
            throw new InvalidInputException(
                    "/type",
                    "A snapshot type is required: 1 to "
                            + NewEvent.MAX_TYPE_LENGTH
                            + " characters");
        }
        if (data == null) {
            throw new InvalidInputException("/data", "data is required and must be a JSON object");
        }
    }
}
