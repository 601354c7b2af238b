package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The archive's edges that ArchiveReadsIT's one large log does not reach (issue 20, review of the
 * read side): archived ranges with a gap between them (a middle range restored), a stream ruled by
 * age whose hidden versions lie in an archived range and in the attached gap and whose visible ones
 * lie in the archived range above (the probe must look past the gap: S2), an append condition whose
 * match lies in an archived range, by tag (candidates from {@code event_tags}: B1) and by type only
 * (a segment scan), with no {@code after}, and a query from 0 by tag.
 *
 * <p>A scavenge of that stream removes nothing (its hidden run starts in an archived range) and
 * keeps its snapshot (its first visible version is archived: S3).
 *
 * <p>The test domain makes partitions of 10,000 positions (server-config/test.sh): 10,000 filler
 * events between the aged stream's appends put each in its own range.
 */
class ArchiveEdgesIT extends ArborIT {
    private static final List<String> NO_CACHE = List.of("Cache-Control", "no-cache");

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String category = "edge" + suffix.replace("-", "");
    private final String tag = "edge-tag-" + suffix;
    private final String rareType = "EdgeRare" + suffix.replace("-", "");

    /** The aged stream's own tenant: its scavenge touches no other test's streams. */
    private final String edgeTenant = "ae-" + suffix;

    private final Arbor edge = Tokens.tenantAdmin(edgeTenant, "eve-" + suffix);

