package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.it.SseSubscriber.Frame;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Live subscriptions (api.md, "Live subscriptions") on the real server: history, then {@code
 * caught-up}, then live, every event exactly once in order, even when appends commit out of the
 * order of their positions; filters, checkpoints, resuming, stream subscriptions, slow subscribers
 * and bad parameters. The test domain runs with pages of 100 events, buffers of 500 and heartbeats
 * every 2 s (server-config/test.sh).
 */
class SubscriptionIT extends ArborIT {
    @Test
    void subscriberGetsHistoryThenCaughtUpOnceThenLiveEvents() throws Exception {
        String category = Arbor.newCategory();
        String stream = category + "-1";
        assertEquals(201, arbor.append(stream, "0", "A", "B", "C").status());
        try (SseSubscriber subscriber =
                SseSubscriber.open("/events/subscribe?after=0&category=" + category)) {
            Frame caughtUp = subscriber.await(f -> f.name().equals("caught-up"), 30, "caught-up");
            assertEquals(3, subscriber.events().size(), "history before caught-up");
            assertTrue(
                    caughtUp.json().getJsonNumber("position").longValue()
                            >= subscriber
                                    .events()
                                    .get(2)
                                    .getJsonNumber("globalPosition")
                                    .longValue());
            assertEquals(201, arbor.append(stream, "3", "D", "E").status());
            subscriber.await(f -> f.name().equals("event") && f.data().contains("\"E\""), 10, "E");
            List<String> types =
                    subscriber.events().stream().map(e -> e.getString("type")).toList();
            assertEquals(List.of("A", "B", "C", "D", "E"), types);
            assertEquals(1, subscriber.named("caught-up").size(), "caught-up exactly once");
            // Frames between the history and the live events: caught-up is after C, before D.
            // (checkpoints may come between: only event frames count)
            List<Frame> frames = subscriber.frames();
            int caughtUpAt = frames.indexOf(subscriber.named("caught-up").get(0));
            List<Frame> eventsBefore =
                    frames.subList(0, caughtUpAt).stream()
                            .filter(f -> f.name().equals("event"))
                            .toList();
            assertEquals(3, eventsBefore.size(), frames::toString);
            for (Frame event : subscriber.named("event")) {
                assertEquals(
                        Long.toString(event.json().getJsonNumber("globalPosition").longValue()),
                        event.id(),
                        "an event frame's id is its global position");
            }
        }
    }

    @Test
    void liveSubscriberNeverSkipsAnEventWhoseTransactionCommitsLate() throws Exception {
        String category = Arbor.newCategory();
        long start = arbor.lastPosition(0);
        try (SseSubscriber all = SseSubscriber.open("/events/subscribe?after=" + start);
                SseSubscriber filtered =
                        SseSubscriber.open("/events/subscribe?category=" + category)) {
            all.await(f -> f.name().equals("caught-up"), 30, "caught-up");
            filtered.await(f -> f.name().equals("caught-up"), 30, "caught-up");
            // The held-transaction technique of GlobalLogIT, with live subscribers connected.
            Set<String> acknowledged = LateCommit.appendOneLateAmongTwenty(arbor, category);
            for (SseSubscriber subscriber : List.of(all, filtered)) {
                subscriber.awaitEvents(acknowledged, 30);
                Thread.sleep(300); // a duplicate delivered late would show up here
                assertEachOnceInOrder(subscriber);
            }
            // The slow event has a lower position than fast ones that committed before it: it was
            // delivered (in position order, so the fast ones above it waited for its commit).
            long slowPosition = positionOf(all, LateCommit.slowType());
            assertTrue(
                    all.events().stream()
                            .anyMatch(
                                    e ->
                                            e.getJsonNumber("globalPosition").longValue()
                                                    > slowPosition),
                    "fast events had higher positions");
        }
    }

