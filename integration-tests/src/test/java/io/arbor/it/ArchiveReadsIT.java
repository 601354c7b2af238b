package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every read answers the same bytes whether a range of the log is in PostgreSQL or archived (issue
 * 20; docs/archive.md, "What reads do"). A 200,000-event log (three tenants, tags, types, JSON
 * whose text PostgreSQL and a segment print differently, long streams spanning many ranges, a
 * stream whose retention hides its first quarter) is read through every read of the API: each
 * tenant's log page by page (stored form and upcast), a filtered log, stream reads forward and
 * backward in pages, stream heads, a tag-and-type query, events by id, a live subscription from 0,
 * a consumer group from the start and {@code arbor verify}. Then the lower half is archived (the
 * job waits out the grace, so its partitions are detached and dropped) and everything is read
 * again, byte for byte; a byte flipped in one segment makes reads of that range answer 503
 * problem+json {@code archive-unavailable} naming it while other ranges read on; the file copied
 * back reads again; restored into PostgreSQL, everything reads the same once more.
 *
 * <p>The test domain makes partitions of 10,000 positions and a grace of 4 s
 * (server-config/test.sh). One test: its phases share the one expensive log.
 */
class ArchiveReadsIT extends ArborIT {
    private static final int ROUNDS = 200;
    private static final int PER_ROUND = 1000;
    private static final List<String> NO_CACHE = List.of("Cache-Control", "no-cache");

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final List<Arbor> tenants =
            List.of(
                    arbor,
                    Tokens.tenantAdmin("ar-a-" + suffix, "alice-" + suffix),
                    Tokens.tenantAdmin("ar-b-" + suffix, "bob-" + suffix));
    private final String category = Arbor.newCategory();
    private final String groupCategory = Arbor.newCategory();
    private final String ruled = category + "-ruled";
    private final String tag = "tag-" + suffix;

    /** The long streams appended to, per tenant (index in {@link #tenants}). */
    private final List<Set<String>> longStreams =
            List.of(new TreeSet<>(), new TreeSet<>(), new TreeSet<>());

    @Test
    void everyReadAnswersTheSameBytesWhetherARangeIsInPostgresqlOrArchived() throws Exception {
        long before = arbor.lastPosition(0);
        List<String> ids = seed();
        long last = arbor.lastPosition(before);
        // The ruled stream's first quarter is hidden by its rule: all of it in the archived half.
        int ruledEvents = (int) versionOf(ruled);
        Reply rule =
                arbor.put(
                        "/streams/" + ruled + "/metadata",
                        "{\"maxCount\":" + (ruledEvents - ruledEvents / 4) + "}");
        assertEquals(200, rule.status(), rule::toString);

        Map<String, String> inPostgresql = capture(ids);
        assertVerifies();

        // Archive the ranges below the middle of this test's events.
        long middle = before + (last - before) / 2;
        long below = awaitSealedBoundary(before, middle);
        assertTrue(below > before + 20_000, "at least two ranges of this test's events archived");
        JsonObject job = runJob("/admin/archive", "{\"belowPosition\":" + below + "}");
        assertTrue(job.getInt("detached") >= 2, job::toString);
        List<JsonObject> detached =
                ranges().stream().filter(r -> r.getString("state").equals("detached")).toList();
        assertTrue(
                detached.stream().anyMatch(r -> r.getJsonNumber("to").longValue() == below),
                detached::toString);

        Map<String, String> archived = capture(ids);
        assertSameReads(inPostgresql, archived, "archived");
        assertVerifies();

        aCorruptedSegmentMakesItsRangeUnavailableAndOnlyIt(detached, inPostgresql);

        for (JsonObject range : detached) {
            runJob("/admin/archive/restore", "{\"from\":" + range.getJsonNumber("from") + "}");
        }
        assertTrue(
                ranges().stream().allMatch(r -> r.getString("state").equals("attached")),
                "every range attached again");
        assertSameReads(inPostgresql, capture(ids), "restored");
    }

