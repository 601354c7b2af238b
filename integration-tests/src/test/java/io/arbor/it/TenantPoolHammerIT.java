package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A pooled connection used for tenant A and then for tenant B never carries A's setting into B's
 * request (issue 16): Arbor's pool is cut to two connections, and two tenants' requests, appends
 * and reads that reach the database (past the hot cache), are interleaved over it, 10,000 in all;
 * every event each tenant is answered with must be its own.
 */
class TenantPoolHammerIT extends ArborIT {
    private static final String POOL = "resources.jdbc-connection-pool.arbor-pool.";
    private static final int REQUESTS = 10_000;
    private static final int THREADS = 8;

    /** One tenant of the hammer: its client, its writer and the marker its event types carry. */
    private record Side(String marker, String subject, Arbor client) {}

    @Test
    void twoTenantsInterleavedOnAPoolOfTwoConnectionsNeverSeeEachOthersEvents() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        List<Side> sides = new ArrayList<>();
        for (String name : List.of("ha", "hb")) {
            String tenant = name + "-" + suffix;
            String subject = name + "-writer-" + suffix;
            sides.add(new Side(name.toUpperCase(), subject, Tokens.tenantAdmin(tenant, subject)));
        }
        String stream = Arbor.newStream("hammer"); // the same stream id in both tenants
        List<String> ownIds = new ArrayList<>();
        for (Side side : sides) {
            UUID id = UUID.randomUUID();
            ownIds.add(id.toString());
            Reply created =
                    side.client()
                            .post(
                                    "/streams/" + stream + "/events",
                                    "{\"events\":[" + Arbor.event(id, side.marker(), "{}") + "]}");
            assertEquals(201, created.status(), created::toString);
        }
        String maxBefore = value(Domain.asadmin("get", POOL + "max-pool-size"));
        String steadyBefore = value(Domain.asadmin("get", POOL + "steady-pool-size"));
        Domain.asadmin("set", POOL + "steady-pool-size=2");
        Domain.asadmin("set", POOL + "max-pool-size=2");
        Domain.asadmin("flush-connection-pool", "arbor-pool");
        ConcurrentLinkedQueue<String> crossReads = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        AtomicLong mostBusy = new AtomicLong();
        try {
            ExecutorService threads = Executors.newFixedThreadPool(THREADS + 1);
            try {
                Future<?> watcher = threads.submit(() -> watchBusyConnections(next, mostBusy));
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    workers.add(
                            threads.submit(
                                    () -> {
                                        for (int i = next.getAndIncrement();
                                                i < REQUESTS;
                                                i = next.getAndIncrement()) {
                                            int which = i % 2;
                                            request(
                                                    i,
                                                    sides.get(which),
                                                    stream,
                                                    ownIds.get(which),
                                                    crossReads,
                                                    failures);
                                        }
                                    }));
                }
                for (Future<?> worker : workers) {
                    worker.get();
                }
                watcher.get();
            } finally {
                threads.shutdownNow();
            }
        } finally {
            Domain.asadmin("set", POOL + "max-pool-size=" + maxBefore);
            Domain.asadmin("set", POOL + "steady-pool-size=" + steadyBefore);
        }
        assertEquals(List.of(), List.copyOf(failures), "requests that failed");
        assertEquals(List.of(), List.copyOf(crossReads), "events of the other tenant");
        assertTrue(mostBusy.get() <= 2, "busy connections of the pool: " + mostBusy.get());
    }

    /** Request {@code i} for {@code side}: an append, or a read that reaches the database. */
    private static void request(
            int i,
            Side side,
            String stream,
            String ownId,
            ConcurrentLinkedQueue<String> crossReads,
            ConcurrentLinkedQueue<String> failures) {
        Arbor client = side.client();
        Reply reply =
                switch ((i / 2) % 10) {
                    case 0 -> client.append(stream, "\"any\"", side.marker());
                    case 1, 2, 3, 4 ->
                            client.send(
                                    "GET",
                                    "/streams/" + stream + "/events?direction=backward&limit=20",
                                    null,
                                    null,
                                    List.of("Cache-Control", "no-cache"));
                    case 5, 6, 7 -> client.get("/events?after=0&limit=50&category=hammer");
                    case 8 -> client.get("/events/" + ownId);
                    default ->
                            client.send(
                                    "GET",
                                    "/streams/" + stream,
                                    null,
                                    null,
                                    List.of("Cache-Control", "no-cache"));
                };
        if (reply.status() / 100 != 2) {
            failures.add(i + ": " + reply);
            return;
        }
        JsonObject body = reply.json();
        List<JsonObject> events = new ArrayList<>();
        if (body.containsKey("events")) {
            for (JsonValue event : body.getJsonArray("events")) {
                events.add(event.asJsonObject());
            }
        } else if (body.containsKey("eventId")) {
            events.add(body);
        }
        for (JsonObject event : events) {
            if (!event.getString("type").equals(side.marker())
                    || !side.subject().equals(event.getString("writtenBy", null))) {
                crossReads.add(side.marker() + " request " + i + " was answered " + event);
            }
        }
    }

    /**
     * Samples, while the hammer runs, how many of the pool's connections are busy in PostgreSQL
     * (Arbor's sessions, not idle): never more than the pool's two.
     */
    private static void watchBusyConnections(AtomicInteger next, AtomicLong mostBusy) {
        try (Connection owner = Database.connect();
                PreparedStatement busy =
                        owner.prepareStatement(
                                "SELECT count(*) FROM pg_stat_activity WHERE datname ="
                                        + " current_database() AND usename = ? AND state <>"
                                        + " 'idle'")) {
            busy.setString(1, System.getProperty("arbor.db.user"));
            while (next.get() < REQUESTS) {
                try (ResultSet count = busy.executeQuery()) {
                    count.next();
                    mostBusy.accumulateAndGet(count.getLong(1), Math::max);
                }
                Thread.sleep(5);
            }
        } catch (Exception failed) {
            throw new IllegalStateException(failed);
        }
    }

    /** The value of an {@code asadmin get} answer ({@code name=value}). */
    private static String value(String got) {
        return got.lines()
                .filter(line -> line.contains("="))
                .findFirst()
                .map(line -> line.substring(line.indexOf('=') + 1).trim())
                .orElseThrow(() -> new IllegalStateException("no value in: " + got));
    }
}