    @Test
    void archivedRangesWithAGapAnswerAgedStreamsConditionsAndQueries() throws Exception {
        long before = arbor.lastPosition(0);
        String aged = category + "-aged";
        String tagged = category + "-tagged";
        long[] first = append(edge, aged, 5, "Aged", null);
        long taggedPosition = append(arbor, tagged, 1, "Tagged", tag)[1];
        long rarePosition = append(arbor, category + "-rare", 1, rareType, null)[1];
        fill(10_000);
        long[] second = append(edge, aged, 5, "Aged", null);
        fill(10_000);
        long[] third = append(edge, aged, 5, "Aged", null);
        fill(10_000);
        // The first ten versions (two ranges) are two hours old; the rule hides them by age.
        Database.execute(
                "UPDATE events SET recorded_at = now() - interval '2 hours' WHERE tenant = '"
                        + edgeTenant
                        + "' AND stream_id = '"
                        + aged
                        + "' AND version <= 10");
        Reply rule = edge.put("/streams/" + aged + "/metadata", "{\"maxAge\":3600}");
        assertEquals(200, rule.status(), rule::toString);
        Reply snapshot =
                edge.put(
                        "/streams/" + aged + "/snapshot",
                        "{\"version\":12,\"type\":\"State\",\"data\":{}}");
        assertEquals(201, snapshot.status(), snapshot::toString);
        String agedRead = streamRead(aged);
        assertTrue(agedRead.contains("\"version\":11"), agedRead);
        assertTrue(!agedRead.contains("\"version\":10,"), agedRead);

        long below = awaitSealed(first[0] - 1, third[1]);
        try {
            JsonObject job = runJob("/admin/archive", "{\"belowPosition\":" + below + "}");
            long middle = rangeHolding(second[0]).getJsonNumber("from").longValue();
            assertTrue(rangeHolding(first[0]).getString("state").equals("detached"));
            assertTrue(rangeHolding(third[0]).getString("state").equals("detached"));
            runJob("/admin/archive/restore", "{\"from\":" + middle + "}");
            assertEquals("attached", rangeHolding(second[0]).getString("state"));

            // S2: the visible versions 11-15 are archived above an attached hidden run.
            assertEquals(agedRead, streamRead(aged), "the aged stream across the gap");

            // S3: a scavenge removes nothing of it (its hidden run starts in an archived range)
            // and keeps the snapshot at 12 (its visible versions, all archived, start at 11).
            Reply requested = edge.send("POST", "/admin/scavenge", null, null);
            assertEquals(202, requested.status(), requested::toString);
            JsonObject scavenged = awaitScavenge(requested.json().getString("jobId"));
            assertEquals("done", scavenged.getString("state"), scavenged::toString);
            assertEquals(
                    0,
                    scavenged.getJsonNumber("snapshotsRemoved").longValue(),
                    scavenged::toString);
            assertEquals(
                    15,
                    Database.queryLong(
                            "SELECT count(*) FROM event_keys WHERE tenant = '"
                                    + edgeTenant
                                    + "' AND stream_id = '"
                                    + aged
                                    + "'"),
                    "no version removed");
            assertEquals(200, edge.get("/streams/" + aged + "/snapshot").status());
            assertEquals(agedRead, streamRead(aged), "the aged stream after a scavenge");

            // B1: a condition with no after whose match is archived: by tag, then by type only.
            Reply byTag =
                    arbor.post(
                            "/events",
                            conditional(
                                    category + "-new-" + suffix,
                                    "{\"items\":[{\"tags\":[\"" + tag + "\"]}]}"));
            assertEquals(409, byTag.status(), byTag::toString);
            assertEquals(
                    "urn:arbor:problem:append-condition-failed", byTag.json().getString("type"));
            assertEquals(taggedPosition, byTag.json().getJsonNumber("position").longValue());
            Reply byType =
                    arbor.post(
                            "/events",
                            conditional(
                                    category + "-new-" + suffix,
                                    "{\"items\":[{\"types\":[\"" + rareType + "\"]}]}"));
            assertEquals(409, byType.status(), byType::toString);
            assertEquals(rarePosition, byType.json().getJsonNumber("position").longValue());
            assertEquals(
                    404,
                    arbor.get("/streams/" + category + "-new-" + suffix).status(),
                    "nothing written");
            Reply missing =
                    arbor.post(
                            "/events",
                            conditional(
                                    category + "-new-" + suffix,
                                    "{\"items\":[{\"tags\":[\"" + tag + "-none\"]}]}"));
            assertTrue(missing.status() / 100 == 2, missing::toString);

            // A query from 0 by tag finds the archived event.
            Reply query =
                    arbor.post(
                            "/events/query",
                            "{\"items\":[{\"tags\":[\"" + tag + "\"]}],\"after\":0,\"limit\":10}");
            assertEquals(200, query.status(), query::toString);
            JsonArray events = query.json().getJsonArray("events");
            assertEquals(1, events.size(), query::toString);
            assertEquals(
                    taggedPosition,
                    events.getJsonObject(0).getJsonNumber("globalPosition").longValue());
        } finally {
            for (JsonObject range : ranges()) {
                if (!range.getString("state").equals("attached")) {
                    runJob(
                            "/admin/archive/restore",
                            "{\"from\":" + range.getJsonNumber("from") + "}");
                }
            }
        }
    }

