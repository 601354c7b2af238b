package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Two Payara instances (arbor-a, arbor-b) of one deployment group share one Hazelcast data grid and
 * one database, with no load balancer: what one instance acknowledged, the other must serve at
 * once, whatever either holds in the hot cache. {@code server-config/test.sh} starts the pair with
 * {@code server-config/grid.sh} after the main suite and runs the {@code *GridIT} classes against
 * it.
 */
class TwoInstancesGridIT {
    private static final String A = required("arbor.grid.a");
    private static final String B = required("arbor.grid.b");
    private static final String EVENTS = "cache=\"events\"";
    private static final ExecutorService WRITERS = Executors.newFixedThreadPool(8);

    private final Arbor arbor = new Arbor();

    private static String required(String property) {
        String url = System.getProperty(property);
        if (url == null || url.isBlank()) {
            fail(property + " is not set: run the grid tests through server-config/test.sh");
        }
        return url;
    }

    @AfterAll
    static void stopWriters() {
        WRITERS.shutdownNow();
    }

    @Test
    void aChunkCachedByOneInstanceIsAHitOnTheOther() {
        String stream = Arbor.newStream("grid");
        String[] types = new String[30];
        java.util.Arrays.fill(types, "Filled");
        assertEquals(201, append(A, stream, "\"no_stream\"", types).status());
        String page = "/streams/" + stream + "/events?from=1&limit=30";
        Reply onA = arbor.get(A + "/arbor/api" + page);
        assertEquals(200, onA.status(), onA::toString);

        double hitsOnB = Metrics.value(arbor, B, "arbor_cache_hits_total", EVENTS);
        double missesOnB = Metrics.value(arbor, B, "arbor_cache_misses_total", EVENTS);
        Reply onB = arbor.get(B + "/arbor/api" + page);
        assertEquals(onA.body(), onB.body(), "both instances answer the same bytes");
        assertEquals(
                missesOnB,
                Metrics.value(arbor, B, "arbor_cache_misses_total", EVENTS),
                "B found in the grid what A cached: no miss");
        assertTrue(
                Metrics.value(arbor, B, "arbor_cache_hits_total", EVENTS) > hitsOnB,
                "B's read was a cache hit");
    }

    /**
     * A live subscriber on B gets what A acknowledged, every event once and in order, and B's
     * tailer was woken by A's notice through the data grid (not only by its own poll).
     */
    @Test
    void aLiveSubscriberOnOneInstanceGetsWhatTheOtherAcknowledged() throws Exception {
        String category = Arbor.newCategory();
        double noticesOnB = Metrics.value(arbor, B, "arbor_subscriptions_grid_notices_total", null);
        try (SseSubscriber onB =
                SseSubscriber.open(B + "/arbor/api/events/subscribe?category=" + category)) {
            onB.await(f -> f.name().equals("caught-up"), 30, "caught-up");
            java.util.Set<String> acknowledged = new java.util.LinkedHashSet<>();
            for (int i = 0; i < 20; i++) {
                UUID id = UUID.randomUUID();
                Reply reply =
                        arbor.post(
                                A + "/arbor/api/streams/" + category + "-" + i + "/events",
                                "{\"events\":[" + Arbor.event(id, "OnA", "{}") + "]}");
                assertEquals(201, reply.status(), reply::toString);
                acknowledged.add(id.toString());
            }
            onB.awaitEvents(acknowledged, 30);
            List<String> order = onB.events().stream().map(e -> e.getString("eventId")).toList();
            assertEquals(new ArrayList<>(acknowledged), order, "each once, in append order");
        }
        assertTrue(
                Metrics.value(arbor, B, "arbor_subscriptions_grid_notices_total", null)
                        >= noticesOnB + 20,
                "B heard of A's appends through the data grid");
    }

