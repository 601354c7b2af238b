package io.arbor.archive;

import io.arbor.spi.EventHash;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A global log for tests: events with increasing positions, versions and real hash chains. */
final class TestLog {
    private final Map<String, Long> versions = new HashMap<>();
    private final Map<String, byte[]> hashes = new HashMap<>();
    private final List<ArchivedEvent> events = new ArrayList<>();
    private long position;
    private Instant clock = Instant.parse("2026-12-01T10:15:30.123456Z");

    TestLog(long lastPosition) {
        this.position = lastPosition;
    }

    /** Appends one event of {@code streamId} (category: what precedes its first '-'). */
    ArchivedEvent append(String tenant, String streamId, String data, List<String> tags) {
        String key = tenant + "/" + streamId;
        long version = versions.merge(key, 1L, Long::sum);
        byte[] previous = hashes.getOrDefault(key, EventHash.GENESIS);
        UUID id = UUID.randomUUID();
        String metadata = "{\"correlationId\": \"c-" + version + "\"}";
        byte[] hash =
                EventHash.hash(
                        previous, id, streamId, version, "Happened", 1, data, metadata, tags);
        hashes.put(key, hash);
        clock = clock.plusNanos(1000);
        ArchivedEvent event =
                new ArchivedEvent(
                        tenant,
                        ++position,
                        id,
                        streamId,
                        version,
                        streamId.split("-")[0],
                        "Happened",
                        1,
                        data,
                        metadata,
                        tags,
                        clock,
                        version % 2 == 0 ? "alice" : null,
                        EventHash.toHex(hash));
        events.add(event);
        return event;
    }

    ArchivedEvent append(String streamId, String data) {
        return append("default", streamId, data, List.of());
    }

    /** Appends {@code count} events over {@code streams} streams, round robin. */
    TestLog fill(int count, int streams) {
        for (int i = 0; i < count; i++) {
            append("acct-" + (i % streams), "{\"n\": " + i + ", \"text\": \"event " + i + "\"}");
        }
        return this;
    }

    /** Leaves {@code count} positions without an event (rolled-back appends, scavenging). */
    TestLog gap(int count) {
        position += count;
        return this;
    }

    long position() {
        return position;
    }

    List<ArchivedEvent> events() {
        return List.copyOf(events);
    }

    /** The events at positions {@code [from, to)}. */
    List<ArchivedEvent> between(long from, long to) {
        return events.stream()
                .filter(e -> e.globalPosition() >= from && e.globalPosition() < to)
                .toList();
    }
}
