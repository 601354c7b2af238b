package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The partitioned events table (docs/design.md, "The partitioned events table"; changeset
 * 2026-12-09-01): partitions exist ahead of the log, a write past the last one lands in the default
 * partition and moves into a proper one, and the uniqueness of event ids and of stream versions
 * holds across partitions, against concurrent appends through the API and raw SQL that puts the
 * duplicate in another partition. The test domain makes partitions of 10,000 positions, checked
 * every 2 s, 3 kept ahead (server-config/test.sh); the tests read the bounds from the catalogue.
 */
class PartitionsIT extends ArborIT {
    /** EventPartitions' advisory lock: held here, it keeps maintenance off. */
    private static final String MAINTENANCE_LOCK = "1098015343, 1";

    @Test
    void partitionsLieAheadOfTheLogAndTheCatalogueDescribesThem() throws Exception {
        arbor.append(Arbor.newStream(Arbor.newCategory()), "\"any\"", "A");
        try (Connection db = Database.connect()) {
            long handedOut = handedOut(db);
            awaitTrue(
                    () ->
                            Database.number(
                                            db,
                                            "SELECT count(*) FROM event_partitions WHERE from_position > "
                                                    + handedOut)
                                    >= 3,
                    "3 empty partitions ahead of position " + handedOut);
            // the catalogue and the attached partitions are the same, and contiguous
            assertEquals(
                    Database.rows(
                            db,
                            "SELECT partition_name || ':' || from_position || '-' || to_position"
                                    + " FROM event_partitions ORDER BY from_position"),
                    Database.rows(
                            db,
                            "SELECT c.relname || ':' || substring(pg_get_expr(c.relpartbound, c.oid)"
                                    + " FROM 'FROM \\(''?(\\d+)') || '-' || substring("
                                    + "pg_get_expr(c.relpartbound, c.oid) FROM 'TO \\(''?(\\d+)')"
                                    + " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                                    + " WHERE i.inhparent = 'events'::regclass"
                                    + " AND c.relname <> 'events_default'"
                                    + " ORDER BY (substring(pg_get_expr(c.relpartbound, c.oid)"
                                    + " FROM 'FROM \\(''?(\\d+)'))::bigint"));
            assertEquals(
                    0,
                    Database.number(
                            db,
                            "SELECT count(*) FROM event_partitions p WHERE p.from_position > 0"
                                    + " AND NOT EXISTS (SELECT 1 FROM event_partitions q"
                                    + " WHERE q.to_position = p.from_position)"),
                    "the partitions follow each other without gaps");
        }
    }

    @Test
    void aWritePastTheLastPartitionLandsInTheDefaultAndMovesIntoAPartition() throws Exception {
        String stream = Arbor.newStream(Arbor.newCategory());
        try (Connection maintenanceOff = Database.connect();
                Connection db = Database.connect()) {
            Database.execute(maintenanceOff, "SELECT pg_advisory_lock(" + MAINTENANCE_LOCK + ")");
            long last = Database.number(db, "SELECT max(to_position) FROM event_partitions");
            Database.execute(db, "SELECT setval('events_global_position_seq', " + (last + 5) + ")");
            Reply appended =
                    arbor.post(
                            "/streams/" + stream + "/events",
                            "{\"expectedVersion\":\"any\",\"events\":["
                                    + event("A", "\"tags\":[\"moved\"]")
                                    + ","
                                    + event("B", null)
                                    + ","
                                    + event("C", null)
                                    + "]}");
            assertEquals(201, appended.status(), appended::toString);
            long from = appended.json().getJsonNumber("fromPosition").longValue();
            assertTrue(from > last, "past the last partition: " + from + " > " + last);
            assertEquals(
                    List.of("events_default", "events_default", "events_default"),
                    Database.rows(db, tableOf(stream)));
            String streamBefore = arbor.get("/streams/" + stream + "/events").body();
            String logBefore = arbor.get("/events?after=" + (from - 1) + "&limit=3").body();
            String tagBefore = arbor.get("/events?after=0&tag=moved&limit=1000").body();

            Database.execute(maintenanceOff, "SELECT pg_advisory_unlock(" + MAINTENANCE_LOCK + ")");
            awaitTrue(
                    () -> Database.number(db, "SELECT count(*) FROM events_default") == 0,
                    "maintenance moves the rows out of the default partition");
            List<String> tables = Database.rows(db, tableOf(stream));
            assertEquals(3, tables.size());
            assertFalse(tables.contains("events_default"), tables::toString);
            assertEquals(
                    1,
                    Database.number(
                            db,
                            "SELECT count(*) FROM event_partitions WHERE from_position <= "
                                    + from
                                    + " AND "
                                    + from
                                    + " < to_position"),
                    "a catalogued partition holds them");
            assertEquals(streamBefore, arbor.get("/streams/" + stream + "/events").body());
            assertEquals(logBefore, arbor.get("/events?after=" + (from - 1) + "&limit=3").body());
            assertEquals(tagBefore, arbor.get("/events?after=0&tag=moved&limit=1000").body());
            assertEquals(
                    3,
                    Database.number(
                            db,
                            "SELECT count(*) FROM event_keys k JOIN events e ON e.global_position ="
                                    + " k.global_position AND e.event_id = k.event_id"
                                    + " WHERE k.stream_id = '"
                                    + stream
                                    + "'"),
                    "the keys still name the events' positions");
            assertEquals(201, arbor.append(stream, "3", "D").status(), "the stream goes on");
        }
    }

