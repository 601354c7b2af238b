package io.arbor.application.subscriptions;

import io.arbor.application.EventReader;
import io.arbor.domain.GlobalLogQuery;
import io.arbor.domain.OutgoingEvent;
import io.arbor.domain.RecordedEvent;
import io.arbor.domain.StoreLogRange;
import io.arbor.domain.StoreUnavailableException;
import io.arbor.domain.Tenant;
import io.arbor.domain.TenantEvent;
import io.arbor.domain.TimedOutException;
import io.arbor.infrastructure.grid.AppendedTopic;
import io.arbor.infrastructure.metrics.ArborMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one reader of the global log per instance that its live subscriptions share: it reads each
 * new range of the log once, whatever the number of subscribers, every tenant's events (the one
 * store-wide read of the application, {@link EventReader#readRangeAcrossTenants}: reading only),
 * and offers each subscription the events of its own tenant that match its filter (in memory). It
 * runs while some subscription follows it.
 *
 * <p>It reads when woken, and at the latest every {@code arbor.subscriptions.poll-interval-ms}: an
 * append on this instance wakes it as it is acknowledged ({@link #logGrew}), and tells the other
 * instances through the data grid ({@link AppendedTopic}), which wakes theirs. The poll covers what
 * no one announces: a lost grid message, a rolled-back append below later ones (the horizon moves
 * when it ends), writes by other tools. Like every reader of the log it stops at the horizon
 * ({@link EventReader#readRange}), so it never passes an event that has yet to commit.
 */
@ApplicationScoped
public class LogTailer {
    private static final Logger LOG = Logger.getLogger(LogTailer.class.getName());

    @Inject EventReader reader;
    @Inject AppendedTopic topic;
    @Inject ArborMetrics metrics;

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "arbor.subscriptions.poll-interval-ms")
    long pollIntervalMillis;

    @Inject
    @ConfigProperty(name = "arbor.subscriptions.page-size")
    int pageSize;

    private final Object lock = new Object();

    /** What the tailer offers each page to: a live subscription. */
    interface Follower {
        /**
         * Takes the events of one range of the log, searched up to {@code searchedUpTo}, that it
         * wants (on the tailer's thread, under its lock: it must not block); false once it no
         * longer follows (its buffer overflowed). {@code readAt} ({@link System#nanoTime}) was
         * taken before the statement that read them: PostgreSQL showed them visible then or later.
         */
        boolean offer(List<LiveEvent> events, long searchedUpTo, long readAt);

        /** The tailer is shutting down: the follower ends. */
        void stop();
    }

    /** Guarded by {@link #lock}: who follows, how far they have been offered, the thread. */
    private final Set<Follower> followers = new LinkedHashSet<>();

    private long position;
    private Thread thread;
    private boolean shutDown;

    private final Object wakeups = new Object();
    private boolean woken; // guarded by wakeups

    /** The highest position this instance heard was appended: the tailer's lag is up to it. */
    private final AtomicLong heardOf = new AtomicLong();

    private final AtomicLong offeredUpTo = new AtomicLong();
    private final List<Runnable> growthListeners = new CopyOnWriteArrayList<>();
    private UUID listening;

    /** Created at deployment, so that it hears the grid (and its gauge exists) from the start. */
    void startWithTheApplication(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // the observer only makes CDI create the bean now; @PostConstruct does the work
    }

    @PostConstruct
    void listen() {
        listening =
                topic.listen(
                        position -> {
                            metrics.gridAppendNoticed();
                            heard(position);
                        });
    }

    /**
     * Stops the tailer and every follower (they end; their clients reconnect elsewhere or later).
     */
    @PreDestroy
    void shutDown() {
        topic.stopListening(listening);
        Thread running;
        synchronized (lock) {
            shutDown = true;
            followers.forEach(Follower::stop);
            followers.clear();
            running = thread;
        }
        wake();
        if (running != null) {
            try {
                running.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * An append on this instance has committed up to {@code position}: the tailer reads now, and
     * the other instances of the grid are told.
     */
    public void logGrew(long position) {
        try {
            heard(position);
            topic.published(position);
        } catch (RuntimeException hintLost) {
            // The append has committed and must be acknowledged: its subscribers hear of it at the
            // tailers' next poll instead.
            LOG.log(Level.FINE, "An append's notice to live subscriptions was lost", hintLost);
        }
    }

    /**
     * Positions between what appends announced and what the tailer has offered to its followers; 0
     * while no subscription follows it (then it reads nothing, and nobody waits).
     */
    public long lag() {
        synchronized (lock) {
            if (thread == null) {
                return 0;
            }
        }
        return Math.max(0, heardOf.get() - offeredUpTo.get());
    }

    private void heard(long position) {
        heardOf.accumulateAndGet(position, Math::max);
        wake();
        growthListeners.forEach(Runnable::run);
    }

    /**
     * Runs {@code listener} whenever this instance hears that the log grew (an append here or, by
     * the grid, elsewhere), on the thread that heard it: it must be quick and must not throw. A
     * consumer group's waiting fetches try again at once ({@code GroupFetches}).
     */
    public void onGrowth(Runnable listener) {
        growthListeners.add(listener);
    }

    /**
     * Starts offering {@code subscription} the events after the tailer's position, which this
     * returns; starts the tailer if it was idle (at the log's horizon).
     */
    long join(Follower subscription) {
        while (true) {
            synchronized (lock) {
                if (shutDown) {
                    subscription.stop();
                    return position;
                }
                if (thread != null) {
                    followers.add(subscription);
                    return position;
                }
            }
            // Idle, the tailer knows nothing newer than the horizon (it only ever moves up). Read
            // outside the lock: a database outage must not hold up leave() and the lag gauge.
            long horizon = reader.horizon();
            synchronized (lock) {
                if (thread == null && !shutDown) {
                    position = Math.max(position, horizon);
                    offeredUpTo.accumulateAndGet(position, Math::max);
                    thread = threads.newThread(this::run);
                    thread.setName("arbor-log-tailer");
                    thread.setDaemon(true);
                    thread.start();
                    followers.add(subscription);
                    return position;
                }
            }
        }
    }

    void leave(Follower subscription) {
        synchronized (lock) {
            followers.remove(subscription);
        }
    }

    private void run() {
        try {
            follow();
        } finally {
            // Ended other than by having no one to follow (an interrupt, an Error): no follower is
            // left waiting on a tailer that is gone. They end, their clients reconnect, and the
            // next subscriber to join starts a new tailer.
            synchronized (lock) {
                if (thread == Thread.currentThread()) {
                    thread = null;
                    followers.forEach(Follower::stop);
                    followers.clear();
                }
            }
        }
    }

    private void follow() {
        while (true) {
            awaitWakeup();
            synchronized (lock) {
                if (followers.isEmpty() || shutDown) {
                    thread = null; // in the same lock as join: a later join starts a new tailer
                    return;
                }
            }
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            try {
                readToHorizon();
            } catch (RuntimeException failed) {
                // The database is unavailable: subscribers wait, connected; the next poll retries.
                LOG.log(
                        Level.WARNING,
                        "The live subscriptions' tailer could not read the log",
                        failed);
                pause();
            }
        }
    }

    /** Reads and offers pages until one comes back short (the horizon). */
    private void readToHorizon() {
        while (true) {
            long from;
            synchronized (lock) {
                from = position;
            }
            long readAt = System.nanoTime();
            StoreLogRange range =
                    reader.readRangeAcrossTenants(new GlobalLogQuery(from, pageSize, null, null));
            if (range.scannedUpTo() > from) {
                List<LiveEvent> events = shared(range.events());
                synchronized (lock) {
                    for (Iterator<Follower> each = followers.iterator(); each.hasNext(); ) {
                        if (!each.next().offer(events, range.scannedUpTo(), readAt)) {
                            each.remove(); // overflowed: it sends dropped and ends
                        }
                    }
                    position = range.scannedUpTo();
                }
                offeredUpTo.accumulateAndGet(range.scannedUpTo(), Math::max);
            }
            if (range.complete()) {
                return;
            }
        }
    }

    /**
     * The page's events as the subscribers share them, upcast once for all who want that, each by
     * its own tenant's registry. Always upcast: a subscriber that wants upcast events may join
     * while the page is on its way.
     */
    private List<LiveEvent> shared(List<TenantEvent> stored) {
        return shared(stored, reader::upcastToLatest);
    }

    /**
     * {@link #shared(List)} with the upcasting given. An event whose upcast fails (a Java upcaster
     * that throws, data an upcaster cannot take) fails only itself: it is shared with the failure,
     * so that the subscribers of its tenant that want it upcast end there with an error (as their
     * own read of it fails: {@link EventReader} does not hand out an event it could not upcast),
     * while those that take events as stored, and every other tenant, go on. The database being
     * unavailable is not such a failure: it is thrown, and the tailer reads the page again later.
     */
    static List<LiveEvent> shared(
            List<TenantEvent> stored,
            BiFunction<Tenant, List<RecordedEvent>, List<OutgoingEvent>> upcasting) {
        Map<Tenant, List<RecordedEvent>> byTenant = new HashMap<>();
        for (TenantEvent row : stored) {
            byTenant.computeIfAbsent(row.tenant(), t -> new ArrayList<>()).add(row.event());
        }
        Map<Tenant, Iterator<Object>> upcast = new HashMap<>();
        byTenant.forEach(
                (tenant, events) ->
                        upcast.put(tenant, upcastEach(tenant, events, upcasting).iterator()));
        List<LiveEvent> events = new ArrayList<>(stored.size());
        for (TenantEvent row : stored) {
            Object result = upcast.get(row.tenant()).next();
            events.add(
                    result instanceof RuntimeException failure
                            ? LiveEvent.upcastFailed(row.tenant(), row.event(), failure)
                            : new LiveEvent(row.tenant(), row.event(), (OutgoingEvent) result));
        }
        return events;
    }

    /** Each event upcast, or the failure of its upcast; all at once unless one of them fails. */
    private static List<Object> upcastEach(
            Tenant tenant,
            List<RecordedEvent> events,
            BiFunction<Tenant, List<RecordedEvent>, List<OutgoingEvent>> upcasting) {
        try {
            return new ArrayList<>(upcasting.apply(tenant, events));
        } catch (StoreUnavailableException | TimedOutException databaseTrouble) {
            throw databaseTrouble;
        } catch (RuntimeException oneFailed) {
            List<Object> each = new ArrayList<>(events.size());
            for (RecordedEvent event : events) {
                try {
                    each.add(upcasting.apply(tenant, List.of(event)).get(0));
                } catch (StoreUnavailableException | TimedOutException databaseTrouble) {
                    throw databaseTrouble;
                } catch (RuntimeException failure) {
                    LOG.log(
                            Level.WARNING,
                            "Live subscriptions: tenant "
                                    + tenant.value()
                                    + ", event at "
                                    + event.globalPosition()
                                    + " (type "
                                    + event.type()
                                    + " v"
                                    + event.schemaVersion()
                                    + ") could not be upcast; its subscribers that want it upcast"
                                    + " end there",
                            failure);
                    each.add(failure);
                }
            }
            return each;
        }
    }

    private void wake() {
        synchronized (wakeups) {
            woken = true;
            wakeups.notifyAll();
        }
    }

    private void awaitWakeup() {
        synchronized (wakeups) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pollIntervalMillis);
            try {
                while (!woken) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        break;
                    }
                    wakeups.wait(left);
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            woken = false;
        }
    }

    private void pause() {
        try {
            Thread.sleep(pollIntervalMillis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
