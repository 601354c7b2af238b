package io.arbor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GroupConsumer} against {@link FakeGroup}, one consumer group on a local port: what it
 * acks, nacks and hands over, how it rides out an outage, and how it stops. (Against the real
 * server: ClientIT.)
 */
class GroupConsumerTest {
    private final FakeGroup group = open(2);
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final List<Delivery> handled = new CopyOnWriteArrayList<>();

    private static FakeGroup open(int maxRetries) {
        try {
            return new FakeGroup(maxRetries);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void close() {
        group.close();
    }

    private final GroupConsumerListener listener =
            new GroupConsumerListener() {
                @Override
                public void disconnected(
                        ArborException why, int failures, Duration down, Duration retryIn) {
                    heard.add("disconnected " + failures);
                }

                @Override
                public void reconnected(int failures, Duration down) {
                    heard.add("reconnected " + failures);
                }

                @Override
                public void handlerFailed(Delivery delivery, Exception why) {
                    heard.add("handler failed " + delivery.deliveryAttempt());
                }

                @Override
                public void failed(Exception why) {
                    heard.add("failed " + why.getClass().getSimpleName());
                }
            };

    private GroupConsumer.Builder consumer() {
        return group.client().groupConsumer("g", "c-1").waitSeconds(1).listener(listener);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(2);
        }
    }

    private static List<Integer> sizes(List<JsonObject> bodies) {
        return bodies.stream().map(b -> b.getJsonArray("eventIds").size()).toList();
    }

    /** The delivery attempts the handler saw of one event. */
    private List<Integer> attempts(UUID eventId) {
        return handled.stream()
                .filter(d -> d.event().eventId().equals(eventId))
                .map(Delivery::deliveryAttempt)
                .toList();
    }

    @Test
    void eventsAreHandledInFetchOrderAndAckedInBatchesThatNeverSpanTwoFetches() throws Exception {
        List<RecordedEvent> events = group.append("a-1", 25);
        try (GroupConsumer consumer =
                consumer().maxEvents(10).ackBatchSize(4).start(handled::add)) {
            await(() -> group.count("done") == 25, "every event acked");
        }
        assertEquals(events, handled.stream().map(Delivery::event).toList());
        assertEquals(List.of(4, 4, 2, 4, 4, 2, 4, 1), sizes(group.bodies("ack")));
        assertEquals("c-1", group.bodies("ack").get(0).getString("consumer"));
        assertEquals(10, group.bodies("fetch").get(0).getInt("max"));
        assertEquals(1, group.bodies("fetch").get(0).getInt("waitSeconds"));
        assertTrue(group.bodies("nack").isEmpty());
    }

    @Test
    void anAckBatchOfOneAcksEachEventBeforeTheNextIsHandled() throws Exception {
        group.append("a-1", 5);
        List<Long> doneBefore = new CopyOnWriteArrayList<>();
        try (GroupConsumer consumer =
                consumer()
                        .ackBatchSize(1)
                        .start(
                                delivery -> {
                                    doneBefore.add(group.count("done"));
                                    handled.add(delivery);
                                })) {
            await(() -> group.count("done") == 5, "every event acked");
            assertTrue(consumer.failure().isEmpty());
        }
        assertEquals(List.of(1, 1, 1, 1, 1), sizes(group.bodies("ack")));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), doneBefore);
    }

    @Test
    void aHandlerThatThrowsIsNackedWithRetryUntilTheServerParksItAfterMaxRetries()
            throws Exception {
        List<RecordedEvent> events = group.append("a-1", 3);
        UUID poison = events.get(1).eventId();
        try (GroupConsumer consumer =
                consumer()
                        .start(
                                delivery -> {
                                    handled.add(delivery);
                                    if (delivery.event().eventId().equals(poison)) {
                                        throw new IllegalStateException("cannot handle it");
                                    }
                                })) {
            await(() -> group.count("parked") == 1 && group.count("done") == 2, "parked");
        }
        assertEquals(List.of(1, 2, 3), attempts(poison), "delivered maxRetries + 1 times");
        assertEquals("parked", group.entries.get(poison).state);
        assertEquals(
                List.of("handler failed 1", "handler failed 2", "handler failed 3"),
                heard.stream().filter(h -> h.startsWith("handler")).toList());
        for (JsonObject nack : group.bodies("nack")) {
            assertEquals("retry", nack.getString("action"));
            assertEquals(
                    List.of(poison.toString()),
                    nack.getJsonArray("eventIds").stream()
                            .map(v -> ((jakarta.json.JsonString) v).getString())
                            .toList());
        }
    }

    @Test
    void outagesAndPayarasBootPagesAreRiddenOutAndHeardAndNothingIsLost() throws Exception {
        group.away = true;
        try (GroupConsumer consumer = consumer().start(handled::add)) {
            await(() -> heard.contains("disconnected 3"), "three failed fetches");
            group.append("a-1", 4);
            group.away = false;
            await(() -> group.count("done") == 4, "every event acked");
            assertTrue(heard.contains("reconnected " + disconnections()), heard.toString());

            heard.clear();
            group.awayStatus = 500; // Payara's own page while it boots, not Arbor's problem
            group.away = true;
            await(() -> heard.contains("disconnected 2"), "two failed fetches");
            group.append("a-2", 3);
            group.away = false;
            await(() -> group.count("done") == 7, "every event acked");
            assertTrue(heard.contains("reconnected " + disconnections()), heard.toString());
            assertTrue(consumer.isRunning());
        }
        assertEquals(7, handled.size());
    }

    private long disconnections() {
        return heard.stream().filter(h -> h.startsWith("disconnected")).count();
    }

    @Test
    void anAckTooLateDropsTheIdsNoLongerLeasedAndAcksTheRest() throws Exception {
        List<RecordedEvent> events = group.append("a-1", 3);
        UUID first = events.get(0).eventId();
        try (GroupConsumer consumer =
                consumer()
                        .start(
                                delivery -> {
                                    handled.add(delivery);
                                    if (delivery.event().equals(events.get(2))
                                            && delivery.deliveryAttempt() == 1) {
                                        group.expire(first); // its lease ran out meanwhile
                                    }
                                })) {
            await(() -> group.count("done") == 3, "every event acked");
        }
        assertEquals(List.of(3, 2, 1), sizes(group.bodies("ack")));
        assertEquals(List.of(1, 2), attempts(first), "delivered again, as at least once says");
        assertTrue(heard.stream().noneMatch(h -> h.startsWith("failed")), heard.toString());
    }

    @Test
    void stopLetsAWaitingFetchEndAndHandlesWhatItBrings() throws Exception {
        GroupConsumer consumer = consumer().waitSeconds(5).start(handled::add);
        await(() -> !group.bodies("fetch").isEmpty(), "a waiting fetch");
        consumer.stop();
        group.append("a-1", 2); // leased to the waiting fetch, as the server would
        assertTrue(consumer.awaitTermination(Duration.ofSeconds(5)));
        assertEquals(2, handled.size());
        assertEquals(2, group.count("done"), "nothing left to expire");
        assertEquals(1, group.bodies("fetch").size(), "no fetch after stop()");
        assertTrue(consumer.failure().isEmpty());
    }

    @Test
    void stopEndsTheWaitOfAnOutageAtOnce() throws Exception {
        group.away = true;
        ArborClient patient =
                ArborClient.builder(group.client().baseUrl())
                        .retry(new RetryPolicy(1, Duration.ofSeconds(20), Duration.ofSeconds(20)))
                        .build();
        GroupConsumer consumer =
                patient.groupConsumer("g", "c-1").listener(listener).start(handled::add);
        await(() -> heard.contains("disconnected 1"), "a failed fetch");
        long start = System.nanoTime();
        consumer.stop();
        assertTrue(consumer.awaitTermination(Duration.ofSeconds(5)));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertTrue(consumer.failure().isEmpty());
        assertFalse(consumer.isRunning());
    }

    @Test
    void stopFinishesTheBatchInHandAcksItAndFetchesNoMore() throws Exception {
        group.append("a-1", 3);
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GroupConsumer consumer =
                consumer()
                        .start(
                                delivery -> {
                                    inHandler.countDown();
                                    release.await();
                                    handled.add(delivery);
                                });
        assertTrue(inHandler.await(5, TimeUnit.SECONDS));
        consumer.stop();
        release.countDown();
        assertTrue(consumer.awaitTermination(Duration.ofSeconds(5)));
        assertEquals(3, handled.size());
        assertEquals(3, group.count("done"));
        assertEquals(1, group.bodies("fetch").size(), "no fetch after stop()");
        assertTrue(consumer.failure().isEmpty());
    }

    @Test
    void aDeletedGroupEndsTheConsumerWithItsProblem() throws Exception {
        group.deleted = true;
        GroupConsumer consumer = consumer().start(handled::add);
        assertTrue(consumer.awaitTermination(Duration.ofSeconds(5)));
        assertInstanceOf(GroupNotFoundException.class, consumer.failure().orElseThrow());
        assertEquals(List.of("failed GroupNotFoundException"), heard);
    }
}
