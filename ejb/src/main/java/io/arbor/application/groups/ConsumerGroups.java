package io.arbor.application.groups;

import io.arbor.application.TransactionEnd;
import io.arbor.domain.InvalidInputException;
import io.arbor.domain.Tenant;
import io.arbor.domain.groups.DeliveryStrategy;
import io.arbor.domain.groups.GroupFilterChangedException;
import io.arbor.domain.groups.GroupName;
import io.arbor.domain.groups.GroupNotFoundException;
import io.arbor.domain.groups.GroupSettings;
import io.arbor.domain.groups.GroupStatus;
import io.arbor.domain.groups.LeaseNotHeldException;
import io.arbor.domain.groups.LogPoint;
import io.arbor.domain.groups.NackAction;
import io.arbor.domain.groups.PinnedStreams;
import io.arbor.infrastructure.jpa.ConsumerGroupRows;
import io.arbor.infrastructure.jpa.ConsumerGroupRows.GroupRow;
import io.arbor.infrastructure.jpa.ConsumerGroupRows.Lease;
import io.arbor.infrastructure.jpa.ConsumerGroupRows.Parked;
import io.arbor.infrastructure.jpa.ConsumerGroupRows.Pending;
import io.arbor.infrastructure.jpa.ConsumerGroupRows.Standing;
import io.arbor.infrastructure.jpa.ConsumerGroupRows.TenantGroup;
import io.arbor.infrastructure.jpa.GlobalLogSequencer;
import io.arbor.infrastructure.jpa.GroupWindowVacuum;
import io.arbor.infrastructure.jpa.TranslatesStoreFailures;
import io.arbor.infrastructure.metrics.ArborMetrics;
import io.arbor.infrastructure.metrics.ArborMetrics.GroupCount;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A consumer group's use cases, each one short JTA transaction (reads too: row-level security is
 * set per transaction) that first locks the group's row: fetches, resets, replays and new settings
 * one at a time ({@link ConsumerGroupRows#lock}), acks and nacks side by side between them ({@link
 * ConsumerGroupRows#lockShared}), over every instance of a grid; different groups never wait for
 * each other. Nothing about a group is held in memory, so any instance serves any consumer.
 *
 * <p>A group's window is the part of the log past its checkpoint that it has searched: its matching
 * events there are rows, pending or leased (or parked, in their own table). A lease takes back
 * expired leases, then, while the window holds fewer than {@code arbor.groups.window-events}
 * pending events, moves parked events marked for replay into it and copies the next matching events
 * of the log visible then, drops the pending events a stream lifecycle rule has hidden since (as
 * skipped), then leases the oldest deliverable events. The checkpoint is computed, never stored:
 * just below the window's oldest row (or the oldest parked event being replayed), so it passes only
 * events that are acked, skipped or parked. Reads of a group's status take no lock and read its
 * standing in one statement. Metrics count only what committed.
 */
@Stateless
@TranslatesStoreFailures
public class ConsumerGroups {
    @Inject ConsumerGroupRows rows;
    @Inject GlobalLogSequencer sequencer;
    @Inject ArborMetrics metrics;
    @Inject GroupWindowVacuum vacuum;
    @Inject TransactionEnd transactionEnd;

    @Inject
    @ConfigProperty(name = "arbor.groups.window-events")
    int windowEvents;

    /** Whether {@link #put} created the group or changed an existing one's settings. */
    public record PutResult(boolean created, GroupStatus status) {}

    /**
     * Creates the group positioned at {@code start}, or changes an existing group's strategy and
     * limits (its position is kept and {@code start} ignored; its filter cannot change).
     */
    public PutResult put(Tenant tenant, GroupName group, GroupSettings settings, LogPoint start) {
        GroupRow existing = rows.lock(tenant, group).orElse(null);
        if (existing == null) {
            long position = startingPosition(start, "/startFrom");
            if (rows.insert(tenant, group, settings, position, Instant.now())) {
                return new PutResult(true, status(tenant, group));
            }
            // created concurrently: an update of that group
            existing = rows.lock(tenant, group).orElseThrow(() -> notFound(group));
        }
        if (!existing.settings().filter().equals(settings.filter())) {
            throw new GroupFilterChangedException(group);
        }
        rows.updateSettings(tenant, group, settings, Instant.now());
        return new PutResult(false, status(tenant, group));
    }

    /** The group's settings and where it stands. */
    public GroupStatus status(Tenant tenant, GroupName group) {
        return rows.find(tenant, group)
                .flatMap(row -> status(tenant, row))
                .orElseThrow(() -> notFound(group));
    }

    /** Every group of the tenant, with its status, by name. */
    public List<GroupStatus> list(Tenant tenant) {
        // a group deleted meanwhile is left out
        return rows.all(tenant).stream()
                .map(row -> status(tenant, row))
                .flatMap(Optional::stream)
                .toList();
    }

    /** How far the group is behind the log; empty for a group that does not exist. */
    public Optional<Long> lag(Tenant tenant, GroupName group) {
        long head = sequencer.horizon();
        return rows.standing(tenant, group)
                .map(standing -> Math.max(0, head - standing.checkpoint()));
    }

    /**
     * Every group of every tenant, for the metrics of each (read in the store-wide scope, which
     * allows reading only).
     */
    public List<TenantGroup> listAcrossTenants() {
        return rows.allAcrossTenants();
    }

    /** The group's status; empty when it was deleted since its row was read. */
    private Optional<GroupStatus> status(Tenant tenant, GroupRow row) {
        long head = sequencer.horizon();
        return rows.standing(tenant, row.group())
                .map(
                        (Standing standing) ->
                                new GroupStatus(
                                        row.group(),
                                        row.settings(),
                                        standing.checkpoint(),
                                        Math.max(head, standing.checkpoint()),
                                        standing.inFlight(),
                                        standing.parked(),
                                        rows.consumers(
                                                tenant,
                                                row.group(),
                                                row.settings().ackTimeoutSeconds()),
                                        row.createdAt()));
    }

    /** Deletes the group with its leases and parked events. */
    public void delete(Tenant tenant, GroupName group) {
        if (!rows.delete(tenant, group)) {
            throw notFound(group);
        }
    }

    /**
     * Leases up to {@code max} of the group's deliverable events to {@code consumer} (maybe none),
     * after taking back expired leases; the leases in position order.
     */
    public List<Lease> lease(Tenant tenant, GroupName group, String consumer, int max) {
        GroupRow row = rows.lock(tenant, group).orElseThrow(() -> notFound(group));
        GroupSettings settings = row.settings();
        rows.seen(tenant, group, consumer, settings.ackTimeoutSeconds());
        long[] expired = rows.expireLeases(tenant, group, settings.maxRetries());
        long[] window = rows.windowCounts(tenant, group);
        int refill = windowEvents - (int) window[0];
        if (refill > 0) {
            int moved = rows.moveReplayed(tenant, group, refill);
            if (moved < refill) {
                rows.copyFromLog(tenant, row, sequencer.horizon(), refill - moved);
            }
            vacuum.changed(refill); // at most that many moved or copied
        }
        // Before leasing: an event copied, released or replayed into the window before a rule hid
        // it is never delivered after the rule committed (EventStore #3844: deleted events came
        // back through parked-message replays). Skipped, so the checkpoint passes it.
        vacuum.changed(rows.dropHidden(tenant, group));
        int room = (int) Math.min(max, settings.maxInFlight() - window[1]);
        List<Lease> leases = room <= 0 ? List.of() : leaseDeliverable(tenant, row, consumer, room);
        count(tenant, group, GroupCount.PARKED, expired[0]);
        count(tenant, group, GroupCount.REDELIVERED, expired[1]);
        vacuum.changed(leases.size() + expired[0] + expired[1]);
        count(tenant, group, GroupCount.DELIVERED, leases.size());
        return leases;
    }

    /** Leases {@code consumer} the events it may have now, at most {@code room}, oldest first. */
    private List<Lease> leaseDeliverable(Tenant tenant, GroupRow row, String consumer, int room) {
        GroupName group = row.group();
        int seconds = row.settings().ackTimeoutSeconds();
        if (row.settings().strategy() == DeliveryStrategy.ROUND_ROBIN) {
            return rows.leaseOldest(tenant, group, room, consumer, seconds);
        }
        List<String> live = rows.liveConsumers(tenant, group, seconds);
        List<Long> mine =
                rows.nextOfEachStream(tenant, group).stream()
                        .filter(next -> consumer.equals(PinnedStreams.owner(next.streamId(), live)))
                        .sorted(
                                Comparator.comparing(Pending::replayed)
                                        .reversed()
                                        .thenComparingLong(Pending::position))
                        .limit(room)
                        .map(Pending::position)
                        .toList();
        return mine.isEmpty() ? List.of() : rows.lease(tenant, group, mine, consumer, seconds);
    }

    /**
     * Done with these events of {@code consumer}'s leases; how many. All or nothing: when one is
     * not leased to it, the deletes roll back with the 409.
     */
    public int ack(Tenant tenant, GroupName group, String consumer, List<UUID> eventIds) {
        rows.lockShared(tenant, group).orElseThrow(() -> notFound(group));
        List<UUID> acked = rows.removeLeases(tenant, group, consumer, eventIds);
        if (acked.size() != eventIds.size()) {
            throw notHeld(consumer, eventIds, acked);
        }
        vacuum.changed(acked.size());
        count(tenant, group, GroupCount.ACKED, acked.size());
        return acked.size();
    }

    /**
     * {@code consumer} could not handle these events: deliver them again (parked instead once
     * delivered {@code maxRetries} + 1 times), park them, or skip them; how many.
     */
    public int nack(
            Tenant tenant,
            GroupName group,
            String consumer,
            List<UUID> eventIds,
            NackAction action) {
        GroupRow row = rows.lockShared(tenant, group).orElseThrow(() -> notFound(group));
        List<Lease> held = held(tenant, group, consumer, eventIds);
        int parked = 0;
        switch (action) {
            case SKIP -> rows.remove(tenant, group, positions(held));
            case PARK -> {
                rows.park(tenant, group, positions(held), "nacked");
                parked = held.size();
            }
            case RETRY -> {
                List<Long> again = new ArrayList<>();
                List<Long> exhausted = new ArrayList<>();
                for (Lease lease : held) {
                    (row.settings().exhausted(lease.deliveryAttempts()) ? exhausted : again)
                            .add(lease.position());
                }
                rows.release(tenant, group, again);
                rows.park(tenant, group, exhausted, "max-retries");
                parked = exhausted.size();
            }
        }
        vacuum.changed(held.size());
        count(tenant, group, GroupCount.NACKED, held.size());
        count(tenant, group, GroupCount.PARKED, parked);
        return held.size();
    }

    /**
     * These leases never reached {@code consumer} (its fetch was answered after it left): pending
     * again at once, the delivery uncounted. Leases it no longer holds are left alone.
     */
    public void giveBack(Tenant tenant, GroupName group, String consumer, List<Lease> leases) {
        if (rows.lockShared(tenant, group).isPresent()) {
            vacuum.changed(rows.giveBack(tenant, group, consumer, positions(leases)));
        }
    }

    /**
     * These leases of {@code consumer} found no event when read: a stream lifecycle rule hid it
     * after the lease was taken. Dropped as skipped (never delivered, the checkpoint passes them).
     * Leases it no longer holds are left alone.
     */
    public void dropHidden(Tenant tenant, GroupName group, String consumer, List<Lease> leases) {
        if (rows.lockShared(tenant, group).isPresent()) {
            vacuum.changed(rows.dropLeased(tenant, group, consumer, positions(leases)));
        }
    }

    /** A page of the group's parked events (their positions and why), by position. */
    public List<Parked> parked(Tenant tenant, GroupName group, long after, int limit) {
        rows.find(tenant, group).orElseThrow(() -> notFound(group));
        return rows.parked(tenant, group, after, limit);
    }

    /** Every parked event is delivered again, before new ones; how many. */
    public int replayParked(Tenant tenant, GroupName group) {
        rows.lock(tenant, group).orElseThrow(() -> notFound(group));
        int replayed = rows.replayParked(tenant, group);
        return replayed;
    }

    /** Delivery resumes after {@code to}: replaying history, or skipping it. */
    public GroupStatus reset(Tenant tenant, GroupName group, LogPoint to) {
        rows.lock(tenant, group).orElseThrow(() -> notFound(group));
        rows.reset(tenant, group, startingPosition(to, "/to"));
        return status(tenant, group);
    }

    /** The position a group starts after; a position past the log's horizon is refused. */
    private long startingPosition(LogPoint point, String pointer) {
        long horizon = sequencer.horizon();
        if (point.resolve(horizon) > horizon) {
            throw new InvalidInputException(
                    pointer,
                    "position "
                            + point.position()
                            + " is past the end of the global log ("
                            + horizon
                            + ")");
        }
        return point.resolve(horizon);
    }

    /** The leases {@code consumer} holds among {@code eventIds}: all of them, or a 409. */
    private List<Lease> held(Tenant tenant, GroupName group, String consumer, List<UUID> eventIds) {
        List<Lease> held = rows.held(tenant, group, consumer, eventIds);
        if (held.size() != eventIds.size()) {
            throw notHeld(consumer, eventIds, held.stream().map(Lease::eventId).toList());
        }
        return held;
    }

    private static LeaseNotHeldException notHeld(
            String consumer, List<UUID> eventIds, List<UUID> held) {
        Set<UUID> heldIds = new HashSet<>(held);
        return new LeaseNotHeldException(
                consumer, eventIds.stream().filter(id -> !heldIds.contains(id)).toList());
    }

    private static List<Long> positions(List<Lease> leases) {
        return leases.stream().map(Lease::position).toList();
    }

    /** Counts {@code n} of the group's {@code what} once the transaction has committed. */
    private void count(Tenant tenant, GroupName group, GroupCount what, long n) {
        if (n != 0) {
            transactionEnd.afterCommit(() -> metrics.groupCount(tenant, group.value(), what, n));
        }
    }

    private static GroupNotFoundException notFound(GroupName group) {
        return new GroupNotFoundException(group);
    }
}
