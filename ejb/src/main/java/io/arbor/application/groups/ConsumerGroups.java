package io.arbor.application.groups;

import io.arbor.domain.InvalidInputException;
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
import io.arbor.infrastructure.jpa.GlobalLogSequencer;
import io.arbor.infrastructure.jpa.GroupWindowVacuum;
import io.arbor.infrastructure.jpa.PersistenceFailures;
import io.arbor.infrastructure.metrics.ArborMetrics;
import io.arbor.infrastructure.metrics.ArborMetrics.GroupCount;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A consumer group's use cases, each one short JTA transaction that first locks the group's row:
 * fetches, resets, replays and new settings one at a time ({@link ConsumerGroupRows#lock}), acks
 * and nacks side by side between them ({@link ConsumerGroupRows#lockShared}), over every instance
 * of a grid; different groups never wait for each other. Nothing about a group is held in memory,
 * so any instance serves any consumer.
 *
 * <p>A group's window is the part of the log past its checkpoint that it has searched: its matching
 * events there are rows, pending or leased (or parked, in their own table). A lease copies the next
 * matching events of the log into the window while it holds fewer than {@code
 * arbor.groups.window-events} pending ones, takes back expired leases, then leases the oldest
 * deliverable events. The checkpoint is computed, never stored: just below the window's oldest row,
 * so it passes only events that are acked, skipped or parked.
 */
@Stateless
public class ConsumerGroups {
    @Inject ConsumerGroupRows rows;
    @Inject GlobalLogSequencer sequencer;
    @Inject ArborMetrics metrics;
    @Inject GroupWindowVacuum vacuum;

    @Inject
    @ConfigProperty(name = "arbor.groups.window-events")
    int windowEvents;

    /** Whether {@link #put} created the group or changed an existing one's settings. */
    public record PutResult(boolean created, GroupStatus status) {}

    /**
     * Creates the group positioned at {@code start}, or changes an existing group's strategy and
     * limits (its position is kept and {@code start} ignored; its filter cannot change).
     */
    public PutResult put(GroupName group, GroupSettings settings, LogPoint start) {
        return guard(
                () -> {
                    GroupRow existing = rows.lock(group).orElse(null);
                    if (existing == null) {
                        long position = startingPosition(start, "/startFrom");
                        if (rows.insert(group, settings, position, Instant.now())) {
                            return new PutResult(true, status(group));
                        }
                        // created concurrently: an update of that group
                        existing = rows.lock(group).orElseThrow(() -> notFound(group));
                    }
                    if (!existing.settings().filter().equals(settings.filter())) {
                        throw new GroupFilterChangedException(group);
                    }
                    rows.updateSettings(group, settings, Instant.now());
                    return new PutResult(false, status(group));
                });
    }

    /** The group's settings and where it stands. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public GroupStatus status(GroupName group) {
        return guard(() -> status(rows.find(group).orElseThrow(() -> notFound(group))));
    }

    /** Every group's status, by name. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<GroupStatus> list() {
        return guard(() -> rows.all().stream().map(this::status).toList());
    }

    /** How far the group is behind the log (0 for a group that no longer exists). */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public long lag(GroupName group) {
        return guard(
                () ->
                        rows.find(group)
                                .map(
                                        row ->
                                                Math.max(
                                                        0,
                                                        sequencer.horizon()
                                                                - rows.checkpoint(group)))
                                .orElse(0L));
    }

    private GroupStatus status(GroupRow row) {
        long head = sequencer.horizon();
        long checkpoint = rows.checkpoint(row.group());
        long[] window = rows.windowCounts(row.group());
        return new GroupStatus(
                row.group(),
                row.settings(),
                checkpoint,
                Math.max(head, checkpoint),
                window[1],
                rows.parkedCount(row.group()),
                rows.consumers(row.group(), row.settings().ackTimeoutSeconds()),
                row.createdAt());
    }

    /** Deletes the group with its leases and parked events. */
    public void delete(GroupName group) {
        guard(
                () -> {
                    if (!rows.delete(group)) {
                        throw notFound(group);
                    }
                    return null;
                });
    }

    /**
     * Leases up to {@code max} of the group's deliverable events to {@code consumer} (maybe none),
     * after taking back expired leases; the leases in position order.
     */
    public List<Lease> lease(GroupName group, String consumer, int max) {
        return guard(
                () -> {
                    GroupRow row = rows.lock(group).orElseThrow(() -> notFound(group));
                    GroupSettings settings = row.settings();
                    rows.seen(group, consumer, settings.ackTimeoutSeconds());
                    long[] expired = rows.expireLeases(group, settings.maxRetries());
                    long[] window = rows.windowCounts(group);
                    if (window[0] < windowEvents) {
                        rows.copyFromLog(row, sequencer.horizon(), windowEvents - (int) window[0]);
                        vacuum.changed(windowEvents - window[0]); // at most that many copied
                    }
                    int room = (int) Math.min(max, settings.maxInFlight() - window[1]);
                    List<Lease> leases =
                            room <= 0 ? List.of() : leaseDeliverable(row, consumer, room);
                    metrics.groupCount(group.value(), GroupCount.PARKED, expired[0]);
                    metrics.groupCount(group.value(), GroupCount.REDELIVERED, expired[1]);
                    vacuum.changed(leases.size() + expired[0] + expired[1]);
                    metrics.groupCount(group.value(), GroupCount.DELIVERED, leases.size());
                    return leases;
                });
    }

    /** Leases {@code consumer} the events it may have now, at most {@code room}, oldest first. */
    private List<Lease> leaseDeliverable(GroupRow row, String consumer, int room) {
        GroupName group = row.group();
        int seconds = row.settings().ackTimeoutSeconds();
        if (row.settings().strategy() == DeliveryStrategy.ROUND_ROBIN) {
            return rows.leaseOldest(group, room, consumer, seconds);
        }
        List<String> live = rows.liveConsumers(group, seconds);
        List<Long> mine =
                rows.nextOfEachStream(group).stream()
                        .filter(next -> consumer.equals(PinnedStreams.owner(next.streamId(), live)))
                        .sorted(
                                Comparator.comparing(Pending::replayed)
                                        .reversed()
                                        .thenComparingLong(Pending::position))
                        .limit(room)
                        .map(Pending::position)
                        .toList();
        return mine.isEmpty() ? List.of() : rows.lease(group, mine, consumer, seconds);
    }

    /**
     * Done with these events of {@code consumer}'s leases; how many. All or nothing: when one is
     * not leased to it, the deletes roll back with the 409.
     */
    public int ack(GroupName group, String consumer, List<UUID> eventIds) {
        return guard(
                () -> {
                    rows.lockShared(group).orElseThrow(() -> notFound(group));
                    List<UUID> acked = rows.removeLeases(group, consumer, eventIds);
                    if (acked.size() != eventIds.size()) {
                        throw notHeld(consumer, eventIds, acked);
                    }
                    vacuum.changed(acked.size());
                    metrics.groupCount(group.value(), GroupCount.ACKED, acked.size());
                    return acked.size();
                });
    }

    /**
     * {@code consumer} could not handle these events: deliver them again (parked instead once
     * delivered {@code maxRetries} + 1 times), park them, or skip them; how many.
     */
    public int nack(GroupName group, String consumer, List<UUID> eventIds, NackAction action) {
        return guard(
                () -> {
                    GroupRow row = rows.lockShared(group).orElseThrow(() -> notFound(group));
                    List<Lease> held = held(group, consumer, eventIds);
                    int parked = 0;
                    switch (action) {
                        case SKIP -> rows.remove(group, positions(held));
                        case PARK -> {
                            rows.park(group, positions(held), "nacked");
                            parked = held.size();
                        }
                        case RETRY -> {
                            List<Long> again = new ArrayList<>();
                            List<Long> exhausted = new ArrayList<>();
                            for (Lease lease : held) {
                                (row.settings().exhausted(lease.deliveryAttempts())
                                                ? exhausted
                                                : again)
                                        .add(lease.position());
                            }
                            rows.release(group, again);
                            rows.park(group, exhausted, "max-retries");
                            parked = exhausted.size();
                        }
                    }
                    vacuum.changed(held.size());
                    metrics.groupCount(group.value(), GroupCount.NACKED, held.size());
                    metrics.groupCount(group.value(), GroupCount.PARKED, parked);
                    return held.size();
                });
    }

    /** A page of the group's parked events (their positions and why), by position. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<Parked> parked(GroupName group, long after, int limit) {
        return guard(
                () -> {
                    rows.find(group).orElseThrow(() -> notFound(group));
                    return rows.parked(group, after, limit);
                });
    }

    /** Every parked event is delivered again, before new ones; how many. */
    public int replayParked(GroupName group) {
        return guard(
                () -> {
                    rows.lock(group).orElseThrow(() -> notFound(group));
                    int replayed = rows.replayParked(group);
                    return replayed;
                });
    }

    /** Delivery resumes after {@code to}: replaying history, or skipping it. */
    public GroupStatus reset(GroupName group, LogPoint to) {
        return guard(
                () -> {
                    rows.lock(group).orElseThrow(() -> notFound(group));
                    rows.reset(group, startingPosition(to, "/to"));
                    return status(group);
                });
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
    private List<Lease> held(GroupName group, String consumer, List<UUID> eventIds) {
        List<Lease> held = rows.held(group, consumer, eventIds);
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

    private static GroupNotFoundException notFound(GroupName group) {
        return new GroupNotFoundException(group);
    }

    private static <T> T guard(Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException failure) {
            throw PersistenceFailures.translate(failure);
        }
    }
}
