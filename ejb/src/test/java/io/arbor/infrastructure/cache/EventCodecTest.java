package io.arbor.infrastructure.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arbor.domain.RecordedEvent;
import io.arbor.domain.StreamId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    private static final StreamId STREAM = StreamId.of("account-42");

    private static RecordedEvent event(long version, String data) {
        return new RecordedEvent(
                UUID.randomUUID(),
                STREAM,
                version,
                1000 + version,
                "Deposited",
                2,
                data,
                "{\"by\": \"ü\"}",
                Instant.parse("2026-11-25T01:02:03.123456Z"));
    }

    @Test
    void aChunkDecodesToTheSameRecordsWithStreamAndVersionsFromTheKey() {
        List<RecordedEvent> events =
                List.of(
                        event(101, "{\"a\": 1}"),
                        event(102, "{\"big\": \"" + "x".repeat(70_000) + "\"}"),
                        event(103, "{\"😀\": \"\\n\"}"));
        byte[] chunk = EventCodec.encode(events);
        assertEquals(3, EventCodec.count(chunk));
        assertEquals(events, EventCodec.decode(chunk, STREAM, 101, 3));
        assertEquals(events.subList(0, 2), EventCodec.decode(chunk, STREAM, 101, 2));
    }
}