    @Test
    void subscribersSeeEveryEventOnceInOrderWhileSixteenWritersAppend500EventsEach()
            throws Exception {
        String category = Arbor.newCategory();
        long start = arbor.lastPosition(0);
        try (SseSubscriber all = SseSubscriber.open("/events/subscribe?after=" + start);
                SseSubscriber byCategory =
                        SseSubscriber.open("/events/subscribe?category=" + category);
                SseSubscriber byType =
                        SseSubscriber.open(
                                "/events/subscribe?after=" + start + "&type=" + category + "Odd")) {
            ExecutorService writers = Executors.newFixedThreadPool(16);
            List<CompletableFuture<List<String>>> work = new ArrayList<>();
            for (int w = 0; w < 16; w++) {
                String stream = category + "-" + w;
                work.add(CompletableFuture.supplyAsync(() -> append500(stream, category), writers));
            }
            Set<String> acknowledged = new LinkedHashSet<>();
            for (CompletableFuture<List<String>> ids : work) {
                acknowledged.addAll(ids.get(300, TimeUnit.SECONDS));
            }
            writers.shutdown();
            assertEquals(16 * 500, acknowledged.size());
            all.awaitEvents(acknowledged, 60);
            byCategory.awaitEvents(acknowledged, 60);
            Thread.sleep(300);
            assertEachOnceInOrder(all);
            assertEachOnceInOrder(byCategory);
            assertEquals(acknowledged, byCategory.eventIds(), "the category filter");
            // The type filter: every fifth event of each append is of the odd type.
            byType.await(
                    f ->
                            f.name().equals("checkpoint")
                                    && Long.parseLong(f.id()) >= maxPosition(all),
                    30,
                    "a checkpoint past the last event");
            assertEachOnceInOrder(byType);
            assertEquals(16 * 100, byType.events().size());
            assertTrue(
                    byType.events().stream()
                            .allMatch(e -> e.getString("type").equals(category + "Odd")));
        }
    }

    @Test
    void filteredSubscriptionCheckpointsPastEventsItSkips() throws Exception {
        String category = Arbor.newCategory();
        try (SseSubscriber subscriber =
                SseSubscriber.open("/events/subscribe?category=" + category + "&type=Wanted")) {
            subscriber.await(f -> f.name().equals("caught-up"), 30, "caught-up");
            Reply reply = arbor.append(category + "-1", "0", "Unwanted", "Unwanted");
            assertEquals(201, reply.status());
            long toPosition = reply.json().getJsonNumber("toPosition").longValue();
            Frame checkpoint =
                    subscriber.await(
                            f ->
                                    f.name().equals("checkpoint")
                                            && Long.parseLong(f.id()) >= toPosition,
                            10,
                            "a checkpoint at or past " + toPosition);
            assertEquals(
                    Long.parseLong(checkpoint.id()),
                    checkpoint.json().getJsonNumber("position").longValue());
            assertTrue(subscriber.events().isEmpty(), "no event of another type");
        }
    }

    @Test
    void resumingWithLastEventIdLosesAndRepeatsNothing() throws Exception {
        String category = Arbor.newCategory();
        String stream = category + "-1";
        Set<String> acknowledged = new LinkedHashSet<>();
        acknowledged.addAll(appendIds(stream, 0, 5));
        String lastId;
        try (SseSubscriber first = SseSubscriber.open("/events/subscribe?category=" + category)) {
            first.awaitEvents(acknowledged, 30);
            lastId = first.named("event").get(4).id();
        }
        acknowledged.addAll(appendIds(stream, 5, 5));
        // Last-Event-ID wins over after=0, as an EventSource that reconnects sends it.
        try (SseSubscriber resumed =
                SseSubscriber.open(
                        "/events/subscribe?after=0&category=" + category,
                        "Last-Event-ID",
                        lastId)) {
            acknowledged.addAll(appendIds(stream, 10, 5));
            resumed.awaitEvents(new HashSet<>(new ArrayList<>(acknowledged).subList(5, 15)), 30);
            Thread.sleep(300);
            assertEachOnceInOrder(resumed);
            assertEquals(10, resumed.events().size(), "exactly the events after Last-Event-ID");
        }
    }

    @Test
    void streamSubscriptionFollowsOneStreamByVersion() throws Exception {
        String category = Arbor.newCategory();
        String stream = category + "-1";
        appendIds(stream, 0, 3);
        appendIds(category + "-other", 0, 2);
        try (SseSubscriber subscriber =
                SseSubscriber.open("/streams/" + stream + "/subscribe?after=1")) {
            subscriber.await(f -> f.name().equals("caught-up"), 30, "caught-up");
            appendIds(category + "-other", 2, 2);
            appendIds(stream, 3, 2);
            subscriber.await(f -> f.name().equals("event") && "5".equals(f.id()), 10, "version 5");
            List<Long> versions =
                    subscriber.events().stream()
                            .map(e -> e.getJsonNumber("version").longValue())
                            .toList();
            assertEquals(List.of(2L, 3L, 4L, 5L), versions);
            assertTrue(
                    subscriber.events().stream()
                            .allMatch(e -> e.getString("streamId").equals(stream)));
            for (Frame event : subscriber.named("event")) {
                assertEquals(
                        Long.toString(event.json().getJsonNumber("version").longValue()),
                        event.id(),
                        "a stream subscription's id is the version");
            }
        }
    }

