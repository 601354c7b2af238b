package io.arbor.application.groups;

import io.arbor.application.EventReader;
import io.arbor.application.subscriptions.LogTailer;
import io.arbor.domain.OutgoingEvent;
import io.arbor.domain.groups.Delivery;
import io.arbor.domain.groups.GroupName;
import io.arbor.domain.groups.ParkedEvent;
import io.arbor.infrastructure.jpa.ConsumerGroupRows.Lease;
import io.arbor.infrastructure.jpa.ConsumerGroupRows.Parked;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A consumer's fetch: leases events ({@link ConsumerGroups#lease}) and reads them, and when there
 * are none yet, tries again when the log grows ({@link LogTailer#onGrowth}: an append on any
 * instance) and at least every {@code arbor.groups.poll-interval-ms} (expired leases, acks that
 * free a pinned stream), until some are leased or the fetch's wait is over (a long poll). The
 * waiting holds no request thread and no lease: events are leased only by the attempt that answers,
 * so a client that goes away while it waits loses nothing, and one that goes away after its answer
 * left gets its events again when their leases expire. It also reads the events of the parked list,
 * the other answer that pairs a group's rows with their events.
 */
@ApplicationScoped
public class GroupFetches {
    @Inject ConsumerGroups groups;
    @Inject EventReader reader;
    @Inject LogTailer tailer;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "arbor.groups.poll-interval-ms")
    long pollIntervalMillis;

    /** The fetches waiting for events, each with its next try scheduled. */
    private final Set<Attempt> waiting = ConcurrentHashMap.newKeySet();

    @PostConstruct
    void listen() {
        tailer.onGrowth(() -> waiting.forEach(Attempt::runSoon));
    }

    /**
     * Fetches for {@code consumer}: hands {@code answer} the events leased to it, at once when
     * there are some, else within {@code waitSeconds} (maybe none); {@code failed} gets a failure
     * instead. The first attempt runs on the caller's thread.
     */
    public void fetch(
            GroupName group,
            String consumer,
            int max,
            int waitSeconds,
            Consumer<List<Delivery>> answer,
            Consumer<RuntimeException> failed) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        new Attempt(group, consumer, max, deadline, answer, failed).run();
    }

    /** One try of a fetch, which schedules the next while the wait lasts. */
    private final class Attempt implements Runnable {
        private final GroupName group;
        private final String consumer;
        private final int max;
        private final long deadline;
        private final Consumer<List<Delivery>> answer;
        private final Consumer<RuntimeException> failed;
        private ScheduledFuture<?> next; // guarded by this

        Attempt(
                GroupName group,
                String consumer,
                int max,
                long deadline,
                Consumer<List<Delivery>> answer,
                Consumer<RuntimeException> failed) {
            this.group = group;
            this.consumer = consumer;
            this.max = max;
            this.deadline = deadline;
            this.answer = answer;
            this.failed = failed;
        }

        @Override
        public void run() {
            waiting.remove(this);
            List<Delivery> deliveries;
            try {
                deliveries = deliver(groups.lease(group, consumer, max));
            } catch (RuntimeException failure) {
                failed.accept(failure);
                return;
            }
            long left = deadline - System.nanoTime();
            if (!deliveries.isEmpty() || left <= 0) {
                answer.accept(deliveries);
                return;
            }
            try {
                synchronized (this) {
                    next =
                            scheduler.schedule(
                                    this,
                                    Math.min(
                                            pollIntervalMillis,
                                            TimeUnit.NANOSECONDS.toMillis(left) + 1),
                                    TimeUnit.MILLISECONDS);
                }
                waiting.add(this);
            } catch (RejectedExecutionException shuttingDown) {
                answer.accept(List.of());
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
                answer.accept(List.of());
            }
        }
    }

    /** The leased events, read and upcast, each with its delivery attempt. */
    private List<Delivery> deliver(List<Lease> leases) {
        if (leases.isEmpty()) {
            return List.of();
        }
        List<OutgoingEvent> events = reader.eventsAt(leases.stream().map(Lease::position).toList());
        List<Delivery> deliveries = new ArrayList<>(leases.size());
        for (int i = 0; i < leases.size(); i++) {
            deliveries.add(new Delivery(events.get(i), leases.get(i).deliveryAttempts()));
        }
        return deliveries;
    }

    /** A page of the group's parked events, read and upcast. */
    public List<ParkedEvent> parked(GroupName group, long after, int limit) {
        List<Parked> parked = groups.parked(group, after, limit);
        if (parked.isEmpty()) {
            return List.of();
        }
        List<OutgoingEvent> events =
                reader.eventsAt(parked.stream().map(Parked::position).toList());
        List<ParkedEvent> page = new ArrayList<>(parked.size());
        for (int i = 0; i < parked.size(); i++) {
            Parked row = parked.get(i);
            page.add(
                    new ParkedEvent(
                            events.get(i), row.deliveryAttempts(), row.parkedAt(), row.reason()));
        }
        return page;
    }
}
