package io.arbor.application.subscriptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.application.EventReader;
import io.arbor.domain.GlobalLogQuery;
import io.arbor.domain.LogRange;
import io.arbor.domain.RecordedEvent;
import io.arbor.domain.StreamId;
import io.arbor.domain.SubscriptionFilter;
import io.arbor.domain.Tenant;
import io.arbor.infrastructure.metrics.ArborMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A live subscriber's buffer and stream lifecycle rules (docs/subscriptions.md, "When a rule hides
 * events"): an event held longer than {@code recheck-after-ms} since PostgreSQL last showed it
 * visible is checked again before it is sent, and left out when a rule hid it meanwhile; a fresh
 * one goes without a check.
 */
class SubscriptionRecheckTest {
    private static final Tenant TENANT = new Tenant("tenant-a");
    private static final long RECHECK_MILLIS = 5_000; // far above a loaded machine's delays

    @Test
    void aBufferedEventThatARuleHidSinceItWasReadIsNotSent() throws Exception {
        Harness harness = new Harness(Set.of(1L, 3L));
        harness.subscription.offer(
                events(1, 2, 3), 3, System.nanoTime() - TimeUnit.MINUTES.toNanos(10));
        harness.awaitSent(2);
        harness.stop();
        assertEquals(List.of(1L, 3L), harness.sent);
        // Checked in one statement or several, as the subscriber's thread met them: each once.
        assertEquals(
                List.of(1L, 2L, 3L),
                harness.checks.stream().flatMap(List::stream).toList(),
                "each checked once");
    }

    @Test
    void aFreshlyReadEventIsSentWithoutACheck() throws Exception {
        Harness harness = new Harness(Set.of());
        harness.subscription.offer(events(1, 2, 3), 3, System.nanoTime());
        harness.awaitSent(3);
        harness.stop();
        assertEquals(List.of(1L, 2L, 3L), harness.sent);
        assertEquals(List.of(), harness.checks);
    }

    /** A log subscription from position 0 whose catch-up finds nothing, running live. */
    private static final class Harness {
        final List<Long> sent = Collections.synchronizedList(new ArrayList<>());
        final List<List<Long>> checks = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch caughtUp = new CountDownLatch(1);
        final Subscription subscription;
        final Thread thread;

        Harness(Set<Long> visible) throws InterruptedException {
            EventReader reader =
                    new EventReader() {
                        @Override
                        public LogRange readRange(
                                Tenant tenant, GlobalLogQuery query, boolean upcast) {
                            return new LogRange(List.of(), query.after(), true);
                        }

                        @Override
                        public Set<Long> visiblePositions(Tenant tenant, List<Long> positions) {
                            checks.add(List.copyOf(positions));
                            return visible;
                        }
                    };
            LogTailer tailer =
                    new LogTailer() {
                        @Override
                        long join(Follower follower) {
                            return 0;
                        }

                        @Override
                        void leave(Follower follower) {}
                    };
            ArborMetrics metrics =
                    new ArborMetrics() {
                        @Override
                        public void subscriptionEventDelivered() {}

                        @Override
                        public void subscriptionDropped() {}
                    };
            subscription =
                    new Subscription(
                            TENANT,
                            SubscriptionFilter.log(null, null),
                            0,
                            false,
                            new Sink(),
                            new SubscriptionSettings(100, 100, 10, 1_000, 60_000, RECHECK_MILLIS),
                            reader,
                            tailer,
                            metrics,
                            new Semaphore(1));
            thread = new Thread(subscription);
            thread.start();
            assertTrue(caughtUp.await(10, TimeUnit.SECONDS), "caught up");
        }

        void awaitSent(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sent.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(100); // nothing more arrives
        }

        void stop() throws InterruptedException {
            subscription.stop();
            thread.join(5_000);
        }

        private final class Sink implements SubscriptionSink {
            @Override
            public void event(long id, String json) {
                sent.add(id);
            }

            @Override
            public void caughtUp(long position) {
                caughtUp.countDown();
            }

            @Override
            public void checkpoint(long position) {}

            @Override
            public void dropped(long position, String reason) {}

            @Override
            public void heartbeat() {}

            @Override
            public void close() {}
        }
    }

    private static List<LiveEvent> events(long... positions) {
        List<LiveEvent> events = new ArrayList<>();
        for (long position : positions) {
            RecordedEvent stored =
                    new RecordedEvent(
                            UUID.randomUUID(),
                            StreamId.of("account-" + position),
                            1,
                            position,
                            "Opened",
                            1,
                            "{}",
                            "{}",
                            List.of(),
                            Instant.EPOCH,
                            null,
                            null);
            events.add(new LiveEvent(TENANT, stored, stored));
        }
        return events;
    }
}
