package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Concurrent appends to one stream: a lost race is a 409 and writes nothing, never a 500. */
class ConcurrencyIT extends ArborIT {

    @Test
    void racingAppendsWithTheSameExpectedVersionLetExactlyOneWin() throws Exception {
        String stream = Arbor.newStream("race");
        arbor.append(stream, "0", "Opened");
        int writers = 16;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            replies.add(
                    pool.submit(
                            () -> {
                                start.await();
                                return arbor.append(stream, "1", "Raced", "Raced");
                            }));
        }
        start.countDown();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        for (Future<Reply> reply : replies) {
            Reply answer = reply.get(60, TimeUnit.SECONDS);
            statuses.merge(answer.status(), 1, Integer::sum);
            if (answer.status() == 409) {
                assertTrue(answer.isProblem());
                assertEquals(3, answer.json().getInt("actualVersion"), answer::toString);
            }
        }
        pool.shutdown();
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
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        AtomicInteger failures = new AtomicInteger();
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            done.add(
                    pool.submit(
                            () -> {
                                for (int i = 0; i < appendsEach; i++) {
                                    Reply reply = arbor.append(stream, "\"any\"", "Tick");
                                    if (reply.status() != 201) {
                                        failures.incrementAndGet();
                                        System.err.println("unexpected: " + reply);
                                    }
                                }
                                return null;
                            }));
        }
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(0, failures.get());
        int total = writers * appendsEach;
        Set<Integer> versions = new HashSet<>();
        Integer from = 1;
        while (from != null) {
            JsonObject page =
                    arbor.get("/streams/" + stream + "/events?limit=1000&from=" + from).json();
            page.getJsonArray("events")
                    .forEach(e -> versions.add(e.asJsonObject().getInt("version")));
            from = page.isNull("next") ? null : page.getInt("next");
        }
        assertEquals(total, versions.size());
        for (int v = 1; v <= total; v++) {
            assertTrue(versions.contains(v), "missing version " + v);
        }
    }
}
