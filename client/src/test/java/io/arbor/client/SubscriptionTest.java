package io.arbor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Live subscriptions against a scripted local server that streams Server-Sent Events: one script
 * per connection, so a test can end a connection, drop it, refuse it, or hold it open, and then
 * look at how the client came back. (Against the real server: ClientIT, and the fault suite.)
 */
class SubscriptionTest {
    /** What one connection does: writes its answer, then returns (closing it) or holds it. */
    interface Script {
        void serve(HttpExchange exchange) throws Exception;
    }

    private final BlockingQueue<Script> scripts = new LinkedBlockingQueue<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> lastEventIds = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private HttpServer server;

    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final List<Long> delivered = new CopyOnWriteArrayList<>();

    private ArborClient client(Duration idle) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads); // a held connection must not block the next one
        server.createContext(
                "/",
                exchange -> {
                    requests.add(exchange.getRequestURI().toString());
                    lastEventIds.add(exchange.getRequestHeaders().getFirst("Last-Event-ID") + "");
                    Script script = scripts.poll();
                    try {
                        if (script == null) {
                            hold().serve(exchange); // nothing more scripted: a quiet connection
                        } else {
                            script.serve(exchange);
                        }
                    } catch (Exception e) {
                        // the client went away
                    } finally {
                        exchange.close();
                    }
                });
        server.start();
        return ArborClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .retry(RetryPolicy.NONE)
                .reconnectBackoff(Duration.ofMillis(5))
                .subscriptionIdleTimeout(idle)
                .build();
    }

    private ArborClient client() throws IOException {
        return client(Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
        threads.shutdownNow();
    }

    /** An event stream of these frames, then the end of the connection. */
    private static Script frames(String... frames) {
        return exchange -> {
            OutputStream out = open(exchange);
            for (String frame : frames) {
                out.write(frame.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        };
    }

    /** As {@link #frames}, then the connection stays open until the test ends. */
    private Script framesThenHold(String... frames) {
        return exchange -> {
            frames(frames).serve(exchange);
            release.await();
        };
    }

    private Script hold() {
        return framesThenHold();
    }

    private static OutputStream open(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    private static Script answer(int status, String type, String body) {
        return exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        };
    }

    private static String problem(int status, String kind) {
        return "{\"type\":\"urn:arbor:problem:"
                + kind
                + "\",\"title\":\"t\",\"status\":"
                + status
                + ",\"detail\":\"d\"}";
    }

    private static String event(long position) {
        return event(position, position);
    }

    /** An event frame as the server writes it: id, name, the EVENT on one data line. */
    private static String event(long id, long position) {
        return "id: "
                + id
                + "\nevent: event\ndata: {\"eventId\":\"00000000-0000-0000-0000-"
                + String.format("%012d", position)
                + "\",\"streamId\":\"a-1\",\"version\":"
                + id
                + ",\"globalPosition\":"
                + position
                + ",\"type\":\"T\",\"schemaVersion\":1,\"data\":{},\"metadata\":{},"
                + "\"recordedAt\":\"2026-12-03T00:00:00Z\"}\n\n";
    }

    private static String caughtUp(long position) {
        return "event: caught-up\ndata: {\"position\":" + position + "}\n\n";
    }

    private static String checkpoint(long position) {
        return "id: " + position + "\nevent: checkpoint\ndata: {\"position\":" + position + "}\n\n";
    }

    private static String dropped(long position, String reason) {
        return "event: dropped\ndata: {\"position\":"
                + position
                + ",\"reason\":\""
                + reason
                + "\"}\n\n";
    }

    /** Records what it hears; stream subscriptions record versions, log ones positions. */
    private final class Recorder implements SubscriptionListener {
        private final boolean stream;

        Recorder(boolean stream) {
            this.stream = stream;
        }

        @Override
        public void event(RecordedEvent event) {
            delivered.add(stream ? event.version() : event.globalPosition());
        }

        @Override
        public void caughtUp(long position) {
            heard.add("caught-up " + position);
        }

        @Override
        public void dropped(long position, String reason) {
            heard.add("dropped " + position + " " + reason);
        }

        @Override
        public void disconnected(ArborException why, int failures, Duration down, Duration wait) {
            heard.add("down " + failures);
        }

        @Override
        public void reconnected(int failures, Duration down) {
            heard.add("up after " + failures);
        }

        @Override
        public void failed(Exception why) {
            heard.add("failed " + why.getClass().getSimpleName());
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(2);
        }
    }

    @Test
    void historyThenCaughtUpOnceThenLiveEventsUntilClosed() throws Exception {
        ArborClient arbor = client();
        scripts.add(framesThenHold(event(4), event(6), caughtUp(6), ": heartbeat\n\n", event(9)));
        Subscription subscription =
                arbor.subscribe(new LogFilter("a", "T"), 3, new Recorder(false));
        await(() -> delivered.size() == 3, "three events");
        assertEquals(List.of(4L, 6L, 9L), delivered);
        assertEquals(List.of("caught-up 6"), heard);
        assertTrue(subscription.isCaughtUp());
        assertEquals(9, subscription.position());
        assertEquals("/arbor/api/events/subscribe?after=3&category=a&type=T", requests.get(0));
        assertEquals("null", lastEventIds.get(0), "the first connection starts from ?after");

        subscription.close();
        assertFalse(subscription.isRunning());
        assertTrue(subscription.failure().isEmpty());
        assertEquals(1, requests.size());
    }

    @Test
    void aLostConnectionResumesWithLastEventIdAndNothingIsDeliveredTwice() throws Exception {
        ArborClient arbor = client();
        scripts.add(frames(event(5), event(7), caughtUp(7))); // then the connection ends
        // The server repeats 7 (it must not; the client makes sure it does not matter).
        scripts.add(framesThenHold(event(7), event(9), caughtUp(9), event(12)));
        try (Subscription subscription = arbor.subscribe(LogFilter.ALL, 0, new Recorder(false))) {
            await(() -> delivered.size() == 4, "four events");
            assertEquals(List.of(5L, 7L, 9L, 12L), delivered);
            assertEquals(List.of("null", "7"), lastEventIds);
            assertEquals(List.of("caught-up 7", "down 1", "up after 1"), heard);
            assertEquals(12, subscription.position());
        }
    }

    @Test
    void aDroppedSubscriptionReconnectsAfterItsLastPositionWithoutWaitingForTheServer()
            throws Exception {
        ArborClient arbor = client();
        // The server holds the connection open after the dropped frame: the client leaves anyway.
        scripts.add(
                framesThenHold(
                        event(3),
                        caughtUp(3),
                        event(4),
                        dropped(4, "slow-consumer: more than 10000 events waiting")));
        scripts.add(framesThenHold(event(8)));
        try (Subscription subscription = arbor.subscribe(LogFilter.ALL, 0, new Recorder(false))) {
            await(() -> delivered.size() == 3, "three events");
            assertEquals(List.of(3L, 4L, 8L), delivered);
            assertEquals(List.of("null", "4"), lastEventIds);
            assertEquals(
                    List.of(
                            "caught-up 3",
                            "dropped 4 slow-consumer: more than 10000 events waiting",
                            "down 1",
                            "up after 1"),
                    heard);
        }
    }

    @Test
    void aCheckpointMovesWhereAResumeStarts() throws Exception {
        ArborClient arbor = client();
        scripts.add(frames(event(2), caughtUp(2), checkpoint(40)));
        scripts.add(framesThenHold(event(41)));
        try (Subscription subscription =
                arbor.subscribe(LogFilter.type("Rare"), 0, new Recorder(false))) {
            await(() -> delivered.size() == 2, "two events");
            assertEquals(List.of("null", "40"), lastEventIds);
            assertEquals(41, subscription.position());
        }
    }

    @Test
    void outagesAreRiddenOutWithTheServersRetryAfterOrTheBackoff() throws Exception {
        ArborClient arbor = client();
        scripts.add(answer(503, "application/problem+json", problem(503, "store-unavailable")));
        scripts.add(answer(404, "text/html", "<html>Not Found</html>")); // Payara, app away
        scripts.add(answer(502, "text/html", "<html>Bad Gateway</html>"));
        scripts.add(answer(500, "text/html", "<html>No Context configured</html>")); // booting
        scripts.add(frames(dropped(0, "store-unavailable")));
        scripts.add(framesThenHold(caughtUp(0), event(1)));
        try (Subscription subscription = arbor.subscribe(LogFilter.ALL, 0, new Recorder(false))) {
            await(() -> delivered.size() == 1, "the event");
            assertEquals(
                    List.of(
                            "down 1",
                            "down 2",
                            "down 3",
                            "down 4",
                            "dropped 0 store-unavailable",
                            "down 5",
                            "up after 5",
                            "caught-up 0"),
                    heard);
            assertEquals(6, requests.size());
        }
    }

    @Test
    void anAnswerThatIsArborsOwnEndsTheSubscriptionAtOnce() throws Exception {
        ArborClient arbor = client();
        scripts.add(answer(400, "application/problem+json", problem(400, "invalid-request")));
        Subscription bad = arbor.subscribe(LogFilter.ALL, -1, new Recorder(false));
        assertTrue(bad.awaitTermination(Duration.ofSeconds(10)));
        assertInstanceOf(BadRequestException.class, bad.failure().orElseThrow());

        scripts.add(answer(404, "application/problem+json", problem(404, "stream-not-found")));
        Subscription missing = arbor.subscribeToStream("nope-1", 0, new Recorder(true));
        assertTrue(missing.awaitTermination(Duration.ofSeconds(10)));
        assertInstanceOf(StreamNotFoundException.class, missing.failure().orElseThrow());

        scripts.add(answer(200, "application/json", "{}")); // not an event stream
        Subscription odd = arbor.subscribe(LogFilter.ALL, 0, new Recorder(false));
        assertTrue(odd.awaitTermination(Duration.ofSeconds(10)));
        assertInstanceOf(ArborProtocolException.class, odd.failure().orElseThrow());

        scripts.add(answer(500, "application/problem+json", problem(500, "internal-error")));
        Subscription broken = arbor.subscribe(LogFilter.ALL, 0, new Recorder(false));
        assertTrue(broken.awaitTermination(Duration.ofSeconds(10)));
        assertEquals(500, ((ArborProblemException) broken.failure().orElseThrow()).status());

        assertEquals(
                List.of(
                        "failed BadRequestException",
                        "failed StreamNotFoundException",
                        "failed ArborProtocolException",
                        "failed ArborProblemException"),
                heard);
        assertEquals(4, requests.size(), "none of them retried");
        assertEquals("/arbor/api/streams/nope-1/subscribe?after=0", requests.get(1));
    }

    @Test
    void aStreamSubscriptionCountsVersionsNotPositions() throws Exception {
        ArborClient arbor = client();
        scripts.add(frames(event(1, 30), event(2, 55), caughtUp(2)));
        scripts.add(framesThenHold(event(2, 55), event(3, 90)));
        try (Subscription subscription = arbor.subscribeToStream("a-1", 0, new Recorder(true))) {
            await(() -> delivered.size() == 3, "three versions");
            assertEquals(List.of(1L, 2L, 3L), delivered);
            assertEquals(List.of("null", "2"), lastEventIds);
        }
    }

    @Test
    void aConnectionSilentPastTheIdleTimeoutIsReplaced() throws Exception {
        ArborClient arbor = client(Duration.ofMillis(300));
        scripts.add(framesThenHold(event(1))); // then silence, not even a heartbeat
        scripts.add(framesThenHold(event(2)));
        try (Subscription subscription = arbor.subscribe(LogFilter.ALL, 0, new Recorder(false))) {
            await(() -> delivered.size() == 2, "the event after the silence");
            assertEquals(List.of("null", "1"), lastEventIds.subList(0, 2));
        }
    }

    @Test
    void aListenerThatThrowsEndsTheSubscriptionAndItsEventIsNotCounted() throws Exception {
        ArborClient arbor = client();
        scripts.add(framesThenHold(event(1), event(2)));
        Subscription subscription =
                arbor.subscribe(
                        LogFilter.ALL,
                        0,
                        e -> {
                            if (e.globalPosition() == 2) {
                                throw new IllegalStateException("projection failed");
                            }
                        });
        assertTrue(subscription.awaitTermination(Duration.ofSeconds(10)));
        assertEquals("projection failed", subscription.failure().orElseThrow().getMessage());
        assertEquals(1, subscription.position());
    }

    @Test
    void closingFromTheListenerStopsDeliveryAfterThatEvent() throws Exception {
        ArborClient arbor = client();
        scripts.add(framesThenHold(event(1), event(2), event(3)));
        Subscription[] self = new Subscription[1];
        CountDownLatch started = new CountDownLatch(1);
        Subscription subscription =
                arbor.subscribe(
                        LogFilter.ALL,
                        0,
                        e -> {
                            try {
                                started.await();
                            } catch (InterruptedException interrupted) {
                                Thread.currentThread().interrupt();
                            }
                            delivered.add(e.globalPosition());
                            self[0].close();
                        });
        self[0] = subscription;
        started.countDown();
        assertTrue(subscription.awaitTermination(Duration.ofSeconds(10)));
        assertEquals(List.of(1L), delivered);
        assertNull(subscription.failure().orElse(null));
    }
}
