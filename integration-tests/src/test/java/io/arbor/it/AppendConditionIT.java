package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Append conditions (api.md, "Tags, queries, multi-stream appends, conditions"; docs/design.md,
 * "Append conditions"): refused when a matching event exists after {@code after}, including one
 * committed concurrently; two appends whose conditions exclude each other's events never both
 * commit; appends on disjoint tags never wait for or refuse each other.
 */
class AppendConditionIT extends ArborIT {

    static String event(String type, String... tags) {
        return "{\"eventId\":\""
                + UUID.randomUUID()
                + "\",\"type\":\""
                + type
                + "\",\"data\":{},\"tags\":["
                + quoted(tags)
                + "]}";
    }

    static String quoted(String... texts) {
        List<String> quoted = new ArrayList<>();
        for (String text : texts) {
            quoted.add("\"" + text + "\"");
        }
        return String.join(",", quoted);
    }

    /** A condition of one item: {@code types} (may be empty) and {@code tags}. */
    static String condition(long after, String[] types, String... tags) {
        return "{\"failIfEventsMatch\":{\"items\":[{"
                + (types.length == 0 ? "" : "\"types\":[" + quoted(types) + "],")
                + "\"tags\":["
                + quoted(tags)
                + "]}]},\"after\":"
                + after
                + "}";
    }

    static String conditional(String stream, String event, String condition) {
        return "{\"streams\":[{\"streamId\":\""
                + stream
                + "\",\"events\":["
                + event
                + "]}]"
                + (condition == null ? "" : ",\"condition\":" + condition)
                + "}";
    }

    private static final String[] ANY_TYPE = {};

    /**
     * {@code POST /events}, sent again with the same body (the same event ids) when no answer came:
     * what a client does when the outcome is unknown. The JDK's client sends a POST on a pooled
     * keep-alive connection the server may have just closed (seen once, with 32 threads: "header
     * parser received no bytes"); the retry is a replay (200) if the first committed.
     */
    private Reply postRetrying(String body) {
        for (int attempt = 1; ; attempt++) {
            try {
                return arbor.post("/events", body);
            } catch (java.io.UncheckedIOException noAnswer) {
                if (attempt == 3) {
                    throw noAnswer;
                }
            }
        }
    }

    @Test
    void aMatchingEventAfterAfterRefusesTheAppendAndNamesItemAndPosition() {
        String tag = "course:" + UUID.randomUUID();
        Reply first =
                arbor.post(
                        "/streams/" + Arbor.newStream("course") + "/events",
                        "{\"events\":[" + event("CourseDefined", tag) + "]}");
        assertEquals(201, first.status(), first::toString);
        long position = first.json().getJsonNumber("toPosition").longValue();

        String stream = Arbor.newStream("enrol");
        Reply refused =
                arbor.post(
                        "/events",
                        "{\"streams\":[{\"streamId\":\""
                                + stream
                                + "\",\"events\":["
                                + event("Enrolled", tag)
                                + "]}],\"condition\":{\"failIfEventsMatch\":{\"items\":["
                                + "{\"types\":[\"Nothing\"]},{\"tags\":[\""
                                + tag
                                + "\"]}]},\"after\":"
                                + (position - 1)
                                + "}}");
        assertEquals(409, refused.status(), refused::toString);
        JsonObject problem = refused.json();
        assertEquals("urn:arbor:problem:append-condition-failed", problem.getString("type"));
        assertEquals(1, problem.getInt("item"));
        assertEquals(position, problem.getJsonNumber("position").longValue());
        assertEquals(404, arbor.get("/streams/" + stream).status(), "nothing written");

        Reply passed =
                arbor.post(
                        "/events",
                        conditional(
                                stream,
                                event("Enrolled", tag),
                                condition(position, ANY_TYPE, tag)));
        assertEquals(201, passed.status(), passed::toString);
    }

    @Test
    void theSingleStreamAppendTakesAConditionToo() {
        String tag = "student:" + UUID.randomUUID();
        String stream = Arbor.newStream("student");
        String body =
                "{\"events\":["
                        + event("Registered", tag)
                        + "],\"condition\":"
                        + condition(0, new String[] {"Registered"}, tag)
                        + "}";
        assertEquals(201, arbor.post("/streams/" + stream + "/events", body).status());
        Reply again =
                arbor.post(
                        "/streams/" + stream + "/events",
                        "{\"events\":["
                                + event("Registered", tag)
                                + "],\"condition\":"
                                + condition(0, new String[] {"Registered"}, tag)
                                + "}");
        assertEquals(409, again.status(), again::toString);
        assertEquals("urn:arbor:problem:append-condition-failed", again.json().getString("type"));
        assertEquals(1, arbor.get("/streams/" + stream).json().getInt("version"));
        Reply retried = arbor.post("/streams/" + stream + "/events", body);
        assertEquals(200, retried.status(), "a replay is not checked again: " + retried);
    }