    /**
     * One flipped byte in a segment's data file: a read of its range answers 503 problem+json
     * naming the range, never events; a read of another range answers as before; the file copied
     * back, the range reads again.
     */
    private void aCorruptedSegmentMakesItsRangeUnavailableAndOnlyIt(
            List<JsonObject> detached, Map<String, String> expected) throws Exception {
        JsonObject range = detached.get(detached.size() - 1);
        long from = range.getJsonNumber("from").longValue();
        long to = range.getJsonNumber("to").longValue();
        Path data =
                Path.of(arbor.get("/admin/archive").json().getString("dir"))
                        .resolve("events-" + from + "-" + to + ".ndjson.gz");
        byte[] good = Files.readAllBytes(data);
        byte[] bad = good.clone();
        bad[100] ^= 0x01; // inside the first block (a block is up to 1,000 events)
        Files.write(data, bad);
        try {
            for (Arbor tenant : tenants) {
                Reply unavailable = tenant.get("/events?limit=10&after=" + (from - 1));
                assertEquals(503, unavailable.status(), unavailable::toString);
                assertTrue(unavailable.isProblem(), unavailable::toString);
                JsonObject problem = unavailable.json();
                assertEquals("urn:arbor:problem:archive-unavailable", problem.getString("type"));
                assertEquals(from, problem.getJsonNumber("from").longValue());
                assertEquals(to, problem.getJsonNumber("to").longValue());
                assertTrue(
                        problem.getString("detail").contains("[" + from + ", " + to + ")"),
                        problem::toString);
            }
            // Elsewhere: a range in PostgreSQL, and the first archived range, read as before.
            long elsewhere = to + 15_000;
            Reply fine = arbor.get("/events?limit=1000&after=" + elsewhere);
            assertEquals(200, fine.status(), fine::toString);
            Reply other =
                    arbor.get("/events?limit=5&after=" + detached.get(0).getJsonNumber("from"));
            assertEquals(200, other.status(), other::toString);
        } finally {
            Files.write(data, good);
        }
        Reply repaired = arbor.get("/events?limit=10&after=" + (from - 1));
        assertEquals(200, repaired.status(), repaired::toString);
        Map<String, String> again = new LinkedHashMap<>();
        logPages(arbor, "log0", "&upcast=false", again);
        assertSameReads(
                subset(expected, again.keySet()), again, "repaired: the default tenant's log");
    }

