package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.client.AppendResult;
import io.arbor.client.ArborClient;
import io.arbor.client.ArborException;
import io.arbor.client.BadRequestException;
import io.arbor.client.ConsumerStatus;
import io.arbor.client.Delivery;
import io.arbor.client.DeliveryStrategy;
import io.arbor.client.Direction;
import io.arbor.client.DuplicateEventIdException;
import io.arbor.client.ExpectedVersion;
import io.arbor.client.GroupConsumer;
import io.arbor.client.GroupFilter;
import io.arbor.client.GroupFilterChangedException;
import io.arbor.client.GroupHandler;
import io.arbor.client.GroupNotFoundException;
import io.arbor.client.GroupPutResult;
import io.arbor.client.GroupSettings;
import io.arbor.client.GroupStatus;
import io.arbor.client.LeaseNotHeldException;
import io.arbor.client.LogFilter;
import io.arbor.client.LogPoint;
import io.arbor.client.NackAction;
import io.arbor.client.NewEvent;
import io.arbor.client.ParkedEvent;
import io.arbor.client.RecordedEvent;
import io.arbor.client.Snapshot;
import io.arbor.client.SnapshotBeyondHeadException;
import io.arbor.client.SnapshotNotFoundException;
import io.arbor.client.StreamNotFoundException;
import io.arbor.client.StreamPage;
import io.arbor.client.Subscription;
import io.arbor.client.SubscriptionListener;
import io.arbor.client.WrongExpectedVersionException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The Java client (client/) against the real server: every endpoint of api.md. */
class ClientIT extends ArborIT {
    private final ArborClient client = Arbor.client();

    private static JsonObject data(int n) {
        return Json.createObjectBuilder().add("n", n).add("text", "é✓ \"q\"").build();
    }

    private static List<NewEvent> events(int from, int to) {
        return IntStream.rangeClosed(from, to)
                .mapToObj(n -> NewEvent.of("Counted", data(n)))
                .toList();
    }

    @Test
    void appendedEventsReadBackExactlyOverManyPagesBothWays() {
        String stream = Arbor.newStream("client");
        List<NewEvent> written = events(1, 25);
        AppendResult first =
                client.append(stream, ExpectedVersion.NO_STREAM, written.subList(0, 10));
        AppendResult second =
                client.append(stream, ExpectedVersion.exactly(10), written.subList(10, 25));
        assertEquals(1, first.fromVersion());
        assertEquals(25, second.toVersion());
        assertFalse(second.replayed());
        assertTrue(second.fromPosition() > first.toPosition());

        List<RecordedEvent> forward =
                client.readStream(stream, null, Direction.FORWARD, 7).toList();
        assertEquals(25, forward.size());
        for (int i = 0; i < 25; i++) {
            RecordedEvent event = forward.get(i);
            assertEquals(i + 1, event.version());
            assertEquals(written.get(i).eventId(), event.eventId());
            assertEquals(written.get(i).data(), event.data());
            assertEquals("client", event.category());
        }
        List<Long> backward =
                client.readStream(stream, 20L, Direction.BACKWARD, 6)
                        .map(RecordedEvent::version)
                        .toList();
        assertEquals(20, backward.size());
        assertEquals(20L, backward.get(0));
        assertEquals(1L, backward.get(19));
        assertEquals(25, client.streamInfo(stream).version());
    }