    @Test
    void twoAppendsWhoseConditionsMatchEachOthersEventNeverBothCommit() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 200; round++) {
                String tag = "seat:" + UUID.randomUUID();
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Reply>> replies = new ArrayList<>();
                for (int writer = 0; writer < 2; writer++) {
                    String body =
                            conditional(
                                    Arbor.newStream("race"),
                                    event("SeatTaken", tag, "writer:" + writer),
                                    condition(0, ANY_TYPE, tag));
                    replies.add(
                            pool.submit(
                                    () -> {
                                        start.await();
                                        return postRetrying(body);
                                    }));
                }
                int committed = 0;
                for (Future<Reply> reply : replies) {
                    Reply answer = reply.get();
                    if (answer.status() == 201 || answer.status() == 200) {
                        committed++;
                    } else {
                        assertEquals(409, answer.status(), answer::toString);
                        assertEquals(
                                "urn:arbor:problem:append-condition-failed",
                                answer.json().getString("type"));
                    }
                }
                assertEquals(1, committed, "round " + round + ": exactly one commits");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void conditionalAppendsOnDisjointTagsAllCommit() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            CyclicBarrier start = new CyclicBarrier(32);
            List<Future<Reply>> replies = new ArrayList<>();
            for (int writer = 0; writer < 32; writer++) {
                String tag = "disjoint:" + UUID.randomUUID();
                String body =
                        conditional(
                                Arbor.newStream("disjoint"),
                                event("Claimed", tag),
                                condition(0, new String[] {"Claimed"}, tag));
                replies.add(
                        pool.submit(
                                () -> {
                                    start.await();
                                    return postRetrying(body);
                                }));
            }
            for (Future<Reply> reply : replies) {
                Reply answer = reply.get();
                assertTrue(answer.status() == 201 || answer.status() == 200, answer::toString);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The course/student seat limit (dcb.events): a course has 3 seats; 10 students decide at once
     * from what they read (everyone reads, then everyone appends: a barrier). Without a condition
     * all 10 enrolments commit: the decision was made on a state that was gone when it was written.
     * With the condition "no enrolment in this course after what I read", each overtaken decision
     * is refused and taken again on the new state: exactly 3 commit.
     */
    @Test
    void theSeatLimitHoldsWithTheConditionAndIsOversubscribedWithout() throws Exception {
        assertEquals(10, enrol(10, 3, false), "without conditions every decision commits");
        assertEquals(3, enrol(10, 3, true), "with conditions the course is never oversubscribed");
    }

    /** Students enrolling in a fresh course of {@code seats}; the enrolments that committed. */
    private int enrol(int students, int seats, boolean conditional) throws Exception {
        String course = "course:" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(students);
        try {
            CyclicBarrier decided = new CyclicBarrier(students);
            List<Future<Boolean>> enrolled = new ArrayList<>();
            for (int s = 0; s < students; s++) {
                String student = "student:" + UUID.randomUUID();
                enrolled.add(
                        pool.submit(
                                () -> {
                                    boolean first = true;
                                    while (true) {
                                        long[] state = enrolments(course);
                                        if (first) {
                                            decided.await(); // everyone has read
                                            first = false;
                                        }
                                        if (state[0] >= seats) {
                                            return false; // full
                                        }
                                        Reply reply =
                                                postRetrying(
                                                        conditional(
                                                                Arbor.newStream("enrolment"),
                                                                event(
                                                                        "StudentEnrolled",
                                                                        course,
                                                                        student),
                                                                conditional
                                                                        ? condition(
                                                                                state[1],
                                                                                new String[] {
                                                                                    "StudentEnrolled"
                                                                                },
                                                                                course)
                                                                        : null));
                                        if (reply.status() == 201 || reply.status() == 200) {
                                            return true;
                                        }
                                        assertEquals(409, reply.status(), reply::toString);
                                    }
                                }));
            }
            int committed = 0;
            for (Future<Boolean> one : enrolled) {
                committed += one.get() ? 1 : 0;
            }
            assertEquals(committed, enrolments(course)[0], "the store agrees");
            return committed;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The course's enrolments, and the log position they were read up to: the global log (gap-safe)
     * of type {@code StudentEnrolled}, filtered by the course's tag here.
     */
    private long[] enrolments(String course) {
        long count = 0;
        long position = 0;
        while (true) {
            JsonObject page =
                    arbor.get("/events?type=StudentEnrolled&limit=1000&after=" + position).json();
            for (JsonObject event : page.getJsonArray("events").getValuesAs(JsonObject.class)) {
                if (event.getJsonArray("tags").getValuesAs(jakarta.json.JsonString.class).stream()
                        .anyMatch(tag -> tag.getString().equals(course))) {
                    count++;
                }
            }
            position = page.getJsonNumber("lastPosition").longValue();
            if (page.getJsonArray("events").isEmpty()) {
                return new long[] {count, position};
            }
        }
    }

    /**
     * A matching event whose append is still in flight when the conditional append begins: the
     * conditional append waits for it and is refused once it committed. The test holds the tag's
     * lock exclusive from its own session (as a conditional append would), sends a plain append of
     * the tag (which then waits, in flight, its stream row advanced), then the conditional one
     * (queued behind it), and lets go: the plain append commits first, and the condition sees it.
     */
    @Test
    void aConditionFailsOnAnEventCommittedWhileItWaited() throws Exception {
        String tag = "inflight:" + UUID.randomUUID();
        long[] key = key("default", "tag:" + tag);
        try (Connection holder = Database.connect()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock =
                    holder.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
                lock.setInt(1, (int) key[0]);
                lock.setInt(2, (int) key[1]);
                lock.execute();
            }
            CompletableFuture<Reply> plain =
                    CompletableFuture.supplyAsync(
                            () ->
                                    arbor.post(
                                            "/streams/" + Arbor.newStream("inflight") + "/events",
                                            "{\"events\":[" + event("Taken", tag) + "]}"));
            awaitWaiters(holder, key, 1);
            CompletableFuture<Reply> guarded =
                    CompletableFuture.supplyAsync(
                            () ->
                                    arbor.post(
                                            "/events",
                                            conditional(
                                                    Arbor.newStream("inflight"),
                                                    event("Taken", tag),
                                                    condition(0, ANY_TYPE, tag))));
            awaitWaiters(holder, key, 2);
            holder.commit();
            Reply first = plain.get();
            assertEquals(201, first.status(), first::toString);
            Reply second = guarded.get();
            assertEquals(409, second.status(), second::toString);
            assertEquals(
                    first.json().getJsonNumber("toPosition").longValue(),
                    second.json().getJsonNumber("position").longValue());
        }
    }

    /**
     * A wide append (here 1,000 events with 32 distinct tags each: 32,000 keys of its own, which
     * would exhaust PostgreSQL's lock table) takes only the tenant's whole key, exclusive, and so
     * waits for a conditional append in flight, which holds the whole key shared: the test holds
     * what a conditional append on one of its tags holds, from its own session, and lets go.
     */
    @Test
    void aWideAppendTakesTheWholeKeyAndWaitsForAConditionalAppendInFlight() throws Exception {
        String tag = "wide:" + UUID.randomUUID();
        long[] whole = key("default", "*");
        long[] tagKey = key("default", "tag:" + tag);
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            String[] tags = new String[32];
            tags[0] = tag;
            for (int t = 1; t < tags.length; t++) {
                tags[t] = "wide-" + i + "-" + t;
            }
            events.append(i == 0 ? "" : ",").append(event("Wide", tags));
        }
        String stream = Arbor.newStream("wide");
        try (Connection holder = Database.connect()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock =
                    holder.prepareStatement(
                            "SELECT pg_advisory_xact_lock_shared(?, ?), pg_advisory_xact_lock(?,"
                                    + " ?)")) {
                lock.setInt(1, (int) whole[0]);
                lock.setInt(2, (int) whole[1]);
                lock.setInt(3, (int) tagKey[0]);
                lock.setInt(4, (int) tagKey[1]);
                lock.execute();
            }
            CompletableFuture<Reply> wide =
                    CompletableFuture.supplyAsync(
                            () ->
                                    arbor.post(
                                            "/streams/" + stream + "/events",
                                            "{\"events\":[" + events + "]}"));
            awaitWaiters(holder, whole, 1);
            assertEquals(404, arbor.get("/streams/" + stream).status(), "still waiting");
            holder.commit();
            Reply written = wide.get();
            assertEquals(201, written.status(), written::toString);
            assertEquals(1000, written.json().getJsonNumber("toVersion").longValue());
        }
    }

    /** Waits until {@code count} sessions wait for the advisory key (no time limit of its own). */
    private static void awaitWaiters(Connection holder, long[] key, int count) throws Exception {
        try (Connection observer = Database.connect();
                Statement select = observer.createStatement()) {
            while (true) {
                var rows =
                        select.executeQuery(
                                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                                        + " AND NOT granted AND objsubid = 2 AND classid = "
                                        + (key[0] & 0xffffffffL)
                                        + " AND objid = "
                                        + (key[1] & 0xffffffffL));
                rows.next();
                if (rows.getLong(1) >= count) {
                    return;
                }
                Thread.sleep(20);
            }
        }
    }

    /** The advisory key pair of {@code text} in {@code tenant}, as ConsistencyLocks computes it. */
    private static long[] key(String tenant, String text) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(tenant.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        long key = ByteBuffer.wrap(sha.digest()).getLong();
        return new long[] {key >> 32, (int) key};
    }
}