    /** Appends {@code count} events; returns the first and last position. */
    private long[] append(Arbor tenant, String stream, int count, String type, String eventTag) {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                events.append(',');
            }
            events.append("{\"eventId\":\"")
                    .append(UUID.randomUUID())
                    .append("\",\"type\":\"")
                    .append(type)
                    .append("\",\"data\":{\"i\":")
                    .append(i)
                    .append('}');
            if (eventTag != null) {
                events.append(",\"tags\":[\"").append(eventTag).append("\"]");
            }
            events.append('}');
        }
        Reply appended =
                tenant.post(
                        "/streams/" + stream + "/events",
                        "{\"expectedVersion\":\"any\",\"events\":[" + events + "]}");
        assertEquals(201, appended.status(), appended::toString);
        JsonObject json = appended.json();
        return new long[] {
            json.getJsonNumber("fromPosition").longValue(),
            json.getJsonNumber("toPosition").longValue()
        };
    }

    private void fill(int events) {
        for (int i = 0; i < events / 1000; i++) {
            append(arbor, category + "-fill-" + i, 1000, "Fill", null);
        }
    }

    private static String conditional(String stream, String items) {
        return "{\"streams\":[{\"streamId\":\""
                + stream
                + "\",\"events\":[{\"eventId\":\""
                + UUID.randomUUID()
                + "\",\"type\":\"New\",\"data\":{}}]}],\"condition\":{\"failIfEventsMatch\":"
                + items
                + "}}";
    }

    private JsonObject awaitScavenge(String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonObject job = edge.get("/admin/scavenge/" + jobId).json();
            if (job.getString("state").equals("done") || job.getString("state").equals("failed")) {
                return job;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("scavenge job " + jobId + " did not end");
    }

    private String streamRead(String stream) {
        Reply reply =
                edge.send(
                        "GET",
                        "/streams/" + stream + "/events?limit=100&upcast=false",
                        null,
                        null,
                        NO_CACHE);
        assertEquals(200, reply.status(), reply::toString);
        return reply.body();
    }

    private List<JsonObject> ranges() {
        return arbor.get("/admin/archive").json().getJsonArray("ranges").stream()
                .map(JsonValue::asJsonObject)
                .toList();
    }

    private JsonObject rangeHolding(long position) {
        return ranges().stream()
                .filter(r -> r.getJsonNumber("from").longValue() <= position)
                .filter(r -> position < r.getJsonNumber("to").longValue())
                .findFirst()
                .orElseThrow();
    }

    /** The end of the range holding {@code position}, once every range of this test is sealed. */
    private long awaitSealed(long before, long position) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            JsonObject holding = rangeHolding(position);
            long boundary = holding.getJsonNumber("to").longValue();
            boolean sealed =
                    ranges().stream()
                            .filter(r -> r.getJsonNumber("to").longValue() <= boundary)
                            .filter(r -> r.getJsonNumber("to").longValue() > before + 1)
                            .filter(ArchiveEdgesIT::holdsEvents)
                            .allMatch(r -> !r.isNull("maxRecordedAt"));
            if (sealed) {
                return boundary;
            }
            if (System.nanoTime() > deadline) {
                fail("the ranges below " + boundary + " were not sealed: " + ranges());
            }
            Thread.sleep(500);
        }
    }

    /**
     * Whether a range stores an event: one that holds none (all scavenged, or positions never used)
     * is never sealed, and the archiver passes it over.
     */
    static boolean holdsEvents(JsonObject range) {
        try {
            return Database.queryLong(
                            "SELECT count(*) FROM (SELECT 1 FROM event_keys WHERE global_position"
                                    + " >= "
                                    + range.getJsonNumber("from")
                                    + " AND global_position < "
                                    + range.getJsonNumber("to")
                                    + " LIMIT 1) k")
                    > 0;
        } catch (java.sql.SQLException failed) {
            throw new IllegalStateException(failed);
        }
    }

    /**
     * Starts a job and waits for it to end done; once more when it was failed as abandoned (its
     * heartbeat late on a loaded machine: "run it again", which finishes its work).
     */
    private JsonObject runJob(String path, String body) throws InterruptedException {
        JsonObject job = runJobOnce(path, body);
        if (job.getString("state").equals("failed")
                && job.getString("failure", "").contains("run it again")) {
            Thread.sleep(5_000);
            job = runJobOnce(path, body);
        }
        assertEquals("done", job.getString("state"), job::toString);
        return job;
    }

    private JsonObject runJobOnce(String path, String body) throws InterruptedException {
        Reply started = arbor.post(path, body);
        assertEquals(202, started.status(), started::toString);
        String jobId = started.json().getString("jobId");
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (true) {
            JsonObject job = arbor.get("/admin/archive/" + jobId).json();
            if (!job.getString("state").equals("running")) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                fail("the job " + path + " " + body + " did not end: " + job);
            }
            Thread.sleep(250);
        }
    }
}