    /**
     * The contract's alphabet allows {@code .} and {@code ..}: they reach their own streams, not
     * the global log (issue 13). These ids are shared by every run, so the test counts from
     * whatever version they already have. A segment of three dots never reaches Arbor: Payara
     * refuses such a path itself (400 "Invalid URI", no body), however it is encoded.
     */
    @Test
    void streamIdsOfDotsReachTheirOwnStreams() {
        for (String id : List.of(".", "..", "a..b")) {
            long before;
            try {
                before = client.streamInfo(id).version();
            } catch (StreamNotFoundException none) {
                before = 0;
            }
            AppendResult appended = client.append(id, ExpectedVersion.ANY, events(1, 1));
            assertEquals(id, appended.streamId());
            assertEquals(before + 1, appended.toVersion());
            assertEquals(before + 1, client.streamInfo(id).version());
            StreamPage page = client.readStreamPage(id, before + 1, 10, Direction.FORWARD);
            assertEquals(id, page.streamId());
            assertEquals(1, page.events().size());
            assertEquals(id, page.events().get(0).streamId());
        }
        // Payara's own refusal (an empty 400, not Arbor's): a client without the OpenAPI observer,
        // which would rightly reject it as an undocumented answer.
        ArborClient plain =
                ArborClient.builder(URI.create(Arbor.HOST)).token(Tokens.admin()).build();
        BadRequestException threeDots =
                assertThrows(BadRequestException.class, () -> plain.streamInfo("..."));
        assertEquals(400, threeDots.problem().status());
    }

    @Test
    void retryingAnAppendWithTheSameIdsWritesNothingAndAnswersTheOriginal() {
        String stream = Arbor.newStream("clientretry");
        List<NewEvent> batch = events(1, 3);
        AppendResult original = client.append(stream, ExpectedVersion.exactly(0), batch);
        AppendResult retried = client.append(stream, ExpectedVersion.exactly(0), batch);
        assertTrue(retried.replayed());
        assertEquals(original.toPosition(), retried.toPosition());
        assertEquals(3, client.streamInfo(stream).version());
    }

    @Test
    void failuresArriveAsTypedExceptionsWithTheProblemFields() {
        String stream = Arbor.newStream("clienterr");
        client.append(stream, ExpectedVersion.ANY, events(1, 2));
        WrongExpectedVersionException conflict =
                assertThrows(
                        WrongExpectedVersionException.class,
                        () -> client.append(stream, ExpectedVersion.exactly(1), events(3, 3)));
        assertEquals("1", conflict.expectedVersion());
        assertEquals(2, conflict.actualVersion());
        assertEquals(stream, conflict.streamId());

        NewEvent reused = client.readStream(stream).findFirst().map(NewEvent::copyOf).orElseThrow();
        assertThrows(
                DuplicateEventIdException.class,
                () -> client.append(Arbor.newStream("clienterr"), ExpectedVersion.ANY, reused));

        String missing = Arbor.newStream("clientnone");
        assertThrows(StreamNotFoundException.class, () -> client.streamInfo(missing));
        assertThrows(StreamNotFoundException.class, () -> client.readStream(missing).count());
        BadRequestException bad =
                assertThrows(
                        BadRequestException.class,
                        () -> client.readStreamPage(stream, 1L, 5000, Direction.FORWARD));
        assertEquals(400, bad.status());
        assertEquals("urn:arbor:problem:invalid-request", bad.problem().type());
        assertThrows(BadRequestException.class, () -> client.streamInfo("not a stream id"));
    }

    @Test
    void snapshotsAreSavedAndTheLatestIsRead() {
        String stream = Arbor.newStream("clientsnap");
        assertThrows(
                StreamNotFoundException.class, () -> client.saveSnapshot(stream, 1, "S", data(0)));
        client.append(stream, ExpectedVersion.NO_STREAM, events(1, 4));
        assertThrows(SnapshotNotFoundException.class, () -> client.latestSnapshot(stream));
        Snapshot saved = client.saveSnapshot(stream, 3, "State", data(3));
        SnapshotBeyondHeadException beyond =
                assertThrows(
                        SnapshotBeyondHeadException.class,
                        () -> client.saveSnapshot(stream, 9, "State", data(9)));
        assertEquals(4, beyond.actualVersion());
        assertEquals(saved, client.latestSnapshot(stream));
        assertEquals(data(3), saved.data());
    }

