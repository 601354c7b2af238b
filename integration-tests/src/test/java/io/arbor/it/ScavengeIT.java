package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Scavenging (docs/lifecycle.md, "Scavenging"): a job removes exactly the rows that lifecycle rules
 * hide (events, their tags, consumer-group rows at their positions, snapshots that can no longer be
 * read), keeps a chain anchor per stream, never makes an append wait on a lock, and is finished
 * after a crash. Each test runs in a tenant of its own, so a job sees only that test's streams. The
 * rules are set on the stream rows with SQL, as the tables' owner.
 */
class ScavengeIT extends ArborIT {

    private static Arbor tenantAdmin(String tenant) {
        return Tokens.tenantAdmin(tenant, "scavenger-" + tenant);
    }

    private static String newTenant(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aScavengeRemovesExactlyTheHiddenRowsAndKeepsTheChainAnchors() throws Exception {
        String tenant = newTenant("scav");
        Arbor admin = tenantAdmin(tenant);
        String category = Arbor.newCategory();
        String truncated = category + "-truncated";
        String counted = category + "-counted";
        String aged = category + "-aged";
        String softDeleted = category + "-soft";
        String hardDeleted = category + "-hard";
        String untouched = category + "-untouched";
        appendTagged(admin, truncated, 10);
        appendTagged(admin, counted, 10);
        appendTagged(admin, aged, 5);
        appendTagged(admin, softDeleted, 4);
        appendTagged(admin, hardDeleted, 3);
        appendTagged(admin, untouched, 5);
        snapshot(admin, truncated, 1); // below firstVersion - 1 = 3: removed
        snapshot(admin, truncated, 3); // firstVersion - 1: kept, it rebuilds the stream
        snapshot(admin, truncated, 5);
        snapshot(admin, softDeleted, 2); // a deleted stream's: removed
        snapshot(admin, hardDeleted, 3);
        snapshot(admin, untouched, 2);
        // A group holding every event of the category in its window, three of them leased.
        Groups groups = new Groups(admin);
        String group = Groups.newGroup();
        groups.create(group, "{\"filter\":{\"category\":\"" + category + "\"}}");
        assertEquals(3, groups.fetch(group, "c1", 3, 0).size());

        Map<String, Long> hiddenBelow = new LinkedHashMap<>();
        hiddenBelow.put(truncated, 3L);
        hiddenBelow.put(counted, 7L);
        hiddenBelow.put(aged, 2L);
        hiddenBelow.put(softDeleted, 4L);
        hiddenBelow.put(hardDeleted, 3L);
        Map<String, byte[]> anchorHashes = new LinkedHashMap<>();
        hiddenBelow.forEach(
                (stream, last) -> anchorHashes.put(stream, hashOf(tenant, stream, last)));
        Database.execute(
                "UPDATE streams SET truncate_before = 4 WHERE tenant = '"
                        + tenant
                        + "' AND stream_id = '"
                        + truncated
                        + "'");
        Database.execute(
                "UPDATE streams SET max_count = 3 WHERE tenant = '"
                        + tenant
                        + "' AND stream_id = '"
                        + counted
                        + "'");
        Database.execute(
                "UPDATE events SET recorded_at = now() - interval '2 hours' WHERE tenant = '"
                        + tenant
                        + "' AND stream_id = '"
                        + aged
                        + "' AND version <= 2");
        Database.execute(
                "UPDATE streams SET max_age_seconds = 3600 WHERE tenant = '"
                        + tenant
                        + "' AND stream_id = '"
                        + aged
                        + "'");
        Database.execute(
                "UPDATE streams SET deleted = 'soft', truncate_before = version + 1 WHERE tenant"
                        + " = '"
                        + tenant
                        + "' AND stream_id = '"
                        + softDeleted
                        + "'");
        Database.execute(
                "UPDATE streams SET deleted = 'hard', truncate_before = version + 1 WHERE tenant"
                        + " = '"
                        + tenant
                        + "' AND stream_id = '"
                        + hardDeleted
                        + "'");
        Counts before = Counts.of(tenant);
        long hiddenEvents = 3 + 7 + 2 + 4 + 3;
        long hiddenTags = 2 * hiddenEvents; // appendTagged gives each event two tags
        String hiddenPositions = positionsUpTo(tenant, hiddenBelow);
        long hiddenGroupRows = groupRowsAt(tenant, hiddenPositions);
        assertEquals(hiddenEvents, hiddenGroupRows, "the group's window holds every event");

        JsonObject job = scavengeAndWait(admin);

        assertEquals("done", job.getString("state"));
        assertEquals(hiddenEvents, job.getJsonNumber("eventsRemoved").longValue());
        assertEquals(3, job.getJsonNumber("snapshotsRemoved").longValue());
        assertEquals(5, job.getJsonNumber("streamsScanned").longValue());
        assertTrue(job.isNull("streamsRemaining"));
        assertTrue(job.isNull("failure"));
        Counts after = Counts.of(tenant);
        assertEquals(before.events - hiddenEvents, after.events);
        assertEquals(before.tags - hiddenTags, after.tags);
        assertEquals(before.snapshots - 3, after.snapshots);
        assertEquals(before.groupRows - hiddenGroupRows, after.groupRows);
        assertEquals(0, groupRowsAt(tenant, hiddenPositions));
        assertEquals(5, after.anchors);
        // Nothing else went: each stream keeps exactly its visible versions.
        assertEquals(List.of(4L, 10L), versionRange(tenant, truncated));
        assertEquals(List.of(8L, 10L), versionRange(tenant, counted));
        assertEquals(List.of(3L, 5L), versionRange(tenant, aged));
        assertEquals(List.of(), versionRange(tenant, softDeleted));
        assertEquals(List.of(), versionRange(tenant, hardDeleted));
        assertEquals(List.of(1L, 5L), versionRange(tenant, untouched));
        assertEquals(List.of(3L, 5L), snapshotVersions(tenant, truncated));
        assertEquals(List.of(2L), snapshotVersions(tenant, untouched));
        // The stream rows stay (a hard-deleted id is never reused), untouched by the scavenge.
        assertEquals(
                6,
                Database.queryLong("SELECT count(*) FROM streams WHERE tenant = '" + tenant + "'"));
        anchorHashes.forEach(
                (stream, hash) -> {
                    Object[] anchor = anchor(tenant, stream);
                    assertEquals(hiddenBelow.get(stream), anchor[0], stream);
                    assertArrayEquals(hash, (byte[]) anchor[1], stream);
                });

        Reply read = admin.get("/admin/scavenge/" + job.getString("jobId"));
        assertEquals(200, read.status(), read::toString);
        assertEquals(job, read.json());
        JsonObject again = scavengeAndWait(admin);
        assertNotEquals(job.getString("jobId"), again.getString("jobId"));
        assertEquals("done", again.getString("state"));
        assertEquals(0, again.getJsonNumber("eventsRemoved").longValue());
        assertEquals(0, again.getJsonNumber("snapshotsRemoved").longValue());
        assertEquals(Counts.of(tenant), after);
        List<String> listed = new ArrayList<>();
        for (JsonValue listedJob : admin.get("/admin/scavenge").json().getJsonArray("jobs")) {
            listed.add(listedJob.asJsonObject().getString("jobId"));
        }
        assertEquals(List.of(again.getString("jobId"), job.getString("jobId")), listed);
    }

    @Test
    void aRequestWhileTheTenantHasAnUnfinishedJobAnswersThatJob() throws Exception {
        String tenant = newTenant("scav-busy");
        Arbor admin = tenantAdmin(tenant);
        UUID running = UUID.randomUUID();
        // running on a live instance (a fresh heartbeat), so no instance claims it meanwhile
        Database.execute(
                "INSERT INTO scavenge_jobs (job_id, tenant, state, requested_at, started_at, owner,"
                        + " heartbeat_at) VALUES ('"
                        + running
                        + "', '"
                        + tenant
                        + "', 'running', now(), now(), 'elsewhere', now() + interval '1 hour')");
        try {
            Reply requested = admin.send("POST", "/admin/scavenge", null, null);
            assertEquals(202, requested.status(), requested::toString);
            assertEquals(running.toString(), requested.json().getString("jobId"));
            assertEquals("running", requested.json().getString("state"));
        } finally {
            Database.execute(
                    "UPDATE scavenge_jobs SET state = 'done', finished_at = now() WHERE job_id = '"
                            + running
                            + "'");
        }
    }

    @Test
    void aJobIsShownOnlyToItsTenantAndABadIdIsRefused() throws Exception {
        Arbor owner = tenantAdmin(newTenant("scav-own"));
        Arbor other = tenantAdmin(newTenant("scav-other"));
        String jobId = scavengeAndWait(owner).getString("jobId");

        Reply foreign = other.get("/admin/scavenge/" + jobId);
        assertEquals(404, foreign.status(), foreign::toString);
        assertEquals("urn:arbor:problem:scavenge-job-not-found", foreign.json().getString("type"));
        assertEquals(404, owner.get("/admin/scavenge/" + UUID.randomUUID()).status());
        Reply bad = owner.get("/admin/scavenge/not-a-uuid");
        assertEquals(400, bad.status(), bad::toString);
        assertEquals(400, owner.get("/admin/scavenge?limit=0").status());
        assertEquals(0, other.get("/admin/scavenge").json().getJsonArray("jobs").size());
        Reply writer =
                new Arbor(Tokens.token("arbor-writer").sign())
                        .send("POST", "/admin/scavenge", null, null);
        assertEquals(403, writer.status(), writer::toString);
    }

    /**
     * A scavenge of 50,000 hidden events while another stream takes appends: the appends keep
     * committing, and no backend of the database waits for a lock longer than a bound (sampled from
     * pg_locks every 20 ms while the job runs).
     */
    @Test
    void appendsKeepCommittingAndNoLockWaitsLongDuringALargeScavenge() throws Exception {
        String tenant = newTenant("scav-big");
        Arbor admin = tenantAdmin(tenant);
        String big = Arbor.newStream("scavbig");
        for (int page = 0; page < 50; page++) {
            StringBuilder events = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                events.append(i == 0 ? "" : ",")
                        .append(Arbor.event(UUID.randomUUID(), "Filled", "{\"i\":" + i + "}"));
            }
            Reply appended =
                    admin.post(
                            "/streams/" + big + "/events",
                            "{\"expectedVersion\":\"any\",\"events\":[" + events + "]}");
            assertEquals(201, appended.status(), appended::toString);
        }
        String busy = Arbor.newStream("scavbusy");
        assertEquals(201, admin.append(busy, "\"any\"", "Started").status());
        Database.execute(
                "UPDATE streams SET truncate_before = version + 1 WHERE tenant = '"
                        + tenant
                        + "' AND stream_id = '"
                        + big
                        + "'");

        AtomicBoolean done = new AtomicBoolean();
        AtomicLong maxWaitMillis = new AtomicLong();
        AtomicLong appends = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread sampler =
                new Thread(
                        () -> {
                            try (Connection db = Database.connect();
                                    PreparedStatement waits =
                                            db.prepareStatement(
                                                    "SELECT coalesce(max(extract(epoch FROM"
                                                            + " clock_timestamp() - l.waitstart))"
                                                            + " * 1000, 0) FROM pg_locks l WHERE NOT"
                                                            + " l.granted AND l.database = (SELECT"
                                                            + " oid FROM pg_database WHERE datname"
                                                            + " = current_database())")) {
                                while (!done.get()) {
                                    try (ResultSet row = waits.executeQuery()) {
                                        row.next();
                                        maxWaitMillis.accumulateAndGet(
                                                (long) row.getDouble(1), Math::max);
                                    }
                                    Thread.sleep(20);
                                }
                            } catch (Exception e) {
                                failure.set(e);
                            }
                        });
        Thread appender =
                new Thread(
                        () -> {
                            try {
                                while (!done.get()) {
                                    Reply appended = admin.append(busy, "\"any\"", "Ticked");
                                    if (appended.status() != 201) {
                                        throw new AssertionError(appended.toString());
                                    }
                                    appends.incrementAndGet();
                                }
                            } catch (Throwable e) {
                                failure.set(e);
                            }
                        });
        sampler.start();
        appender.start();
        JsonObject job;
        long appendsBefore;
        try {
            Thread.sleep(200);
            appendsBefore = appends.get();
            job = scavengeAndWait(admin);
        } finally {
            done.set(true);
            sampler.join(10_000);
            appender.join(30_000);
        }
        assertEquals(null, failure.get());
        assertEquals("done", job.getString("state"));
        assertEquals(50_000, job.getJsonNumber("eventsRemoved").longValue());
        assertTrue(
                job.getJsonNumber("batches").longValue() >= 50,
                "bounded batches: " + job.getJsonNumber("batches"));
        assertTrue(appends.get() > appendsBefore, "appends committed during the scavenge");
        assertTrue(maxWaitMillis.get() < 1000, "longest lock wait: " + maxWaitMillis + " ms");
        assertEquals(List.of(), versionRange(tenant, big));
        assertEquals(appends.get() + 1, versionRange(tenant, busy).get(1));
    }