    /** 200 appends of 1,000 events: each tenant's long streams, the ruled one, the group's. */
    private List<String> seed() {
        List<String> ids = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            int t = round % 3;
            String stream;
            if (t == 0 && round % 12 == 0) {
                stream = ruled;
            } else if (t == 0 && round % 12 == 6) {
                stream = groupCategory + "-1";
            } else {
                stream = category + "-long-" + (round / 3) % 4;
                longStreams.get(t).add(stream);
            }
            StringBuilder events = new StringBuilder();
            for (int i = 0; i < PER_ROUND; i++) {
                UUID id = UUID.randomUUID();
                if (i % 97 == 0) {
                    ids.add(t + ":" + id);
                }
                if (i > 0) {
                    events.append(',');
                }
                // Texts PostgreSQL prints otherwise than a segment holds them: spaces, key
                // order, 1.50, 1e-7, escapes, non-ASCII.
                events.append("{\"eventId\":\"")
                        .append(id)
                        .append("\",\"type\":\"T")
                        .append(i % 3)
                        .append("\",\"data\":{\"n\":")
                        .append(i)
                        .append(",\"x\":1.50,\"e\":1e-7,\"big\":1.0E+2,\"s\":\"é\\n\\u0001\\\"/\",")
                        .append("\"nested\":{\"bb\":[true,null,-0.0],\"a\":{}}}");
                if (i % 5 == 0) {
                    events.append(",\"metadata\":{\"round\":").append(round).append('}');
                }
                if (i % 10 == 0) {
                    events.append(",\"tags\":[\"")
                            .append(tag)
                            .append("\",\"t")
                            .append(i % 3)
                            .append("\"]");
                }
                events.append('}');
            }
            Reply appended =
                    tenants.get(t)
                            .post(
                                    "/streams/" + stream + "/events",
                                    "{\"expectedVersion\":\"any\",\"events\":[" + events + "]}");
            assertEquals(201, appended.status(), appended::toString);
        }
        return ids;
    }

    /** Every read, by name, as the bytes of its answer. */
    private Map<String, String> capture(List<String> ids) throws Exception {
        Map<String, String> reads = new LinkedHashMap<>();
        for (int t = 0; t < tenants.size(); t++) {
            logPages(tenants.get(t), "log" + t, "&upcast=false", reads);
            // One long stream per tenant (each spans most ranges): the others read alike.
            String stream = longStreams.get(t).iterator().next();
            streamPages(tenants.get(t), "t" + t + ":", stream, reads);
        }
        logPages(tenants.get(1), "typed", "&type=T1&category=" + category, reads);
        streamPages(arbor, "", ruled, reads);
        streamPages(arbor, "", groupCategory + "-1", reads);
        queryPages(reads);
        for (String id : ids) {
            int t = id.charAt(0) - '0';
            String eventId = id.substring(2);
            // 404 for the ruled stream's hidden first quarter, in both tiers alike.
            Reply event = tenants.get(t).get("/events/" + eventId);
            reads.put("event " + id, event.status() + " " + event.body());
        }
        reads.put("subscription", subscription());
        reads.put("group", group());
        return reads;
    }

    private void logPages(Arbor tenant, String name, String filter, Map<String, String> reads) {
        long after = 0;
        for (int page = 0; ; page++) {
            Reply reply = tenant.get("/events?limit=1000&after=" + after + filter);
            String body = body(reply, name);
            JsonObject json = reply.json();
            reads.put(name + " " + page, body);
            if (json.getJsonArray("events").isEmpty()) {
                return;
            }
            after = json.getJsonNumber("lastPosition").longValue();
        }
    }

    private void streamPages(
            Arbor tenant, String prefix, String stream, Map<String, String> reads) {
        String path = "/streams/" + stream;
        reads.put(prefix + stream + " head", body(tenant.get(path), stream));
        for (String direction : List.of("forward", "backward")) {
            long from = direction.equals("forward") ? 0 : Long.MAX_VALUE;
            for (int page = 0; ; page++) {
                Reply reply =
                        tenant.send(
                                "GET",
                                path
                                        + "/events?limit=700&direction="
                                        + direction
                                        + "&upcast=false"
                                        + (from == Long.MAX_VALUE ? "" : "&from=" + from),
                                null,
                                null,
                                NO_CACHE);
                reads.put(prefix + stream + " " + direction + " " + page, body(reply, stream));
                JsonArray events = reply.json().getJsonArray("events");
                if (events.isEmpty()) {
                    break;
                }
                long lastVersion =
                        events.getJsonObject(events.size() - 1)
                                .getJsonNumber("version")
                                .longValue();
                if (direction.equals("backward") && lastVersion <= 1) {
                    break;
                }
                from = direction.equals("forward") ? lastVersion + 1 : lastVersion - 1;
            }
        }
    }

    private void queryPages(Map<String, String> reads) {
        long after = 0;
        for (int page = 0; ; page++) {
            Reply reply =
                    arbor.post(
                            "/events/query",
                            "{\"items\":[{\"tags\":[\""
                                    + tag
                                    + "\",\"t2\"]},{\"types\":[\"T1\"]}],\"after\":"
                                    + after
                                    + ",\"limit\":1000}");
            reads.put("query " + page, body(reply, "query"));
            JsonObject json = reply.json();
            if (json.getJsonArray("events").isEmpty()) {
                return;
            }
            after = json.getJsonNumber("lastPosition").longValue();
        }
    }

    /** The default tenant's live subscription from 0: its event frames up to caught-up. */
    private String subscription() throws Exception {
        try (SseSubscriber sse = SseSubscriber.open("/events/subscribe?after=0&upcast=false")) {
            sse.await(frame -> "caught-up".equals(frame.name()), 120, "caught up");
            StringBuilder events = new StringBuilder();
            for (SseSubscriber.Frame frame : sse.frames()) {
                if ("event".equals(frame.name())) {
                    events.append(frame.id()).append(' ').append(frame.data()).append('\n');
                }
                if ("caught-up".equals(frame.name())) {
                    events.append("caught-up ").append(frame.data()).append('\n');
                    break;
                }
            }
            return events.toString();
        }
    }

    /** A new consumer group on the group's category, read from the start and acked. */
    private String group() {
        Groups groups = new Groups(arbor);
        String group = Groups.newGroup();
        groups.create(group, "{\"filter\":{\"category\":\"" + groupCategory + "\"}}");
        StringBuilder events = new StringBuilder();
        while (true) {
            List<JsonObject> fetched = groups.fetch(group, "c", 1000, 0);
            if (fetched.isEmpty()) {
                break;
            }
            List<String> eventIds = new ArrayList<>();
            for (JsonObject event : fetched) {
                events.append(event).append('\n');
                eventIds.add(event.getString("eventId"));
            }
            Reply acked = groups.ack(group, "c", eventIds);
            assertTrue(acked.status() / 100 == 2, acked::toString);
        }
        groups.delete(group);
        return events.toString();
    }

    private static String body(Reply reply, String what) {
        assertEquals(200, reply.status(), () -> what + ": " + reply);
        return reply.body();
    }

    private static void assertSameReads(
            Map<String, String> expected, Map<String, String> actual, String when) {
        assertEquals(expected.keySet(), actual.keySet(), when + ": the same reads");
        for (Map.Entry<String, String> read : expected.entrySet()) {
            String got = actual.get(read.getKey());
            if (!read.getValue().equals(got)) {
                fail(
                        when
                                + ": "
                                + read.getKey()
                                + " differs at "
                                + firstDifference(read.getValue(), got)
                                + "\nexpected: "
                                + around(read.getValue(), got)
                                + "\nactual:   "
                                + around(got, read.getValue()));
            }
        }
    }

    private static int firstDifference(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }

    private static String around(String text, String other) {
        int at = firstDifference(text, other);
        return text.substring(Math.max(0, at - 120), Math.min(text.length(), at + 120));
    }

    private static Map<String, String> subset(Map<String, String> all, Set<String> keys) {
        Map<String, String> kept = new LinkedHashMap<>();
        keys.forEach(key -> kept.put(key, all.get(key)));
        return kept;
    }

    /**
     * {@code arbor verify} through the API, every stream's chain included, then with the database
     * and the archive directory: the key table's counts of the ranges only the archive holds, each
     * such range against its segment, the segments themselves, and the hashes of heads and seeds
     * that lie in the archive: no anomaly.
     */
    private void assertVerifies() {
        CliIT.Run run = CliIT.arbor("verify", "--no-db", "--json");
        assertEquals(0, run.status(), run::toString);
        String dir = arbor.get("/admin/archive").json().getString("dir");
        CliIT.Run compared = CliIT.arborDb("verify", "--json", "--archive-dir", dir);
        assertEquals(0, compared.status(), compared::toString);
        JsonObject summary = compared.jsonLines().get(0);
        long detached =
                ranges().stream().filter(r -> r.getString("state").equals("detached")).count();
        assertEquals(
                detached, summary.getJsonNumber("archivedRanges").longValue(), summary::toString);
        if (detached > 0) {
            assertTrue(summary.getString("archive").startsWith("compared"), summary::toString);
        }
    }

    private long versionOf(String stream) {
        return arbor.get("/streams/" + stream).json().getJsonNumber("version").longValue();
    }

    private List<JsonObject> ranges() {
        return arbor.get("/admin/archive").json().getJsonArray("ranges").stream()
                .map(JsonValue::asJsonObject)
                .toList();
    }

    /**
     * The highest range end at or below {@code position} once every range of this test's events
     * below it is sealed (the partition check, every 2 s in the test domain, seals them): what an
     * archive run may take. (A range without events, as the first one of a fresh store, is never
     * sealed; the archiver passes it over.)
     */
    private long awaitSealedBoundary(long before, long position) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            List<JsonObject> ranges = ranges();
            long boundary =
                    ranges.stream()
                            .mapToLong(r -> r.getJsonNumber("to").longValue())
                            .filter(to -> to <= position)
                            .max()
                            .orElse(0);
            boolean sealed =
                    ranges.stream()
                            .filter(r -> r.getJsonNumber("to").longValue() <= boundary)
                            .filter(r -> r.getJsonNumber("to").longValue() > before + 1)
                            // a range storing no event (another tenant's, all scavenged) is
                            // never sealed, and the archiver passes it over
                            .filter(ArchiveEdgesIT::holdsEvents)
                            .allMatch(r -> !r.isNull("maxRecordedAt"));
            if (boundary > 0 && sealed) {
                return boundary;
            }
            if (System.nanoTime() > deadline) {
                fail("the ranges below " + position + " were not sealed: " + ranges);
            }
            Thread.sleep(500);
        }
    }

    /** Starts a job and waits for it to end; it must end done. */
    private JsonObject runJob(String path, String body) throws InterruptedException {
        Reply started = arbor.post(path, body);
        assertEquals(202, started.status(), started::toString);
        String jobId = started.json().getString("jobId");
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (true) {
            JsonObject job = arbor.get("/admin/archive/" + jobId).json();
            if (!job.getString("state").equals("running")) {
                assertEquals("done", job.getString("state"), job::toString);
                return job;
            }
            if (System.nanoTime() > deadline) {
                fail("the job " + path + " " + body + " did not end: " + job);
            }
            Thread.sleep(250);
        }
    }
}