    @Test
    void streamSubscriptionToAnUnknownStreamIs404ProblemBeforeAnyFrame() {
        Reply reply = arbor.get("/streams/" + Arbor.newStream("nobody") + "/subscribe");
        assertEquals(404, reply.status(), reply::toString);
        assertTrue(reply.contentType().startsWith("application/problem+json"), reply::toString);
        assertEquals("urn:arbor:problem:stream-not-found", reply.json().getString("type"));
    }

    @Test
    void badParametersAre400ProblemBeforeAnyFrame() {
        for (String query :
                List.of(
                        "after=-1",
                        "after=abc",
                        "after=1.5",
                        "upcast=maybe",
                        "category=a%00b",
                        "tag=course:c1")) {
            Reply reply = arbor.get("/events/subscribe?" + query);
            assertEquals(400, reply.status(), query + ": " + reply);
            assertTrue(reply.contentType().startsWith("application/problem+json"), query);
        }
        Reply badResume =
                arbor.send("GET", "/events/subscribe", null, null, List.of("Last-Event-ID", "x"));
        assertEquals(400, badResume.status(), badResume::toString);
        assertTrue(badResume.contentType().startsWith("application/problem+json"));
        Reply badStream = arbor.get("/streams/" + Arbor.newStream("s") + "/subscribe?after=-3");
        assertEquals(400, badStream.status(), badStream::toString);
    }

    @Test
    void idleSubscriptionSendsHeartbeats() throws Exception {
        String stream = Arbor.newStream(Arbor.newCategory());
        appendIds(stream, 0, 1);
        try (SseSubscriber subscriber = SseSubscriber.open("/streams/" + stream + "/subscribe")) {
            // heartbeat-seconds is 2 on the test domain (15 by default)
            subscriber.await(f -> "heartbeat".equals(f.comment()), 10, "a heartbeat comment");
        }
    }

    @Test
    void slowSubscribersAreDroppedWithTheirLastPositionAndTheirBuffersStayBounded()
            throws Exception {
        String category = Arbor.newCategory();
        long start = arbor.lastPosition(0);
        double dropsBefore = Metrics.value(arbor, "arbor_subscriptions_drops_total", null);
        int slowClients = 3;
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < slowClients; i++) {
            stalled.add(stalledSubscriber("/arbor/api/events/subscribe?after=" + start));
        }
        try {
            // 16 KB events until all three overflow: loopback socket buffers take some MB first.
            String data = "{\"pad\":\"" + "x".repeat(16_000) + "\"}";
            double maxBuffered = 0;
            int appended = 0;
            while (Metrics.value(arbor, "arbor_subscriptions_drops_total", null)
                    < dropsBefore + slowClients) {
                assertTrue(appended < 8_000, "no slow subscriber was dropped after 8,000 events");
                StringBuilder events = new StringBuilder();
                for (int i = 0; i < 100; i++) {
                    events.append(i == 0 ? "" : ",")
                            .append(Arbor.event(UUID.randomUUID(), "Big", data));
                }
                Reply reply =
                        arbor.post(
                                "/streams/" + category + "-" + appended + "/events",
                                "{\"events\":[" + events + "]}");
                assertEquals(201, reply.status(), reply::toString);
                appended += 100;
                maxBuffered =
                        Math.max(
                                maxBuffered,
                                Metrics.value(arbor, "arbor_subscriptions_buffered_events", null));
            }
            // Each buffer holds at most buffer-events (500 on the test domain).
            assertTrue(maxBuffered <= slowClients * 500.0, "buffered " + maxBuffered);
            for (Socket socket : stalled) {
                String body = readToEnd(socket);
                int at = body.indexOf("event: dropped");
                assertTrue(
                        at > 0,
                        "a dropped frame at the end of "
                                + body.length()
                                + " chars: "
                                + body.substring(Math.max(0, body.length() - 300)));
                String tail = body.substring(at);
                assertTrue(tail.contains("\"reason\":\"slow-consumer"), tail);
                long position =
                        Long.parseLong(tail.replaceAll("(?s).*\"position\":(\\d+).*", "$1"));
                // The position is the last event frame's id: a resume starts right after it.
                String before = body.substring(0, at);
                String lastId = before.substring(before.lastIndexOf("\nid: ") + 5);
                lastId = lastId.substring(0, lastId.indexOf('\n'));
                assertEquals(Long.parseLong(lastId), position);
            }
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
        assertEquals(0, Metrics.value(arbor, "arbor_subscriptions_buffered_events", null), 0.0);
    }

