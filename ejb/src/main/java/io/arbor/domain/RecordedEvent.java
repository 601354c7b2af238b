package io.arbor.domain;

import java.time.Instant;
import java.util.UUID;

/** An event as the store holds it; {@code data} and {@code metadata} are JSON object texts. */
public record RecordedEvent(
        UUID eventId,
        StreamId streamId,
        long version,
        long globalPosition,
        String type,
        int schemaVersion,
        String data,
        String metadata,
        Instant recordedAt) {}