    @Test
    void concurrentAppendsOfOneEventIdAcrossAPartitionBoundaryStoreItOnce() throws Exception {
        UUID id = UUID.randomUUID();
        int writers = 8;
        try (Connection db = Database.connect()) {
            sequenceJustBelowABoundary(db);
            List<Reply> replies =
                    concurrently(
                            writers,
                            i ->
                                    arbor.post(
                                            "/streams/" + Arbor.newStream("dup") + "/events",
                                            "{\"expectedVersion\":\"any\",\"events\":["
                                                    + Arbor.event(id, "A", "{\"writer\":" + i + "}")
                                                    + "]}"));
            assertEquals(
                    1, replies.stream().filter(r -> r.status() == 201).count(), replies::toString);
            for (Reply reply : replies) {
                if (reply.status() != 201) {
                    assertEquals(409, reply.status(), reply::toString);
                    assertEquals(
                            "urn:arbor:problem:duplicate-event-id", reply.json().getString("type"));
                }
            }
            assertEquals(
                    1,
                    Database.number(
                            db, "SELECT count(*) FROM events WHERE event_id = '" + id + "'"));
            assertEquals(
                    1,
                    Database.number(
                            db, "SELECT count(*) FROM event_keys WHERE event_id = '" + id + "'"));
        }
    }

    @Test
    void concurrentAppendsToOneStreamAcrossAPartitionBoundaryTakeEachVersionOnce()
            throws Exception {
        String stream = Arbor.newStream(Arbor.newCategory());
        int writers = 8;
        try (Connection db = Database.connect()) {
            long boundary = sequenceJustBelowABoundary(db);
            List<Reply> replies =
                    concurrently(writers, i -> arbor.append(stream, "\"any\"", "A", "B"));
            replies.forEach(reply -> assertEquals(201, reply.status(), reply::toString));
            assertEquals(
                    List.of(2 * writers + ":" + 2 * writers),
                    Database.rows(
                            db,
                            "SELECT count(DISTINCT version) || ':' || count(*) FROM events"
                                    + " WHERE stream_id = '"
                                    + stream
                                    + "'"));
            assertEquals(
                    List.of("1:" + 2 * writers + ":" + 2 * writers),
                    Database.rows(
                            db,
                            "SELECT min(version) || ':' || max(version) || ':' || count(*)"
                                    + " FROM event_keys"
                                    + " WHERE stream_id = '"
                                    + stream
                                    + "'"));
            assertTrue(
                    Database.number(
                                    db,
                                    "SELECT count(DISTINCT tableoid) FROM events WHERE stream_id = '"
                                            + stream
                                            + "'")
                            >= 2,
                    "the stream's events lie in two partitions (boundary " + boundary + ")");
            JsonObject read = arbor.get("/streams/" + stream + "/events?limit=100").json();
            assertEquals(2 * writers, read.getJsonArray("events").size());
        }
    }