    @Test
    void theGlobalLogByCategoryHoldsEveryEventOnceInPositionOrder() {
        String category = Arbor.newCategory();
        long start = arbor.lastPosition(0);
        List<NewEvent> written = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            List<NewEvent> batch = events(1, 5);
            client.append(category + "-" + s, ExpectedVersion.NO_STREAM, batch);
            written.addAll(batch);
        }
        List<RecordedEvent> read = client.readAll(start, LogFilter.category(category), 4).toList();
        assertEquals(
                written.stream().map(NewEvent::eventId).toList(),
                read.stream().map(RecordedEvent::eventId).toList());
        for (int i = 1; i < read.size(); i++) {
            assertTrue(read.get(i).globalPosition() > read.get(i - 1).globalPosition());
        }
        assertEquals(
                5,
                client.readAll(start, new LogFilter(category, "Counted"), 1000)
                        .filter(e -> e.streamId().equals(category + "-1"))
                        .count());
    }

    @Test
    void followSeesAnEventAppendedAfterItStarted() throws Exception {
        String category = Arbor.newCategory();
        long start = arbor.lastPosition(0);
        CompletableFuture<RecordedEvent> seen =
                CompletableFuture.supplyAsync(
                        () ->
                                client.follow(
                                                start,
                                                LogFilter.category(category),
                                                Duration.ofMillis(100))
                                        .findFirst()
                                        .orElseThrow());
        Thread.sleep(500);
        assertFalse(seen.isDone());
        NewEvent event = NewEvent.of("Late", data(1));
        client.append(category + "-1", ExpectedVersion.ANY, event);
        assertEquals(event.eventId(), seen.get(20, TimeUnit.SECONDS).eventId());
    }

    /** Collects what a subscription hears, for a test to wait on. */
    private static final class Collector implements SubscriptionListener {
        final List<RecordedEvent> events = new CopyOnWriteArrayList<>();
        final List<Long> caughtUp = new CopyOnWriteArrayList<>();
        final AtomicInteger disconnections = new AtomicInteger();

        @Override
        public void event(RecordedEvent event) {
            events.add(event);
        }

        @Override
        public void caughtUp(long position) {
            caughtUp.add(position);
        }

        @Override
        public void disconnected(ArborException why, int failures, Duration down, Duration wait) {
            disconnections.incrementAndGet();
        }

        void awaitEvents(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (events.size() < count) {
                assertTrue(
                        System.nanoTime() < deadline,
                        "got " + events.size() + " of " + count + " events");
                Thread.sleep(20);
            }
        }

        List<UUID> ids() {
            return events.stream().map(RecordedEvent::eventId).toList();
        }
    }

    private static List<UUID> ids(List<NewEvent> events) {
        return events.stream().map(NewEvent::eventId).toList();
    }

    @Test
    void subscriptionDeliversHistoryThenLiveEventsOnceInOrderAndCaughtUpOnce() throws Exception {
        String category = Arbor.newCategory();
        long start = arbor.lastPosition(0);
        List<NewEvent> history = events(1, 5);
        client.append(category + "-1", ExpectedVersion.NO_STREAM, history);
        client.append(Arbor.newCategory() + "-1", ExpectedVersion.ANY, events(1, 2)); // filtered
        Collector heard = new Collector();
        try (Subscription subscription =
                client.subscribe(LogFilter.category(category), start, heard)) {
            heard.awaitEvents(5);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!subscription.isCaughtUp()) {
                assertTrue(System.nanoTime() < deadline, "no caught-up");
                Thread.sleep(20);
            }
            List<NewEvent> live = events(6, 8);
            client.append(category + "-2", ExpectedVersion.NO_STREAM, live.subList(0, 2));
            client.append(category + "-1", ExpectedVersion.exactly(5), live.subList(2, 3));
            heard.awaitEvents(8);
            Thread.sleep(300); // anything delivered twice would arrive now

            List<UUID> expected = new ArrayList<>(ids(history));
            expected.addAll(ids(live));
            assertEquals(expected, heard.ids());
            for (int i = 1; i < heard.events.size(); i++) {
                assertTrue(
                        heard.events.get(i).globalPosition()
                                > heard.events.get(i - 1).globalPosition());
            }
            assertEquals(1, heard.caughtUp.size(), heard.caughtUp::toString);
            assertTrue(heard.caughtUp.get(0) >= heard.events.get(4).globalPosition());
            assertEquals(heard.events.get(7).globalPosition(), subscription.position());
            assertTrue(subscription.failure().isEmpty());
        }
    }

    @Test
    void streamSubscriptionFollowsVersionsAndAnUnknownStreamEndsIt() throws Exception {
        String stream = Arbor.newStream("client");
        client.append(stream, ExpectedVersion.NO_STREAM, events(1, 3));
        Collector heard = new Collector();
        try (Subscription subscription = client.subscribeToStream(stream, 1, heard)) {
            heard.awaitEvents(2);
            client.append(stream, ExpectedVersion.exactly(3), events(4, 4));
            heard.awaitEvents(3);
            assertEquals(
                    List.of(2L, 3L, 4L),
                    heard.events.stream().map(RecordedEvent::version).toList());
            assertEquals(4, subscription.position());
        }
        Subscription missing =
                client.subscribeToStream(Arbor.newStream("client"), 0, new Collector());
        assertTrue(missing.awaitTermination(Duration.ofSeconds(30)));
        assertTrue(
                missing.failure().orElseThrow() instanceof StreamNotFoundException,
                () -> missing.failure().toString());
    }

    @Test
    void reconnectionsResumeWithLastEventIdAndLoseOrRepeatNothing() throws Exception {
        // An idle timeout shorter than the server's heartbeat makes the client drop and resume its
        // connection again and again: every resume carries Last-Event-ID.
        ArborClient impatient =
                ArborClient.builder(URI.create(Arbor.HOST))
                        .token(Tokens.admin())
                        .subscriptionIdleTimeout(Duration.ofMillis(700))
                        .reconnectBackoff(Duration.ofMillis(200))
                        .build();
        String category = Arbor.newCategory();
        long start = arbor.lastPosition(0);
        List<NewEvent> written = new ArrayList<>();
        Collector heard = new Collector();
        try (Subscription subscription =
                impatient.subscribe(LogFilter.category(category), start, heard)) {
            for (int round = 0; round < 4; round++) {
                List<NewEvent> batch = events(round * 3 + 1, round * 3 + 3);
                client.append(category + "-" + round, ExpectedVersion.NO_STREAM, batch);
                written.addAll(batch);
                heard.awaitEvents(written.size());
                Thread.sleep(1500); // past the idle timeout: the connection is replaced
            }
            assertTrue(heard.disconnections.get() >= 3, "reconnections: " + heard.disconnections);
            assertEquals(ids(written), heard.ids());
            assertEquals(1, heard.caughtUp.size(), heard.caughtUp::toString);
        }

        // A new subscription after where the last one got to: only what came after.
        Collector resumed = new Collector();
        long resumeAfter = heard.events.get(5).globalPosition();
        try (Subscription again =
                client.subscribe(LogFilter.category(category), resumeAfter, resumed)) {
            resumed.awaitEvents(6);
            Thread.sleep(300);
            assertEquals(ids(written).subList(6, 12), resumed.ids());
        }
    }

    @Test
    void twoGroupConsumersHandleEveryEventAndAPoisonEventIsParkedThenReplayed() throws Exception {
        String category = Arbor.newCategory();
        String group = Arbor.newCategory();
        List<NewEvent> written = new ArrayList<>();
        long lastPosition = 0;
        for (int s = 1; s <= 10; s++) {
            List<NewEvent> batch = events(1, 30);
            lastPosition =
                    client.append(category + "-" + s, ExpectedVersion.NO_STREAM, batch)
                            .toPosition();
            written.addAll(batch);
        }
        long last = lastPosition;
        UUID poison = written.get(97).eventId();
        GroupPutResult put =
                client.putGroup(
                        group,
                        GroupSettings.builder()
                                .filter(GroupFilter.category(category))
                                .maxRetries(2)
                                .ackTimeoutSeconds(10)
                                .build());
        assertTrue(put.created());

        Map<UUID, List<String>> handled = new ConcurrentHashMap<>();
        AtomicBoolean healed = new AtomicBoolean();
        Function<String, GroupHandler> handler =
                consumer ->
                        delivery -> {
                            UUID id = delivery.event().eventId();
                            handled.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
                                    .add(consumer + "#" + delivery.deliveryAttempt());
                            if (id.equals(poison) && !healed.get()) {
                                throw new IllegalStateException("poison");
                            }
                        };
        try (GroupConsumer one =
                        client.groupConsumer(group, "c-1")
                                .maxEvents(20)
                                .waitSeconds(1)
                                .ackBatchSize(10)
                                .start(handler.apply("c-1"));
                GroupConsumer two =
                        client.groupConsumer(group, "c-2")
                                .maxEvents(20)
                                .waitSeconds(1)
                                .ackBatchSize(1)
                                .start(handler.apply("c-2"))) {
            GroupStatus status = awaitGroup(group, g -> g.parked() == 1 && g.checkpoint() >= last);
            assertEquals(
                    ids(written).stream().sorted().toList(),
                    handled.keySet().stream().sorted().toList(),
                    "every event handled");
            assertEquals(3, handled.get(poison).size(), "delivered maxRetries + 1 times");
            assertEquals(0, status.inFlight());
            ParkedEvent parked = client.parked(group).findFirst().orElseThrow();
            assertEquals(poison, parked.event().eventId());
            assertEquals(3, parked.deliveryAttempt());
            assertEquals("max-retries", parked.parkReason());
            List<String> deliveries = handled.values().stream().flatMap(List::stream).toList();
            assertTrue(
                    deliveries.stream().anyMatch(h -> h.startsWith("c-1"))
                            && deliveries.stream().anyMatch(h -> h.startsWith("c-2")),
                    "both consumers took part");

            healed.set(true);
            assertEquals(1, client.replayParked(group));
            awaitGroup(group, g -> g.parked() == 0 && handled.get(poison).size() == 4);
            assertTrue(
                    handled.get(poison).get(3).endsWith("#1"),
                    "a replay starts a fresh count: " + handled.get(poison));
            assertTrue(one.isRunning() && two.isRunning());
            assertTrue(one.failure().isEmpty() && two.failure().isEmpty());
        }
        assertEquals(0, client.parkedPage(group, 0, 10).events().size());
        client.deleteGroup(group);
        assertThrows(GroupNotFoundException.class, () -> client.group(group));
    }

    /** Polls the group's status until {@code done} holds, for up to 60 s. */
    private GroupStatus awaitGroup(String group, Predicate<GroupStatus> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            GroupStatus status = client.group(group);
            if (done.test(status)) {
                return status;
            }
            assertTrue(System.nanoTime() < deadline, "the group stands at " + status);
            Thread.sleep(100);
        }
    }

    @Test
    void groupCallsAnswerAsTheContractSaysAndRefusalsAreTyped() {
        String category = Arbor.newCategory();
        String group = Arbor.newCategory();
        String stream = category + "-1";
        List<NewEvent> written = events(1, 3);
        long end = client.append(stream, ExpectedVersion.NO_STREAM, written).toPosition();
        assertThrows(GroupNotFoundException.class, () -> client.group(group));
        GroupSettings settings =
                GroupSettings.builder()
                        .filter(GroupFilter.stream(stream))
                        .strategy(DeliveryStrategy.PINNED)
                        .build();
        assertTrue(client.putGroup(group, settings).created());
        GroupPutResult again = client.putGroup(group, settings);
        assertFalse(again.created());
        assertEquals(GroupFilter.stream(stream), again.group().filter());
        assertEquals(DeliveryStrategy.PINNED, again.group().strategy());
        assertThrows(
                GroupFilterChangedException.class,
                () -> client.putGroup(group, GroupSettings.DEFAULTS));
        assertTrue(client.listGroups().stream().anyMatch(g -> g.group().equals(group)));

        List<Delivery> first = client.fetch(group, "c-1", 10, 5);
        assertEquals(
                List.of(written.get(0).eventId()),
                first.stream().map(d -> d.event().eventId()).toList(),
                "pinned: one event of the stream in flight");
        assertEquals(1, first.get(0).deliveryAttempt());
        assertEquals(
                List.of("c-1"),
                client.group(group).consumers().stream().map(ConsumerStatus::consumer).toList());
        UUID stranger = UUID.randomUUID();
        LeaseNotHeldException notHeld =
                assertThrows(
                        LeaseNotHeldException.class,
                        () ->
                                client.ack(
                                        group,
                                        "c-1",
                                        List.of(first.get(0).event().eventId(), stranger)));
        assertEquals(List.of(stranger), notHeld.eventIds());
        assertEquals(
                1,
                client.nack(
                        group, "c-1", List.of(first.get(0).event().eventId()), NackAction.SKIP));
        List<Delivery> second = client.fetch(group, "c-1", 10, 5);
        assertEquals(written.get(1).eventId(), second.get(0).event().eventId());
        assertEquals(1, client.ack(group, "c-1", List.of(second.get(0).event().eventId())));

        GroupStatus reset = client.resetGroup(group, LogPoint.BEGINNING);
        assertEquals(0, reset.checkpoint());
        assertEquals(
                written.get(0).eventId(),
                client.fetch(group, "c-1", 10, 5).get(0).event().eventId(),
                "delivered again");
        assertTrue(client.resetGroup(group, LogPoint.END).checkpoint() >= end);
        assertEquals(List.of(), client.fetch(group, "c-1", 10, 0), "end skips the history");
        client.deleteGroup(group);
    }

    @Test
    void pinnedGroupConsumersSeeEachStreamInVersionOrderOneEventAtATime() throws Exception {
        String category = Arbor.newCategory();
        String group = Arbor.newCategory();
        for (int s = 1; s <= 6; s++) {
            client.append(category + "-" + s, ExpectedVersion.NO_STREAM, events(1, 20));
        }
        client.putGroup(
                group,
                GroupSettings.builder()
                        .filter(GroupFilter.category(category))
                        .strategy(DeliveryStrategy.PINNED)
                        .build());
        Map<String, List<Long>> versions = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> busy = new ConcurrentHashMap<>();
        List<String> overlaps = new CopyOnWriteArrayList<>();
        GroupHandler handler =
                delivery -> {
                    RecordedEvent event = delivery.event();
                    AtomicInteger inStream =
                            busy.computeIfAbsent(event.streamId(), k -> new AtomicInteger());
                    if (inStream.incrementAndGet() > 1) {
                        overlaps.add(event.streamId() + " v" + event.version());
                    }
                    Thread.sleep(2);
                    versions.computeIfAbsent(event.streamId(), k -> new CopyOnWriteArrayList<>())
                            .add(event.version());
                    inStream.decrementAndGet();
                };
        try (GroupConsumer one = client.groupConsumer(group, "p-1").waitSeconds(1).start(handler);
                GroupConsumer two =
                        client.groupConsumer(group, "p-2").waitSeconds(1).start(handler)) {
            awaitGroup(group, g -> versions.values().stream().mapToInt(List::size).sum() == 120);
        }
        List<Long> all = LongStream.rangeClosed(1, 20).boxed().toList();
        for (int s = 1; s <= 6; s++) {
            assertEquals(all, versions.get(category + "-" + s), "stream " + s);
        }
        assertEquals(List.of(), overlaps, "one event of a stream in flight at a time");
        client.deleteGroup(group);
    }
}