    /**
     * A job that an instance left running when it stopped is claimed once its heartbeat is stale
     * (arbor.scavenge.stale-after-seconds) and finished after the domain restarts, from its cursor,
     * counting on from what it had. Its heartbeat is fresh when the domain goes down, so it is the
     * restarted instance that claims it.
     */
    @Test
    void aJobLeftRunningByADeadInstanceIsFinishedAfterARestart() throws Exception {
        String tenant = newTenant("scav-resume");
        Arbor admin = tenantAdmin(tenant);
        String category = Arbor.newCategory();
        String first = category + "-a";
        String second = category + "-b";
        appendTagged(admin, first, 6);
        appendTagged(admin, second, 6);
        Database.execute(
                "UPDATE streams SET truncate_before = 5 WHERE tenant = '"
                        + tenant
                        + "' AND stream_id IN ('"
                        + first
                        + "', '"
                        + second
                        + "')");
        UUID jobId = UUID.randomUUID();
        // The dead instance had removed the first stream's 4 hidden events (as if: it counted
        // them; the rows are still there, so the resumed job must not walk that stream again).
        Database.execute(
                "INSERT INTO scavenge_jobs (job_id, tenant, state, requested_at, started_at, owner,"
                        + " heartbeat_at, cursor_stream, streams_scanned, events_removed, batches)"
                        + " VALUES ('"
                        + jobId
                        + "', '"
                        + tenant
                        + "', 'running', now() - interval '1 minute', now() - interval '1 minute',"
                        + " 'dead/instance', now(), '"
                        + first
                        + "', 1, 4, 1)");

        Domain.asadmin("restart-domain", System.getProperty("arbor.domain"));
        Domain.awaitReady();

        JsonObject job = await(admin, jobId.toString());
        assertEquals("done", job.getString("state"));
        assertEquals(8, job.getJsonNumber("eventsRemoved").longValue());
        assertEquals(2, job.getJsonNumber("streamsScanned").longValue());
        assertEquals(List.of(1L, 6L), versionRange(tenant, first), "behind the cursor: untouched");
        assertEquals(List.of(5L, 6L), versionRange(tenant, second));
    }

