package io.arbor.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An event as the store holds it; {@code data} and {@code metadata} are JSON object texts, {@code
 * writtenBy} the subject of the token that appended it (null when security was off, and for events
 * from before issue 16), {@code tags} its tags in the writer's order ({@code []} when none).
 */
public record RecordedEvent(
        UUID eventId,
        StreamId streamId,
        long version,
        long globalPosition,
        String type,
        int schemaVersion,
        String data,
        String metadata,
        List<String> tags,
        Instant recordedAt,
        String writtenBy)
        implements OutgoingEvent {

    public RecordedEvent {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    @Override
    public RecordedEvent record() {
        return this;
    }

    @Override
    public void writeJson(EventJson out) {
        out.event(
                eventId.getMostSignificantBits(),
                eventId.getLeastSignificantBits(),
                streamId,
                version,
                globalPosition,
                new EventJson.Utf8(EventJson.utf8Bytes(type)),
                schemaVersion,
                new EventJson.Utf8(EventJson.utf8Bytes(data)),
                new EventJson.Utf8(EventJson.utf8Bytes(metadata)),
                new EventJson.Utf8(EventJson.stringArray(tags)),
                new EventJson.Utf8(EventJson.asciiBytes(recordedAt.toString())),
                writtenBy == null ? null : new EventJson.Utf8(EventJson.utf8Bytes(writtenBy)));
    }
}
