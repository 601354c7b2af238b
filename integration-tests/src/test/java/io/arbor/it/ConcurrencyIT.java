package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Concurrent appends to one stream: a lost race is a 409 and writes nothing, never a 500. Writers
 * with a precise expectation race on the stream row's JPA version lock (and, for a new stream, its
 * primary key); writers with a loose one wait for its row lock and all succeed.
 */
class ConcurrencyIT extends ArborIT {

    @Test
    void racingAppendsWithTheSameExpectedVersionLetExactlyOneWin() throws Exception {
        String stream = Arbor.newStream("race");
        arbor.append(stream, "0", "Opened");
        int writers = 16;
        List<Reply> replies = race(writers, () -> arbor.append(stream, "1", "Raced", "Raced"));
        for (Reply answer : replies) {
            if (answer.status() == 409) {
                assertTrue(answer.isProblem());
                assertEquals(3, answer.json().getInt("actualVersion"), answer::toString);
            }
        }
        Map<Integer, Integer> statuses = statuses(replies);
        assertEquals(Map.of(201, 1, 409, writers - 1), statuses);
        JsonObject page = arbor.get("/streams/" + stream + "/events").json();
        assertEquals(3, page.getInt("version"));
        assertEquals(3, page.getJsonArray("events").size());
    }

    @Test
    void manyWritersWithoutExpectationsAllSucceedWithGapFreeVersions() throws Exception {
        String stream = Arbor.newStream("crowd");
        int writers = 24;
        int appendsEach = 10;
        AtomicInteger failures = new AtomicInteger();
        race(
                writers,
                () -> {
                    for (int i = 0; i < appendsEach; i++) {
                        Reply reply = arbor.append(stream, "\"any\"", "Tick");
                        if (reply.status() != 201) {
                            failures.incrementAndGet();
                            System.err.println("unexpected: " + reply);
                        }
                    }
                    return null;
                });
        assertEquals(0, failures.get());
        int total = writers * appendsEach;
        Set<Integer> versions = versionsStored(stream);
        assertEquals(total, versions.size());
        for (int v = 1; v <= total; v++) {
            assertTrue(versions.contains(v), "missing version " + v);
        }
    }

    @Test
    void exactVersionWritersTakeEachVersionOnceAndTheLosersAre409() throws Exception {
        String stream = Arbor.newStream("exact");
        int writers = 12;
        int versions = 60;
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        Map<Integer, Integer> winnersByVersion = new ConcurrentHashMap<>();
        List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        double retriesBefore = Metrics.value(arbor, "arbor_append_retries_total", null);
        race(
                writers,
                () -> {
                    while (true) {
                        Reply head = arbor.get("/streams/" + stream);
                        int seen = head.status() == 404 ? 0 : head.json().getInt("version");
                        if (seen >= versions) {
                            return null;
                        }
                        // No event ids: the append's check and bump alone decide.
                        Reply reply =
                                arbor.post(
                                        "/streams/" + stream + "/events",
                                        "{\"expectedVersion\":"
                                                + seen
                                                + ",\"events\":[{\"type\":\"Step\","
                                                + "\"data\":{}}]}");
                        statuses.merge(reply.status(), 1, Integer::sum);
                        if (reply.status() == 201) {
                            winnersByVersion.merge(
                                    reply.json().getInt("fromVersion"), 1, Integer::sum);
                            if (reply.json().getInt("fromVersion") != seen + 1) {
                                unexpected.add(seen + ": " + reply);
                            }
                        } else if (reply.status() != 409
                                || reply.json().getInt("actualVersion") <= seen) {
                            unexpected.add(seen + ": " + reply);
                        }
                    }
                });
        assertEquals(List.of(), unexpected);
        assertEquals(Set.of(201, 409), statuses.keySet(), statuses::toString);
        assertEquals(versions, statuses.get(201));
        assertTrue(statuses.get(409) > 0, "the writers never raced: " + statuses);
        for (int v = 1; v <= versions; v++) {
            assertEquals(1, winnersByVersion.get(v), "winners of version " + v);
        }
        assertEquals(versions, versionsStored(stream).size());
        // JPA's @Version column moved once per append: the lock the races were decided on.
        assertEquals(
                versions,
                Database.queryLong(
                        "SELECT lock_version FROM streams WHERE stream_id = '" + stream + "'"));
        // Some writers read the same head and reached the UPDATE together: the version lock
        // refused the later one (OptimisticLockException), which ran again and then got its 409.
        assertTrue(
                Metrics.value(arbor, "arbor_append_retries_total", null) > retriesBefore,
                "no race was decided by the version lock");
    }

    @Test
    void firstAppendsToANewStreamRaceOnItsRow() throws Exception {
        String precise = Arbor.newStream("first");
        Map<Integer, Integer> statuses =
                statuses(race(16, () -> arbor.append(precise, "\"no_stream\"", "Opened")));
        assertEquals(Map.of(201, 1, 409, 15), statuses);
        assertEquals(Set.of(1), versionsStored(precise));

        String loose = Arbor.newStream("first");
        statuses = statuses(race(16, () -> arbor.append(loose, "\"any\"", "Opened")));
        assertEquals(Map.of(201, 16), statuses);
        Set<Integer> contiguous = new HashSet<>();
        for (int v = 1; v <= 16; v++) {
            contiguous.add(v);
        }
        assertEquals(contiguous, versionsStored(loose));
    }

    /** Runs {@code writers} writers at once, released together; what each returned. */
    private static <T> List<T> race(int writers, Callable<T> append) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<T>> replies = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            replies.add(
                    pool.submit(
                            () -> {
                                start.await();
                                return append.call();
                            }));
        }
        start.countDown();
        List<T> answers = new ArrayList<>();
        for (Future<T> reply : replies) {
            answers.add(reply.get(180, TimeUnit.SECONDS));
        }
        pool.shutdown();
        return answers;
    }

    /** How many of {@code replies} answered each status. */
    private static Map<Integer, Integer> statuses(List<Reply> replies) {
        Map<Integer, Integer> statuses = new HashMap<>();
        replies.forEach(reply -> statuses.merge(reply.status(), 1, Integer::sum));
        return statuses;
    }

    private Set<Integer> versionsStored(String stream) {
        Set<Integer> versions = new HashSet<>();
        Integer from = 1;
        while (from != null) {
            JsonObject page =
                    arbor.get("/streams/" + stream + "/events?limit=1000&from=" + from).json();
            page.getJsonArray("events")
                    .forEach(e -> versions.add(e.asJsonObject().getInt("version")));
            from = page.isNull("next") ? null : page.getInt("next");
        }
        return versions;
    }
}