    // ---- helpers

    /** Appends {@code n} events to a new stream, each with the tags {@code s:<stream>} and k:i. */
    private static void appendTagged(Arbor admin, String stream, int n) {
        StringBuilder events = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            events.append(i == 1 ? "" : ",")
                    .append("{\"eventId\":\"")
                    .append(UUID.randomUUID())
                    .append("\",\"type\":\"Happened\",\"data\":{\"i\":")
                    .append(i)
                    .append("},\"tags\":[\"s:")
                    .append(stream)
                    .append("\",\"k:")
                    .append(i)
                    .append("\"]}");
        }
        Reply appended =
                admin.post(
                        "/streams/" + stream + "/events",
                        "{\"expectedVersion\":\"no_stream\",\"events\":[" + events + "]}");
        assertEquals(201, appended.status(), appended::toString);
    }

    private static void snapshot(Arbor admin, String stream, long version) {
        Reply saved =
                admin.put(
                        "/streams/" + stream + "/snapshot",
                        "{\"version\":" + version + ",\"type\":\"State\",\"data\":{}}");
        assertEquals(201, saved.status(), saved::toString);
    }

    /** Requests a scavenge (202) and waits until the job ends; the job as it ended. */
    private static JsonObject scavengeAndWait(Arbor admin) throws InterruptedException {
        Reply requested = admin.send("POST", "/admin/scavenge", null, null);
        assertEquals(202, requested.status(), requested::toString);
        return await(admin, requested.json().getString("jobId"));
    }

    private static JsonObject await(Arbor admin, String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            Reply read = admin.get("/admin/scavenge/" + jobId);
            assertEquals(200, read.status(), read::toString);
            String state = read.json().getString("state");
            if (state.equals("done") || state.equals("failed")) {
                return read.json();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("scavenge job " + jobId + " did not end within 180 s");
    }

    /** The lowest and highest stored version of the stream; empty when it stores none. */
    private static List<Long> versionRange(String tenant, String stream) throws SQLException {
        try (Connection db = Database.connect();
                PreparedStatement select =
                        db.prepareStatement(
                                "SELECT min(version), max(version) FROM events WHERE tenant = ?"
                                        + " AND stream_id = ?")) {
            select.setString(1, tenant);
            select.setString(2, stream);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                long min = row.getLong(1);
                return row.wasNull() ? List.of() : List.of(min, row.getLong(2));
            }
        }
    }

    private static List<Long> snapshotVersions(String tenant, String stream) throws SQLException {
        List<Long> versions = new ArrayList<>();
        try (Connection db = Database.connect();
                PreparedStatement select =
                        db.prepareStatement(
                                "SELECT version FROM snapshots WHERE tenant = ? AND stream_id = ?"
                                        + " ORDER BY version")) {
            select.setString(1, tenant);
            select.setString(2, stream);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    versions.add(rows.getLong(1));
                }
            }
        }
        return versions;
    }

    private static byte[] hashOf(String tenant, String stream, long version) {
        try (Connection db = Database.connect();
                PreparedStatement select =
                        db.prepareStatement(
                                "SELECT hash FROM events WHERE tenant = ? AND stream_id = ? AND"
                                        + " version = ?")) {
            select.setString(1, tenant);
            select.setString(2, stream);
            select.setLong(3, version);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next());
                byte[] hash = row.getBytes(1);
                assertFalse(hash == null, "events are chained");
                return hash;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object[] anchor(String tenant, String stream) {
        try (Connection db = Database.connect();
                PreparedStatement select =
                        db.prepareStatement(
                                "SELECT version, hash FROM stream_chain_anchors WHERE tenant = ?"
                                        + " AND stream_id = ?")) {
            select.setString(1, tenant);
            select.setString(2, stream);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next(), "an anchor for " + stream);
                return new Object[] {row.getLong(1), row.getBytes(2)};
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The positions of the streams' versions up to the given ones, as a SQL list. */
    private static String positionsUpTo(String tenant, Map<String, Long> upTo) throws SQLException {
        List<String> positions = new ArrayList<>();
        try (Connection db = Database.connect();
                PreparedStatement select =
                        db.prepareStatement(
                                "SELECT global_position FROM events WHERE tenant = ? AND stream_id"
                                        + " = ? AND version <= ?")) {
            for (Map.Entry<String, Long> stream : upTo.entrySet()) {
                select.setString(1, tenant);
                select.setString(2, stream.getKey());
                select.setLong(3, stream.getValue());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        positions.add(Long.toString(rows.getLong(1)));
                    }
                }
            }
        }
        return "(" + String.join(",", positions) + ")";
    }

    /** The group rows (window and parked) of the tenant at these positions. */
    private static long groupRowsAt(String tenant, String positions) throws SQLException {
        String where = " WHERE tenant = '" + tenant + "' AND global_position IN " + positions;
        return Database.queryLong("SELECT count(*) FROM consumer_group_events" + where)
                + Database.queryLong("SELECT count(*) FROM consumer_group_parked" + where);
    }

    /** Row counts of one tenant's tables that a scavenge may touch. */
    private record Counts(long events, long tags, long snapshots, long groupRows, long anchors) {
        static Counts of(String tenant) throws SQLException {
            String where = " WHERE tenant = '" + tenant + "'";
            return new Counts(
                    Database.queryLong("SELECT count(*) FROM events" + where),
                    Database.queryLong("SELECT count(*) FROM event_tags" + where),
                    Database.queryLong("SELECT count(*) FROM snapshots" + where),
                    Database.queryLong("SELECT count(*) FROM consumer_group_events" + where)
                            + Database.queryLong(
                                    "SELECT count(*) FROM consumer_group_parked" + where),
                    Database.queryLong("SELECT count(*) FROM stream_chain_anchors" + where));
        }
    }
}
