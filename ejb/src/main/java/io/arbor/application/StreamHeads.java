package io.arbor.application;

import io.arbor.domain.AppendOutcome;
import io.arbor.domain.AppendResult;
import io.arbor.domain.StreamId;
import io.arbor.domain.StreamInfo;
import io.arbor.domain.StreamLifecycle;
import io.arbor.domain.Tenant;
import io.arbor.infrastructure.cache.CommittedHeads;
import io.arbor.infrastructure.cache.CommittedHeads.ReadHeads;
import io.arbor.infrastructure.cache.HeadLeases;
import io.arbor.infrastructure.cache.HeadLeases.Lease;
import io.arbor.infrastructure.jpa.ReadProbe;
import io.arbor.infrastructure.jpa.ReadProbe.Probe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The committed-heads protocol, in one place: how a read learns a stream's head and its tenant's
 * schema registry generation, and what every write that moves one must do so that no instance
 * serves a head older than one acknowledged anywhere. Reads ({@link EventReader}), appends ({@link
 * EventStore}) and registry changes ({@link SchemaRegistry}) all go through here. The data grid's
 * side (keys, quorum, JCache, a failing grid) is {@link CommittedHeads}; the rules that keep a head
 * in the grid from being trusted and wrong (leases, stamps, offers) are {@link HeadLeases}.
 *
 * <ul>
 *   <li><b>A read</b> ({@link #forRead}) takes both heads from the grid when it vouches for them,
 *       with no database work; else from PostgreSQL in one statement ({@link ReadProbe}), and then
 *       offers what PostgreSQL said to the grid (kept only if no write began meanwhile), unless the
 *       stream has lifecycle rules: those live in PostgreSQL only, so such a stream's head is never
 *       offered, and every lifecycle change gives the head up ({@link #changeLifecycle}). Caching
 *       off, a split grid or a failing one never vouch: every read then asks PostgreSQL, as without
 *       a cache.
 *   <li><b>A write</b> takes a lease on the head before it begins; a grid that cannot take it
 *       refuses the write (503, nothing written), because a write the grid does not know of could
 *       overtake a head it trusts. After the commit, and before the write is acknowledged, it
 *       reports the head it committed. A write whose commit's outcome is unknown gives the head up;
 *       one that wrote nothing gives the lease back. A lease also ends by itself at its deadline
 *       (an append's transaction timeout plus {@code arbor.cache.heads.lease-margin-seconds}; a
 *       registry change's, 10 minutes), and the first read after it gives the head up: a writer
 *       killed between its commit and its report keeps its stream's reads on PostgreSQL no longer.
 * </ul>
 *
 * <p>So a reader on any instance sees every version, and upcasts with every registry change,
 * acknowledged before its read began.
 */
@ApplicationScoped
public class StreamHeads {
    @Inject CommittedHeads grid;
    @Inject ReadProbe database;
    @Inject TransactionEnd transactionEnd;

    /**
     * A stream's head ({@code version} -1: no such stream), its lifecycle and first visible version
     * with the database's clock to apply them by ({@link ReadProbe}; a head the grid vouches for
     * has no lifecycle: the grid never vouches for a ruled stream), and its tenant's registry
     * generation.
     */
    public record Heads(
            long version,
            long generation,
            StreamLifecycle lifecycle,
            long firstVersion,
            Instant now) {
        /**
         * A head the grid vouches for: a stream without rules (so without a clock to apply them
         * by), all of whose versions are kept.
         */
        public Heads(long version, long generation) {
            this(version, generation, StreamLifecycle.NONE, 1, Instant.EPOCH);
        }

        public boolean streamExists() {
            return version >= 0;
        }
    }

    /**
     * The tenant's {@code stream}'s head and registry generation for a read: from the grid when it
     * vouches for both, else from PostgreSQL (then offered to the grid).
     *
     * @param bypassGrid ask PostgreSQL only, and keep nothing (a client's {@code Cache-Control:
     *     no-cache})
     */
    public Heads forRead(Tenant tenant, StreamId stream, boolean bypassGrid) {
        Optional<ReadHeads> known = bypassGrid ? Optional.empty() : grid.lookup(tenant, stream);
        if (known.isPresent() && known.get().trusted()) {
            return new Heads(known.get().stream().head(), known.get().registry().head());
        }
        Probe probed = database.probe(tenant, stream);
        Heads heads =
                new Heads(
                        probed.stream().map(StreamInfo::version).orElse(-1L),
                        probed.registryGeneration(),
                        probed.lifecycle(),
                        probed.firstVersion(),
                        probed.now());
        if (!probed.ruled()) {
            // A ruled stream's head is never offered: a head the grid vouches for carries no rules,
            // so every read of a ruled stream must take its head and rules from here.
            known.ifPresent(
                    untrusted -> grid.offer(untrusted, heads.version(), heads.generation()));
        }
        return heads;
    }

    /**
     * The stream's head with its times and lifecycle, from PostgreSQL (the grid keeps no times);
     * its {@code stream} is empty when it does not exist.
     */
    public Probe info(Tenant tenant, StreamId stream) {
        return database.probe(tenant, stream);
    }

    /**
     * Told by a write just before it commits: a failure from then on leaves the write's outcome
     * unknown, so the head is given up rather than the lease given back.
     */
    public static final class Commit {
        private boolean begun;

        public void begins() {
            begun = true;
        }
    }

    /**
     * Runs {@code attempt}, one append to the tenant's {@code streams} in a transaction it begins
     * and commits itself, under a lease on each stream's head, taken before it begins (in the order
     * given: ascending ids); the attempt calls {@link Commit#begins} right before its commit.
     * Returns once every stream's committed version is reported (nothing is reported for a replay,
     * which wrote nothing; the head of a soft-deleted stream the append brought back is given up,
     * as after every lifecycle change: {@link #changeLifecycle}), so the caller may acknowledge it.
     *
     * @param streams the streams the append writes (its guards move no head and take no lease)
     * @throws io.arbor.domain.StoreUnavailableException when the grid cannot take a lease; the
     *     attempt did not run, and the leases already taken are given back
     */
    public AppendOutcome appendUnderLeases(
            Tenant tenant, List<StreamId> streams, Function<Commit, AppendOutcome> attempt) {
        Map<StreamId, Optional<Lease>> leases = new LinkedHashMap<>();
        try {
            for (StreamId stream : streams) {
                leases.put(stream, grid.openStream(tenant, stream));
            }
        } catch (RuntimeException | Error refused) {
            leases.values().forEach(grid::release);
            throw refused;
        }
        Commit commit = new Commit();
        AppendOutcome outcome;
        try {
            outcome = attempt.apply(commit);
        } catch (RuntimeException | Error failed) {
            if (commit.begun) {
                leases.values().forEach(grid::failed);
            } else {
                // refused or rolled back before its commit: nothing written
                leases.values().forEach(grid::release);
            }
            throw failed;
        }
        if (outcome.replayed()) {
            leases.values().forEach(grid::release);
        } else {
            for (AppendResult written : outcome.streams()) {
                Optional<Lease> lease = leases.remove(written.streamId());
                if (outcome.undeleted().contains(written.streamId())) {
                    grid.failed(lease); // a lifecycle change, like a delete (changeLifecycle)
                } else {
                    grid.committed(lease, written.toVersion());
                }
            }
            leases.values().forEach(grid::release); // none: every leased stream was written
        }
        return outcome;
    }

    /**
     * Runs {@code change}, a change of the tenant's {@code stream}'s lifecycle (metadata, delete)
     * in a transaction that has ended when it returns or throws, under a lease on the stream's head
     * taken before it begins; then, whatever the outcome, gives the head up. A lifecycle change
     * moves no version, but it changes what the head means to a read: no reader anywhere may trust
     * a head it read before the change (it would serve events the change hides). A head given up
     * stays unknown while the stream has rules, because {@link #forRead} never offers a ruled
     * stream's head, so such a stream's reads always take head and rules from PostgreSQL.
     *
     * @throws io.arbor.domain.StoreUnavailableException when the grid cannot take the lease; the
     *     change did not run
     */
    public <T> T changeLifecycle(Tenant tenant, StreamId stream, Supplier<T> change) {
        Optional<Lease> lease = grid.openStream(tenant, stream);
        try {
            return change.get();
        } finally {
            grid.failed(lease);
        }
    }

    /**
     * Runs {@code bumpGeneration} (a registry change's last step, which returns the new generation)
     * in the caller's container-managed transaction, under a lease on the tenant's registry
     * generation; once the transaction ends, the generation is reported if it committed, the lease
     * given back if it rolled back, and the generation given up otherwise. The container ends the
     * transaction before the change is answered, so every acknowledged change was reported.
     *
     * @throws io.arbor.domain.StoreUnavailableException when the grid cannot take the lease: the
     *     change is refused and rolled back
     */
    public long changeRegistry(Tenant tenant, LongSupplier bumpGeneration) {
        Optional<Lease> lease = grid.openRegistry(tenant);
        try {
            long generation = bumpGeneration.getAsLong();
            transactionEnd.afterCompletion(
                    outcome -> {
                        switch (outcome) {
                            case COMMITTED -> grid.committed(lease, generation);
                            case ROLLED_BACK -> grid.release(lease);
                            case UNKNOWN -> grid.failed(lease);
                        }
                    });
            return generation;
        } catch (RuntimeException failed) {
            grid.failed(lease); // the transaction rolls back; giving the head up is the safe side
            throw failed;
        }
    }
}