    /**
     * A subscriber that reads up to its {@code caught-up} frame (so it is live, following the
     * tailer: one still catching up is paced by its connection instead) and then reads nothing,
     * with a small receive buffer.
     */
    private static Socket stalledSubscriber(String path) throws Exception {
        URI uri = URI.create(Arbor.HOST);
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
        OutputStream out = socket.getOutputStream();
        out.write(
                ("GET "
                                + path
                                + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                                + Tokens.authorizationLine()
                                + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        socket.setSoTimeout(30_000);
        InputStream in = socket.getInputStream();
        StringBuilder seen = new StringBuilder();
        while (seen.indexOf("event: caught-up") < 0) {
            int b = in.read();
            assertTrue(b >= 0, "the subscription ended before caught-up: " + seen);
            seen.append((char) b);
        }
        return socket;
    }

    /** Reads what the server sent until its dropped frame has arrived (or the stream ends). */
    private static String readToEnd(Socket socket) throws Exception {
        socket.setSoTimeout(60_000);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[65536];
        String tail = "";
        int n;
        while ((n = in.read(chunk)) > 0) {
            body.write(chunk, 0, n);
            // Only the last bytes can hold the end of the dropped frame: no rescan of megabytes.
            tail = tail + new String(chunk, 0, n, StandardCharsets.ISO_8859_1);
            tail = tail.substring(Math.max(0, tail.length() - 4096));
            int dropped = tail.indexOf("event: dropped");
            if (dropped >= 0 && tail.indexOf("\n\n", dropped) > 0) {
                break;
            }
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private List<String> append500(String stream, String category) {
        List<String> ids = new ArrayList<>();
        for (int append = 0; append < 100; append++) {
            StringBuilder events = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id.toString());
                events.append(i == 0 ? "" : ",")
                        .append(Arbor.event(id, i == 4 ? category + "Odd" : "Even", "{}"));
            }
            Reply reply =
                    arbor.post(
                            "/streams/" + stream + "/events",
                            "{\"expectedVersion\":"
                                    + (append * 5)
                                    + ",\"events\":["
                                    + events
                                    + "]}");
            assertEquals(201, reply.status(), reply::toString);
        }
        return ids;
    }

    private List<String> appendIds(String stream, int version, int count) {
        List<String> ids = new ArrayList<>();
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < count; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id.toString());
            events.append(i == 0 ? "" : ",").append(Arbor.event(id, "E", "{\"i\":" + i + "}"));
        }
        Reply reply =
                arbor.post(
                        "/streams/" + stream + "/events",
                        "{\"expectedVersion\":" + version + ",\"events\":[" + events + "]}");
        assertEquals(201, reply.status(), reply::toString);
        return ids;
    }

    private static long positionOf(SseSubscriber subscriber, String type) {
        JsonObject event =
                subscriber.events().stream()
                        .filter(e -> e.getString("type").equals(type))
                        .findFirst()
                        .orElse(null);
        assertNotNull(event, type);
        return event.getJsonNumber("globalPosition").longValue();
    }

    private static long maxPosition(SseSubscriber subscriber) {
        return subscriber.events().stream()
                .mapToLong(e -> e.getJsonNumber("globalPosition").longValue())
                .max()
                .orElse(0);
    }

    private static void assertEachOnceInOrder(SseSubscriber subscriber) {
        long previous = 0;
        Set<String> unique = new HashSet<>();
        for (JsonObject event : subscriber.events()) {
            long p = event.getJsonNumber("globalPosition").longValue();
            assertTrue(p > previous, "positions not increasing: " + previous + " then " + p);
            previous = p;
            assertTrue(unique.add(event.getString("eventId")), "delivered twice: " + event);
        }
        assertFalse(subscriber.ended(), "the subscription ended early: " + subscriber.frames());
    }
}