    /**
     * Eight writers append to four shared streams, each through A or B in turn, and after every
     * acknowledgement read the stream back through the other instance: the acknowledged event must
     * be there at its version with its id, the head must not be older, and a full read must be
     * contiguous. Full reads keep the streams' chunks hot in the grid, so stale cached chunks or
     * heads would show.
     */
    @Test
    void theOtherInstanceNeverAnswersOlderThanWhatOneAcknowledged() throws Exception {
        List<String> streams = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            streams.add(Arbor.newStream("grid"));
        }
        ConcurrentLinkedQueue<String> anomalies = new ConcurrentLinkedQueue<>();
        AtomicInteger checked = new AtomicInteger();
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int writer = w;
            writers.add(
                    WRITERS.submit(
                            () -> {
                                for (int round = 0; round < 40; round++) {
                                    boolean onA = (writer + round) % 2 == 0;
                                    String stream = streams.get((writer + round) % streams.size());
                                    String problem =
                                            appendThenReadElsewhere(
                                                    onA ? A : B, onA ? B : A, stream);
                                    if (problem != null) {
                                        anomalies.add(problem);
                                    }
                                    checked.incrementAndGet();
                                }
                            }));
        }
        for (Future<?> writer : writers) {
            writer.get(5, TimeUnit.MINUTES);
        }
        assertTrue(anomalies.isEmpty(), anomalies.size() + " stale answers: " + anomalies);
        assertEquals(8 * 40, checked.get());
        long total = 0;
        for (String stream : streams) {
            total += arbor.get(A + "/arbor/api/streams/" + stream).json().getInt("version");
        }
        assertEquals(8 * 40, total, "every acknowledged append landed exactly once");
    }

    /** One append through {@code writer}, checked through {@code reader}; null when all is well. */
    private String appendThenReadElsewhere(String writer, String reader, String stream) {
        UUID id = UUID.randomUUID();
        Reply ack =
                arbor.post(
                        writer + "/arbor/api/streams/" + stream + "/events",
                        "{\"events\":[" + Arbor.event(id, "Ticked", "{}") + "]}");
        if (ack.status() != 201) {
            return "append on " + writer + ": " + ack;
        }
        long version = ack.json().getJsonNumber("toVersion").longValue();
        String api = reader + "/arbor/api/streams/" + stream;

        Reply exact = arbor.get(api + "/events?from=" + version + "&limit=1");
        if (exact.status() != 200) {
            return "read of v" + version + " on " + reader + ": " + exact;
        }
        JsonArray found = exact.json().getJsonArray("events");
        if (found.isEmpty()
                || found.getJsonObject(0).getJsonNumber("version").longValue() != version
                || !found.getJsonObject(0).getString("eventId").equals(id.toString())) {
            return reader + " does not serve " + id + " at v" + version + ": " + exact.body();
        }
        long head = arbor.get(api).json().getJsonNumber("version").longValue();
        if (head < version) {
            return reader
                    + " reports head "
                    + head
                    + " after "
                    + writer
                    + " acknowledged "
                    + version;
        }
        JsonObject all = arbor.get(api + "/events?from=1&limit=1000").json();
        JsonArray events = all.getJsonArray("events");
        if (all.getJsonNumber("version").longValue() < version || events.size() < version) {
            return reader + " full read ends at " + events.size() + " after ack of v" + version;
        }
        for (int i = 0; i < events.size(); i++) {
            if (events.getJsonObject(i).getJsonNumber("version").longValue() != i + 1) {
                return reader + " full read has a gap at index " + i + ": " + all;
            }
        }
        return null;
    }

    @Test
    void aSnapshotTakenOnOneInstanceIsTheLatestOnTheOther() {
        String stream = Arbor.newStream("grid");
        String[] types = new String[20];
        java.util.Arrays.fill(types, "Counted");
        assertEquals(201, append(A, stream, "\"no_stream\"", types).status());
        for (int version = 1; version <= 20; version++) {
            String writer = version % 2 == 0 ? A : B;
            String reader = version % 2 == 0 ? B : A;
            String path = "/arbor/api/streams/" + stream + "/snapshot";
            Reply put =
                    arbor.put(
                            writer + path,
                            "{\"version\":"
                                    + version
                                    + ",\"type\":\"S\",\"data\":{\"n\":"
                                    + version
                                    + "}}");
            assertEquals(201, put.status(), put::toString);
            Reply latest = arbor.get(reader + path);
            assertEquals(200, latest.status(), latest::toString);
            assertEquals(version, latest.json().getInt("version"), "snapshot read on " + reader);
            assertEquals(version, latest.json().getJsonObject("data").getInt("n"));
        }
    }

    /**
     * Issue 15: two consumers on A and two on B fetch from one group at once. The group's state is
     * rows locked in PostgreSQL, not memory, so no event may be leased to two consumers at once:
     * with an ack timeout no lease outlives, every event is delivered exactly once, and all are
     * acked, on whichever instance leased them.
     */
    @Test
    void consumersOnBothInstancesNeverHoldOneEventAtOnce() throws Exception {
        String category = Arbor.newCategory();
        Groups onA = new Groups(arbor, A + "/arbor/api");
        Groups onB = new Groups(arbor, B + "/arbor/api");
        String group = Groups.newGroup();
        onA.create(
                group,
                "{\"filter\":{\"category\":\"" + category + "\"},\"ackTimeoutSeconds\":120}");
        int total = 0;
        for (int i = 0; i < 20; i++) {
            String[] types = new String[100];
            Arrays.fill(types, "Queued");
            Reply appended = append(i % 2 == 0 ? A : B, category + "-" + i, "\"any\"", types);
            assertEquals(201, appended.status(), appended::toString);
            total += types.length;
        }
        Map<String, String> holders = new ConcurrentHashMap<>();
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        Set<String> acked = ConcurrentHashMap.newKeySet();
        Map<String, AtomicInteger> perInstance =
                Map.of("A", new AtomicInteger(), "B", new AtomicInteger());
        ConcurrentLinkedQueue<String> anomalies = new ConcurrentLinkedQueue<>();
        int expected = total;
        List<Future<?>> consumers = new ArrayList<>();
        for (String name : List.of("A-1", "A-2", "B-1", "B-2")) {
            Groups instance = name.startsWith("A") ? onA : onB;
            consumers.add(
                    WRITERS.submit(
                            () -> {
                                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                                while (acked.size() < expected && System.nanoTime() < deadline) {
                                    List<JsonObject> batch = instance.fetch(group, name, 50, 1);
                                    List<String> ids = new ArrayList<>();
                                    for (JsonObject event : batch) {
                                        String id = event.getString("eventId");
                                        String other = holders.putIfAbsent(id, name);
                                        if (other != null) {
                                            anomalies.add(
                                                    id + " leased to " + name + " and " + other);
                                        }
                                        if (!delivered.add(id)) {
                                            anomalies.add(id + " delivered twice, last to " + name);
                                        }
                                        ids.add(id);
                                    }
                                    if (ids.isEmpty()) {
                                        continue;
                                    }
                                    ids.forEach(
                                            holders::remove); // handled: released before the ack
                                    Reply ack = instance.ack(group, name, ids);
                                    if (ack.status() != 200) {
                                        anomalies.add(name + " ack: " + ack);
                                        continue;
                                    }
                                    acked.addAll(ids);
                                    perInstance.get(name.substring(0, 1)).addAndGet(ids.size());
                                }
                                return null;
                            }));
        }
        for (Future<?> consumer : consumers) {
            consumer.get(5, TimeUnit.MINUTES);
        }
        assertTrue(anomalies.isEmpty(), anomalies.size() + " anomalies: " + anomalies);
        assertEquals(expected, acked.size(), "every event acked");
        assertEquals(expected, delivered.size());
        assertTrue(
                perInstance.get("A").get() > 0 && perInstance.get("B").get() > 0,
                "both instances served the group: " + perInstance);
        JsonObject status = onB.status(group);
        assertEquals(0, status.getInt("inFlight"), status::toString);
        assertEquals(0, status.getInt("parked"), status::toString);
        assertEquals(
                status.getJsonNumber("checkpoint"),
                onA.status(group).getJsonNumber("checkpoint"),
                "both instances compute the checkpoint from the same rows");
    }

    private Reply append(String host, String stream, String expected, String... types) {
        StringBuilder events = new StringBuilder();
        for (String type : types) {
            events.append(events.length() == 0 ? "" : ",")
                    .append(Arbor.event(UUID.randomUUID(), type, "{}"));
        }
        return arbor.post(
                host + "/arbor/api/streams/" + stream + "/events",
                "{\"expectedVersion\":" + expected + ",\"events\":[" + events + "]}");
    }
}
