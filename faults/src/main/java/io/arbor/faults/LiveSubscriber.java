package io.arbor.faults;

import io.arbor.client.ArborClient;
import io.arbor.client.ArborException;
import io.arbor.client.LogFilter;
import io.arbor.client.RecordedEvent;
import io.arbor.client.Subscription;
import io.arbor.client.SubscriptionListener;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Subscribes to one category's global log through the Java client's live subscription (Server-Sent
 * Events, {@link ArborClient#subscribe}) from before the writers start until the store has been
 * read back, across every fault of the scenario: a killed server, terminated backends, a stopped
 * database. The client reconnects by itself and resumes with {@code Last-Event-ID}; this class only
 * records what it delivers, so the checker can hold it to the same promise as the {@link
 * LiveReader}: every event exactly once, in order, none skipped.
 */
public final class LiveSubscriber implements SubscriptionListener {
    private final ArborClient client;
    private final String category;
    private final List<LiveReader.Seen> seen = new ArrayList<>();
    private final Set<UUID> ids = new HashSet<>();
    private final AtomicLong reconnections = new AtomicLong();
    private final AtomicLong drops = new AtomicLong();
    private volatile int caughtUpSignals;
    private Subscription subscription;

    public LiveSubscriber(URI server, String token, String category) {
        // Its own client: the suite's Api has retries off, and a subscription keeps its own backoff
        // (up to 2 s here, so that it is back soon after each fault's recovery).
        this.client =
                ArborClient.builder(server)
                        .token(token)
                        .connectTimeout(Duration.ofSeconds(3))
                        .requestTimeout(Duration.ofSeconds(30))
                        .reconnectBackoff(Duration.ofSeconds(2))
                        .build();
        this.category = category;
    }

    public LiveSubscriber start() {
        subscription = client.subscribe(LogFilter.category(category), 0, this);
        return this;
    }

    @Override
    public void event(RecordedEvent event) {
        synchronized (this) {
            seen.add(new LiveReader.Seen(event.globalPosition(), event.eventId()));
            ids.add(event.eventId());
            notifyAll();
        }
    }

    @Override
    public void caughtUp(long position) {
        caughtUpSignals++;
    }

    @Override
    public void dropped(long position, String reason) {
        drops.incrementAndGet();
    }

    @Override
    public void reconnected(int failures, Duration down) {
        reconnections.incrementAndGet();
    }

    @Override
    public void disconnected(ArborException why, int failures, Duration down, Duration retryIn) {
        // told by reconnected(), once the outage is over
    }

    public synchronized int seenCount() {
        return seen.size();
    }

    public long reconnections() {
        return reconnections.get();
    }

    public long drops() {
        return drops.get();
    }

    /**
     * Waits up to {@code millis} until every one of {@code eventIds} has been delivered; returns
     * how many events had been delivered when the wait ended (whether or not all had come).
     */
    public synchronized int awaitDelivered(Collection<UUID> eventIds, long millis)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!ids.containsAll(eventIds)) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0 || !subscription.isRunning()) {
                break;
            }
            wait(Math.min(left, 200));
        }
        return seen.size();
    }

    /**
     * Waits up to {@code millis} for every event of the final log, then closes the subscription and
     * returns what it delivered.
     */
    public Checker.SubscriberRun finish(
            Collection<UUID> finalLog, List<Checker.Delivery> deliveries, long millis)
            throws InterruptedException {
        awaitDelivered(finalLog, millis);
        subscription.close();
        synchronized (this) {
            return new Checker.SubscriberRun(
                    seen,
                    ids.containsAll(finalLog),
                    caughtUpSignals,
                    subscription.failure().map(Exception::toString).orElse(null),
                    reconnections.get(),
                    deliveries);
        }
    }
}
