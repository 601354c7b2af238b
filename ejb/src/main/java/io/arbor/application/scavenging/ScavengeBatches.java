package io.arbor.application.scavenging;

import io.arbor.domain.StreamId;
import io.arbor.domain.Tenant;
import io.arbor.domain.scavenging.ScavengeState;
import io.arbor.infrastructure.jpa.ConsistencyLocks;
import io.arbor.infrastructure.jpa.ScavengeRows;
import io.arbor.infrastructure.jpa.ScavengeRows.Claimable;
import io.arbor.infrastructure.jpa.ScavengeRows.StoredEvent;
import io.arbor.infrastructure.jpa.SnapshotRows.RemovedSnapshot;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@link Scavenger}'s transactions, each its own short JTA transaction (REQUIRES_NEW: the
 * runner calls them one after another from a scheduler thread, and no batch may share another's
 * transaction, or its locks would last as long as the job).
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class ScavengeBatches {
    @Inject ScavengeRows rows;
    @Inject ConsistencyLocks locks;

    @Inject
    @ConfigProperty(name = "arbor.scavenge.lock-timeout-ms")
    long lockTimeoutMillis;

    /** What one batch removed, committed. */
    public record Batch(
            long eventsRemoved,
            long fromVersion,
            long toVersion,
            List<RemovedSnapshot> snapshotsRemoved,
            boolean streamFinished) {}

    /** See {@link ScavengeRows#claimable}. */
    public List<Claimable> claimable(long staleSeconds) {
        return rows.claimable(staleSeconds);
    }

    /** See {@link ScavengeRows#claim}. */
    public Optional<String> claim(Tenant tenant, UUID jobId, String owner, long staleSeconds) {
        return rows.claim(tenant, jobId, owner, staleSeconds);
    }

    /** See {@link ScavengeRows#tenantsWithRules}. */
    public List<Tenant> tenantsWithRules() {
        return rows.tenantsWithRules();
    }

    /** See {@link ScavengeRows#requestIfDue}. */
    public boolean requestIfDue(Tenant tenant, long intervalSeconds) {
        return rows.requestIfDue(tenant, intervalSeconds);
    }

    /** See {@link ScavengeRows#streamsWithRules}. */
    public List<String> streamsWithRules(Tenant tenant, String after, int limit) {
        return rows.streamsWithRules(tenant, after, limit);
    }

    /**
     * One batch of the stream: removes the hidden events among its {@code batchSize} lowest stored
     * versions, as far as they run unbroken from the lowest (a removal never leaves a hole: the
     * chain anchor is the version below the first one left), with their tags and group rows, and
     * when the stream has nothing more to remove, its snapshots that can no longer be read; adds it
     * all to the job's counters in the same transaction. Every lock wait is bounded by {@code
     * arbor.scavenge.lock-timeout-ms}.
     *
     * @throws BatchAbandonedException when another instance took the job over, or the stream's
     *     rules changed meanwhile (nothing removed either way)
     */
    public Batch removeNext(Tenant tenant, UUID jobId, String owner, String stream, int batchSize) {
        rows.boundLockWaits(tenant, lockTimeoutMillis);
        // shared: no lifecycle change of the stream overlaps this batch (it could show again
        // what the batch is deleting); a change holding it makes the batch wait, then give way
        locks.lockLifecycle(tenant, StreamId.of(stream), false);
        List<StoredEvent> lowest = rows.lowestVersions(tenant, stream, batchSize);
        List<Long> positions = new ArrayList<>();
        for (StoredEvent event : lowest) {
            if (!event.hidden() || event.archived()) {
                // an archived event stays (its segment holds it, and a removal leaves no hole)
                // until its range is restored: docs/archive.md
                break;
            }
            positions.add(event.position());
        }
        int hidden = positions.size();
        // Finished when a visible or archived event ends the hidden run, or the stream has no
        // more events.
        boolean finished = hidden < lowest.size() || lowest.size() < batchSize;
        long removed = 0;
        long from = 0;
        long to = -1;
        if (hidden > 0) {
            from = lowest.get(0).version();
            to = lowest.get(hidden - 1).version();
            // not while the archiver writes or drops a range holding them (docs/archive.md);
            // before the groups' rows, which a wait here would hold from their fetches
            rows.lockArchiveRanges(tenant, positions);
            rows.lockGroupsHolding(tenant, positions);
            removed = rows.removeHidden(tenant, stream, from, to).events();
            if (removed != hidden) {
                throw new BatchAbandonedException(BatchAbandonedException.Reason.RULES_CHANGED);
            }
        }
        List<RemovedSnapshot> snapshots =
                finished ? rows.removeHiddenSnapshots(tenant, stream) : List.of();
        if (!rows.progress(
                tenant, jobId, owner, finished ? stream : null, removed, snapshots.size(), 1)) {
            throw new BatchAbandonedException(BatchAbandonedException.Reason.JOB_TAKEN_OVER);
        }
        return new Batch(removed, from, to, snapshots, finished);
    }

    /**
     * Moves the job's cursor past a stream it leaves for the next job (its batches kept meeting
     * locks); false when another instance took the job over.
     */
    public boolean leave(Tenant tenant, UUID jobId, String owner, String stream) {
        return rows.progress(tenant, jobId, owner, stream, 0, 0, 0);
    }

    /** Beats the job's heartbeat; false when another instance took the job over. */
    public boolean heartbeat(Tenant tenant, UUID jobId, String owner) {
        return rows.progress(tenant, jobId, owner, null, 0, 0, 0);
    }

    /** See {@link ScavengeRows#finish}. */
    public boolean finish(
            Tenant tenant, UUID jobId, String owner, ScavengeState state, String failure) {
        return rows.finish(tenant, jobId, owner, state, failure);
    }
}
