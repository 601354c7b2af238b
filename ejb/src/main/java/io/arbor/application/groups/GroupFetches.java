package io.arbor.application.groups;

import io.arbor.application.EventReader;
import io.arbor.application.subscriptions.LogTailer;
import io.arbor.domain.OutgoingEvent;
import io.arbor.domain.Tenant;
import io.arbor.domain.groups.Delivery;
import io.arbor.domain.groups.GroupName;
import io.arbor.domain.groups.ParkedEvent;
import io.arbor.infrastructure.jpa.ConsumerGroupRows.Lease;
import io.arbor.infrastructure.jpa.ConsumerGroupRows.Parked;
import io.arbor.infrastructure.jpa.PersistenceFailures;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A consumer's fetch: leases events ({@link ConsumerGroups#lease}) and reads them, and when there
 * are none yet, tries again when the log grows ({@link LogTailer#onGrowth}: an append on any
 * instance) and at least every {@code arbor.groups.poll-interval-ms} (expired leases, acks that
 * free a pinned stream), until some are leased or the fetch's wait is over (a long poll). The
 * waiting holds no request thread and no lease: events are leased only by the attempt that answers.
 * The tries run on this class's own pool of {@code arbor.groups.fetch-threads} managed threads, so
 * that one group's slow fetch (waiting for its row lock) does not hold up every other group's.
 *
 * <p>A fetch whose request has ended (timed out or cancelled) stops trying; leases whose answer the
 * request no longer takes are given back at once, uncounted. A client that goes away without the
 * server noticing (HTTP gives no sign until a write fails) gets its events again when their leases
 * expire, each such delivery counted as an attempt. It also reads the events of the parked list,
 * the other answer that pairs a group's rows with their events.
 */
@ApplicationScoped
public class GroupFetches {
    @Inject ConsumerGroups groups;
    @Inject EventReader reader;
    @Inject LogTailer tailer;

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "arbor.groups.poll-interval-ms")
    long pollIntervalMillis;

    @Inject
    @ConfigProperty(name = "arbor.groups.fetch-threads")
    int fetchThreads;

    private ScheduledThreadPoolExecutor scheduler;

    /** The fetches waiting for events, each with its next try scheduled. */
    private final Set<Attempt> waiting = ConcurrentHashMap.newKeySet();

    @PostConstruct
    void listen() {
        scheduler = new ScheduledThreadPoolExecutor(fetchThreads, threads);
        scheduler.setRemoveOnCancelPolicy(true);
        tailer.onGrowth(() -> waiting.forEach(Attempt::runSoon));
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }

    /** Where a fetch's answer goes: the request waiting for it. */
    public interface Answer {
        /** Whether the request still waits for an answer. */
        boolean waiting();

        /** Answers with these events (maybe none); false when the request no longer takes it. */
        boolean deliver(List<Delivery> deliveries);

        /** Answers with a failure. */
        void fail(RuntimeException failure);
    }

    /**
     * Fetches for {@code consumer}: hands {@code answer} the events leased to it, at once when
     * there are some, else within {@code waitSeconds} (maybe none), or a failure. The first attempt
     * runs on the caller's thread.
     */
    public void fetch(
            Tenant tenant,
            GroupName group,
            String consumer,
            int max,
            int waitSeconds,
            Answer answer) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        new Attempt(tenant, group, consumer, max, deadline, answer).run();
    }

    /** One try of a fetch, which schedules the next while the wait lasts. */
    private final class Attempt implements Runnable {
        private final Tenant tenant;
        private final GroupName group;
        private final String consumer;
        private final int max;
        private final long deadline;
        private final Answer answer;
        private ScheduledFuture<?> next; // guarded by this

        Attempt(
                Tenant tenant,
                GroupName group,
                String consumer,
                int max,
                long deadline,
                Answer answer) {
            this.tenant = tenant;
            this.group = group;
            this.consumer = consumer;
            this.max = max;
            this.deadline = deadline;
            this.answer = answer;
        }

        @Override
        public void run() {
            waiting.remove(this);
            if (!answer.waiting()) {
                return; // the request ended: nothing to lease for
            }
            List<Lease> leases;
            List<Delivery> deliveries;
            try {
                leases = groups.lease(tenant, group, consumer, max);
                deliveries = deliver(tenant, group, consumer, leases);
            } catch (RuntimeException failure) {
                // The container's own failures (a connection it could not enlist when the
                // transaction began) never passed through ConsumerGroups' translation: an outage
                // is a 503 here as everywhere.
                answer.fail(PersistenceFailures.translate(failure));
                return;
            }
            long left = deadline - System.nanoTime();
            if (!deliveries.isEmpty() || !leases.isEmpty() || left <= 0) {
                if (!answer.deliver(deliveries) && !leases.isEmpty()) {
                    groups.giveBack(tenant, group, consumer, leases);
                }
                return;
            }
            try {
                synchronized (this) {
                    waiting.add(this); // before the next try can start, which removes it
                    next =
                            scheduler.schedule(
                                    this,
                                    Math.min(
                                            pollIntervalMillis,
                                            TimeUnit.NANOSECONDS.toMillis(left) + 1),
                                    TimeUnit.MILLISECONDS);
                }
            } catch (RejectedExecutionException shuttingDown) {
                waiting.remove(this);
                answer.deliver(List.of());
            }
        }

        /** The log grew: try now rather than at the scheduled time (unless it runs already). */
        void runSoon() {
            if (!waiting.remove(this)) {
                return;
            }
            synchronized (this) {
                if (next == null || !next.cancel(false)) {
                    return;
                }
            }
            try {
                scheduler.execute(this);
            } catch (RejectedExecutionException shuttingDown) {
                answer.deliver(List.of());
            }
        }
    }

    /**
     * The leased events, read and upcast, each with its delivery attempt. The read goes through
     * {@code visible_events}: an event that a stream lifecycle rule hid after it was leased (the
     * rule committed between the lease's transaction and this read) is left out, and its lease is
     * dropped as skipped at once, so that it is never delivered and the checkpoint passes it.
     */
    private List<Delivery> deliver(
            Tenant tenant, GroupName group, String consumer, List<Lease> leases) {
        if (leases.isEmpty()) {
            return List.of();
        }
        Map<Long, OutgoingEvent> events =
                read(tenant, leases.stream().map(Lease::position).toList());
        List<Delivery> deliveries = new ArrayList<>(leases.size());
        List<Lease> hidden = new ArrayList<>();
        for (Lease lease : leases) {
            OutgoingEvent event = events.get(lease.position());
            if (event != null) {
                deliveries.add(new Delivery(event, lease.deliveryAttempts()));
            } else {
                hidden.add(lease);
            }
        }
        if (!hidden.isEmpty()) {
            groups.dropHidden(tenant, group, consumer, hidden);
        }
        return deliveries;
    }

    /** The events at these positions, by position (those no longer in the log left out). */
    private Map<Long, OutgoingEvent> read(Tenant tenant, List<Long> positions) {
        Map<Long, OutgoingEvent> byPosition = new HashMap<>();
        for (OutgoingEvent event : reader.eventsAt(tenant, positions)) {
            byPosition.put(event.globalPosition(), event);
        }
        return byPosition;
    }

    /**
     * A page of the group's parked events, read and upcast. A parked event that a stream lifecycle
     * rule hides is left out (the read goes through {@code visible_events}; a replay drops it), and
     * the page is filled from the parked events after it: a short page still means the end.
     */
    public List<ParkedEvent> parked(Tenant tenant, GroupName group, long after, int limit) {
        List<ParkedEvent> page = new ArrayList<>(limit);
        long from = after;
        while (true) {
            // Whole pages of rows, so that a run of hidden ones costs few statements; the page
            // ends at its last event, where the next one starts.
            List<Parked> parked = groups.parked(tenant, group, from, limit);
            Map<Long, OutgoingEvent> events =
                    read(tenant, parked.stream().map(Parked::position).toList());
            for (Parked row : parked) {
                OutgoingEvent event = events.get(row.position());
                if (event != null) {
                    page.add(
                            new ParkedEvent(
                                    event, row.deliveryAttempts(), row.parkedAt(), row.reason()));
                    if (page.size() == limit) {
                        return page;
                    }
                }
            }
            if (parked.size() < limit) {
                return page; // the end of the parked list
            }
            from = parked.get(parked.size() - 1).position();
        }
    }
}
