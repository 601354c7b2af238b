package io.arbor.infrastructure.cache;

import io.arbor.domain.RecordedEvent;
import io.arbor.domain.StreamId;
import java.time.Instant;
import java.util.UUID;

/**
 * A recorded event as a {@code String[]}: a JDK type, so any member of the grid can hold it without
 * Arbor's classes, and a hit yields exactly the record a miss reads from PostgreSQL.
 */
final class EventCodec {
    private EventCodec() {}

    static String[] encode(RecordedEvent event) {
        return new String[] {
            event.eventId().toString(),
            event.streamId().value(),
            Long.toString(event.version()),
            Long.toString(event.globalPosition()),
            event.type(),
            Integer.toString(event.schemaVersion()),
            event.data(),
            event.metadata(),
            event.recordedAt().toString()
        };
    }

    static RecordedEvent decode(String[] fields) {
        return new RecordedEvent(
                UUID.fromString(fields[0]),
                StreamId.of(fields[1]),
                Long.parseLong(fields[2]),
                Long.parseLong(fields[3]),
                fields[4],
                Integer.parseInt(fields[5]),
                fields[6],
                fields[7],
                Instant.parse(fields[8]));
    }
}
