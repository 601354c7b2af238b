package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The held-transaction technique that proves a reader of the global log never skips an event that
 * commits late: a test-only trigger holds one append's transaction open for 3 s after its insert
 * (the insert of its key, which the events' insert writes), while 20 later appends (higher
 * positions) commit.
 */
final class LateCommit {
    private static final String SLOW_TYPE = "SlowCommitForTest";

    private LateCommit() {}

    /**
     * Appends one event of {@link #slowType} to {@code category-slow}, held open, and then one
     * event to each of {@code category-0…19}, which commit first; returns the 21 acknowledged ids.
     * Fails unless the 20 were acknowledged while the slow one was still open.
     */
    static Set<String> appendOneLateAmongTwenty(Arbor arbor, String category) throws Exception {
        return appendOneLateAmongTwenty(arbor, category, null);
    }

    /** As above, every event carrying {@code tag} (none when null). */
    static Set<String> appendOneLateAmongTwenty(Arbor arbor, String category, String tag)
            throws Exception {
        hold();
        try {
            CompletableFuture<Reply> slow =
                    CompletableFuture.supplyAsync(
                            () -> append(arbor, category + "-slow", SLOW_TYPE, tag));
            Thread.sleep(500);
            ExecutorService writers = Executors.newFixedThreadPool(8);
            List<CompletableFuture<Reply>> fast = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String stream = category + "-" + i;
                fast.add(
                        CompletableFuture.supplyAsync(
                                () -> append(arbor, stream, "Fast", tag), writers));
            }
            Set<String> acknowledged = new HashSet<>();
            for (int i = 0; i < fast.size(); i++) {
                acknowledged.add(
                        firstEventId(
                                arbor, fast.get(i).get(60, TimeUnit.SECONDS), category + "-" + i));
            }
            writers.shutdown();
            // The technique proves something only if the later appends committed while the slow
            // one was open.
            assertFalse(slow.isDone(), "the slow append was not held open");
            acknowledged.add(
                    firstEventId(arbor, slow.get(60, TimeUnit.SECONDS), category + "-slow"));
            return acknowledged;
        } finally {
            release();
        }
    }

    private static Reply append(Arbor arbor, String stream, String type, String tag) {
        if (tag == null) {
            return arbor.append(stream, "0", type);
        }
        return arbor.post(
                "/streams/" + stream + "/events",
                "{\"expectedVersion\":0,\"events\":["
                        + TagsIT.tagged(type, "[\"" + tag + "\"]")
                        + "]}");
    }

    /** The type of the held event. */
    static String slowType() {
        return SLOW_TYPE;
    }

    /** Removes the trigger (also after a test that failed half way). */
    static void release() throws SQLException {
        Database.execute("DROP TRIGGER IF EXISTS arbor_test_slow_commit ON event_keys");
    }

    private static void hold() throws SQLException {
        Database.execute(
                "CREATE OR REPLACE FUNCTION arbor_test_slow_commit() RETURNS trigger"
                        + " LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(3); RETURN NEW; END $$");
        release();
        // On the key table, which the events' insert writes in the same statement (changeset
        // 2026-12-09-01), not on events: creating or dropping a trigger on the partitioned events
        // locks its partitions one by one, and a reader that runs meanwhile (the test's own
        // follower) can meet it in a deadlock.
        Database.execute(
                "CREATE TRIGGER arbor_test_slow_commit BEFORE INSERT ON event_keys FOR EACH ROW"
                        + " WHEN (NEW.stream_id LIKE '%-slow') EXECUTE FUNCTION"
                        + " arbor_test_slow_commit()");
    }

    private static String firstEventId(Arbor arbor, Reply reply, String stream) {
        assertEquals(201, reply.status(), reply::toString);
        return arbor.get("/streams/" + stream + "/events")
                .json()
                .getJsonArray("events")
                .getJsonObject(0)
                .getString("eventId");
    }
}
