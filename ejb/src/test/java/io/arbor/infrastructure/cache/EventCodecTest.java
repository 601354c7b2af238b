package io.arbor.infrastructure.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arbor.domain.EventJson;
import io.arbor.domain.OutgoingEvent;
import io.arbor.domain.RecordedEvent;
import io.arbor.domain.StreamId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    private static final StreamId STREAM = StreamId.of("account-42");

    private static RecordedEvent event(long version, String type, String data, Instant at) {
        return new RecordedEvent(
                UUID.randomUUID(),
                STREAM,
                version,
                1000 + version,
                type,
                2,
                data,
                "{\"by\": \"ü\"}",
                version % 3 == 0 ? List.of() : List.of("course:c" + version, "tag \"ü\""),
                at,
                version % 2 == 0 ? "writer-ü" : null);
    }

    private static final List<RecordedEvent> EVENTS =
            List.of(
                    event(
                            101,
                            "Deposited",
                            "{\"a\": 1}",
                            Instant.parse("2026-11-25T01:02:03.123456Z")),
                    event(
                            102,
                            "Tab\tand \"quote\" é",
                            "{\"big\": \"" + "x".repeat(70_000) + "\"}",
                            Instant.parse("2026-11-25T01:02:03Z")),
                    event(
                            103,
                            "Émoji😀",
                            "{\"😀\": \"\\n\"}",
                            Instant.parse("2026-11-25T01:02:03.1Z")));

    @Test
    void aChunkDecodesToTheSameRecordsWithStreamAndVersionsFromTheKey() {
        byte[] chunk = EventCodec.encode(EVENTS);
        assertEquals(3, EventCodec.count(chunk));
        assertEquals(EVENTS, records(EventCodec.events(chunk, STREAM, 101, 3)));
        assertEquals(EVENTS.subList(0, 2), records(EventCodec.events(chunk, STREAM, 101, 2)));
        assertEquals("Émoji😀", EventCodec.events(chunk, STREAM, 101, 3).get(2).type());
    }

    @Test
    void aCachedEventWritesTheSameJsonBytesAsTheRecordItCameFrom() {
        List<CachedEvent> cached = EventCodec.events(EventCodec.encode(EVENTS), STREAM, 101, 3);
        for (int i = 0; i < EVENTS.size(); i++) {
            assertArrayEquals(json(EVENTS.get(i)), json(cached.get(i)));
        }
    }

    private static List<RecordedEvent> records(List<CachedEvent> events) {
        return events.stream().map(OutgoingEvent::record).toList();
    }

    private static byte[] json(OutgoingEvent event) {
        EventJson out = new EventJson(64);
        event.writeJson(out);
        return out.toByteArray();
    }
}