    @Test
    void rawSqlCannotStoreADuplicateIdOrVersionInAnotherPartition() throws Exception {
        String stream = Arbor.newStream(Arbor.newCategory());
        assertEquals(201, arbor.append(stream, "\"any\"", "A", "B").status());
        try (Connection db = Database.connect()) {
            long stored =
                    Database.number(
                            db,
                            "SELECT min(global_position) FROM events WHERE stream_id = '"
                                    + stream
                                    + "'");
            long ahead = Database.number(db, "SELECT max(from_position) FROM event_partitions");
            long pastTheLast =
                    Database.number(db, "SELECT max(to_position) FROM event_partitions") + 1_000;
            for (long position : new long[] {ahead, pastTheLast}) {
                // the same id, as a new version, in an empty partition ahead / in the default
                refused(db, copyOf(stream, stored, position, "event_id", "3"), "event_keys_pkey");
                // a new id for a version the stream has
                refused(
                        db,
                        copyOf(stream, stored, position, "gen_random_uuid()", "version"),
                        "event_keys_stream_version_key");
            }
            // updates by hand that move the second event into the default partition, as a copy
            // of the first one's version or id
            refused(
                    db,
                    "UPDATE events SET global_position = "
                            + pastTheLast
                            + ", version = 1 WHERE global_position = "
                            + (stored + 1),
                    "event_keys_stream_version_key");
            refused(
                    db,
                    "UPDATE events SET global_position = "
                            + pastTheLast
                            + ", event_id = (SELECT event_id FROM events WHERE global_position = "
                            + stored
                            + ") WHERE global_position = "
                            + (stored + 1),
                    "event_keys_pkey");
            assertEquals(
                    2,
                    Database.number(
                            db, "SELECT count(*) FROM events WHERE stream_id = '" + stream + "'"));
            assertEquals(
                    2,
                    Database.number(
                            db,
                            "SELECT count(*) FROM event_keys WHERE stream_id = '" + stream + "'"));
        }
    }

    @Test
    void theKeyTableHoldsExactlyTheStoredEvents() throws Exception {
        try (Connection db = Database.connect()) {
            assertEquals(
                    0,
                    Database.number(
                            db,
                            "SELECT count(*) FROM events e FULL JOIN event_keys k ON k.tenant ="
                                    + " e.tenant AND k.event_id = e.event_id AND k.stream_id ="
                                    + " e.stream_id AND k.version = e.version"
                                    + " AND k.global_position = e.global_position"
                                    + " WHERE e.event_id IS NULL OR k.event_id IS NULL"));
        }
    }

    /** An event of the request body: type, data, and maybe one more member ({@code "tags":…}). */
    private static String event(String type, String more) {
        return "{\"eventId\":\""
                + UUID.randomUUID()
                + "\",\"type\":\""
                + type
                + "\",\"data\":{}"
                + (more == null ? "" : "," + more)
                + "}";
    }

    private static String tableOf(String stream) {
        return "SELECT tableoid::regclass::text FROM events WHERE stream_id = '"
                + stream
                + "' ORDER BY version";
    }

    /** An INSERT through events of a copy of the stream's event at {@code stored}, changed. */
    private static String copyOf(
            String stream, long stored, long position, String eventId, String version) {
        return "INSERT INTO events (tenant, global_position, event_id, stream_id, version, category,"
                + " type, data, metadata, recorded_at) SELECT tenant, "
                + position
                + ", "
                + eventId
                + ", stream_id, "
                + version
                + ", category, type, data, metadata, now() FROM events WHERE global_position = "
                + stored
                + " AND stream_id = '"
                + stream
                + "'";
    }

    private static void refused(Connection db, String sql, String because) throws SQLException {
        try {
            Database.execute(db, sql);
            fail("not refused: " + sql);
        } catch (SQLException refused) {
            assertTrue(refused.getMessage().contains(because), refused::getMessage);
        }
    }

    /**
     * Moves the position sequence to three below the end of the partition it is in (skipped
     * positions are gaps, as a rolled-back append leaves), so the next appends straddle a boundary.
     * Returns the boundary.
     */
    private static long sequenceJustBelowABoundary(Connection db) throws SQLException {
        long next = handedOut(db) + 1;
        long boundary =
                Database.number(
                        db,
                        "SELECT to_position FROM event_partitions WHERE from_position <= "
                                + next
                                + " AND "
                                + next
                                + " < to_position");
        if (boundary - 3 > next) {
            Database.execute(
                    db, "SELECT setval('events_global_position_seq', " + (boundary - 3) + ")");
        }
        return boundary;
    }

    private static long handedOut(Connection db) throws SQLException {
        return Database.number(
                db,
                "SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END"
                        + " FROM events_global_position_seq");
    }

    private interface Writer {
        Reply write(int i) throws Exception;
    }

    /** {@code n} writers started together; their replies. */
    private static List<Reply> concurrently(int n, Writer writer) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Reply>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<Reply> task =
                        () -> {
                            start.await();
                            return writer.write(index);
                        };
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<Reply> replies = new ArrayList<>();
            for (Future<Reply> future : futures) {
                replies.add(future.get());
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void awaitTrue(Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                fail("not within 30 s: " + what);
            }
            Thread.sleep(200);
        }
    }
}
