package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * The global log never skips a committed event: a reader that pages with {@code after =
 * lastPosition} sees every event exactly once, in position order, even when appends commit out of
 * the order in which they started.
 */
class GlobalLogIT extends ArborIT {
    /**
     * Every page says where the log's safe end was when it was read (headPosition, beyond api.md):
     * at or past every event the page holds, and reading after it shows only newer events, which is
     * how the console opens the log at its end.
     */
    @Test
    void pagesTellTheHeadAndReadingAfterItShowsOnlyNewerEvents() {
        String stream = Arbor.newCategory() + "-1";
        assertEquals(201, arbor.append(stream, "\"any\"", "Opened").status());
        JsonObject page = arbor.get("/events?limit=1&after=0").json();
        long head = page.getJsonNumber("headPosition").longValue();
        long lastShown = arbor.lastPosition(0);
        assertTrue(head >= lastShown, "head " + head + " at or past the last event " + lastShown);
        JsonObject atHead = arbor.logPage(head);
        assertTrue(atHead.getJsonArray("events").isEmpty(), "nothing after the head yet");
        assertTrue(atHead.getJsonNumber("headPosition").longValue() >= head);
        assertEquals(201, arbor.append(stream, "\"any\"", "Closed").status());
        JsonObject newer = arbor.logPage(head);
        assertEquals(1, newer.getJsonArray("events").size());
        assertEquals("Closed", newer.getJsonArray("events").getJsonObject(0).getString("type"));
    }

    @Test
    void readerNeverSkipsAnEventWhoseTransactionCommitsLate() throws Exception {
        String category = Arbor.newCategory();
        long start = arbor.lastPosition(0);
        Follower follower = new Follower(start);
        follower.start();

        Set<String> acknowledged = LateCommit.appendOneLateAmongTwenty(arbor, category);

        follower.awaitAll(acknowledged, 30);
        follower.assertEachOnceInOrder(acknowledged);
    }

    @Test
    void liveReaderSeesEveryEventOnceInOrderWhileSixteenWritersAppend() throws Exception {
        String category = Arbor.newCategory();
        long start = arbor.lastPosition(0);
        Follower follower = new Follower(start);
        follower.start();
        ExecutorService writers = Executors.newFixedThreadPool(16);
        List<CompletableFuture<List<String>>> work = new ArrayList<>();
        for (int w = 0; w < 16; w++) {
            String stream = category + "-" + w;
            work.add(
                    CompletableFuture.supplyAsync(
                            () -> {
                                List<String> ids = new ArrayList<>();
                                for (int i = 0; i < 15; i++) {
                                    UUID a = UUID.randomUUID();
                                    UUID b = UUID.randomUUID();
                                    Reply reply =
                                            arbor.post(
                                                    "/streams/" + stream + "/events",
                                                    "{\"expectedVersion\":"
                                                            + (2 * i)
                                                            + ",\"events\":["
                                                            + Arbor.event(a, "W", "{}")
                                                            + ","
                                                            + Arbor.event(b, "W", "{}")
                                                            + "]}");
                                    assertEquals(201, reply.status(), reply::toString);
                                    ids.add(a.toString());
                                    ids.add(b.toString());
                                }
                                return ids;
                            },
                            writers));
        }
        Set<String> acknowledged = new HashSet<>();
        for (CompletableFuture<List<String>> ids : work) {
            acknowledged.addAll(ids.get(120, TimeUnit.SECONDS));
        }
        writers.shutdown();
        assertEquals(16 * 30, acknowledged.size());
        follower.awaitAll(acknowledged, 30);
        follower.assertEachOnceInOrder(acknowledged);
    }

    /** Follows the whole global log from a position, as a subscriber would, page after page. */
    /** A reader that pages on from each page's lastPosition: the log's, or a query's. */
    static final class Follower extends Thread {
        private final LongFunction<JsonObject> pages;
        private final List<JsonObject> seen = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean stop = new AtomicBoolean();
        private volatile long position;

        Follower(long after) {
            this(after, new Arbor()::logPage);
        }

        /** {@code pages} gives the page after a position. */
        Follower(long after, LongFunction<JsonObject> pages) {
            this.position = after;
            this.pages = pages;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!stop.get()) {
                JsonObject page = pages.apply(position);
                page.getJsonArray("events").forEach(e -> seen.add(e.asJsonObject()));
                position = page.getJsonNumber("lastPosition").longValue();
                if (page.getJsonArray("events").isEmpty()) {
                    sleepQuietly(20);
                }
            }
        }

        void awaitAll(Set<String> ids, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline && !seenIds().containsAll(ids)) {
                Thread.sleep(50);
            }
            Thread.sleep(200); // a duplicate delivered late would show up here
            stop.set(true);
            join(5000);
        }

        void assertEachOnceInOrder(Set<String> acknowledged) {
            List<JsonObject> events;
            synchronized (seen) {
                events = new ArrayList<>(seen);
            }
            long previous = 0;
            Set<String> unique = new HashSet<>();
            for (JsonObject event : events) {
                long p = event.getJsonNumber("globalPosition").longValue();
                assertTrue(p > previous, "positions not increasing: " + previous + " then " + p);
                previous = p;
                assertTrue(unique.add(event.getString("eventId")), "seen twice: " + event);
            }
            for (String id : acknowledged) {
                assertTrue(
                        unique.contains(id), "acknowledged event never seen by the reader: " + id);
            }
        }

        private Set<String> seenIds() {
            Set<String> ids = new HashSet<>();
            synchronized (seen) {
                seen.forEach(e -> ids.add(e.getString("eventId")));
            }
            return ids;
        }

        private static void sleepQuietly(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
