package io.arbor.infrastructure.cache;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.arbor.domain.StoreUnavailableException;
import io.arbor.domain.StreamId;
import io.arbor.domain.Tenant;
import io.arbor.infrastructure.cache.HeadLeases.Lease;
import io.arbor.infrastructure.cache.HeadLeases.Lookup;
import io.arbor.infrastructure.grid.DataGrid;
import io.arbor.infrastructure.metrics.ArborMetrics;
import io.arbor.infrastructure.metrics.ArborMetrics.CacheName;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.cache.Cache;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The data grid's side of the committed-heads protocol: streams' heads and the schema registry's
 * generation as last committed, with the leases of the writes in flight, held in the grid so that a
 * read of a hot stream needs no database round trip, on any instance. What reads and writes do with
 * it, and in which order, is {@link io.arbor.application.StreamHeads}; the rules that keep a head
 * from being trusted and wrong are {@link HeadLeases}. This class adds the grid: the keys (per
 * database, tenant and stream), the lease lengths, the quorum, and what a failing grid means.
 *
 * <p>Whenever the grid cannot vouch for a head (caching off, a split or failing grid) {@link
 * #lookup} has no word, and the reader asks PostgreSQL, as without a cache. A write that cannot
 * take its lease is refused before it begins (503, nothing written): a write the grid does not know
 * is in flight could leave a head trusted that it has overtaken. Nothing after a write's
 * transaction ended may fail the write: a lease left unfinished by a failing grid expires, and its
 * expiry gives the head up.
 */
@ApplicationScoped
public class CommittedHeads {
    private static final Logger LOG = Logger.getLogger(CommittedHeads.class.getName());

    /** Registry changes have no transaction timeout of their own; their lease is long. */
    private static final long REGISTRY_LEASE_MILLIS = TimeUnit.MINUTES.toMillis(10);

    @Inject
    @ConfigProperty(name = "arbor.cache.heads.max-entries")
    int maxHeads;

    @Inject
    @ConfigProperty(name = "arbor.append.transaction-timeout-seconds")
    int transactionTimeoutSeconds;

    @Inject
    @ConfigProperty(name = "arbor.cache.heads.lease-margin-seconds")
    int leaseMarginSeconds;

    @Inject
    @ConfigProperty(name = "arbor.cache.heads.min-members")
    int minMembers;

    @Inject StoreEpoch epoch;
    @Inject HotCaches caches;
    @Inject ArborMetrics metrics;

    /** Streams' heads and the registry's; {@code null} while caching is off. */
    private HeadLeases leases;

    private Cache<String, String> heads;
    private Cluster cluster;
    private UUID membershipListener;

    /** The grid's members as of the last clear of the heads (or a member's leaving). */
    private volatile Set<Member> settledMembers;

    /** The grid's word on a stream and on the registry, for one read. */
    public record ReadHeads(Lookup stream, Lookup registry) {
        /** Both heads may be served without asking the database. */
        public boolean trusted() {
            return stream.trusted() && registry.trusted();
        }
    }

    void openAtStartup(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // Observing start-up creates the bean then, so the caches and their gauges exist early.
    }

    @PostConstruct
    void open() {
        heads = caches.open(CacheName.HEADS, "arbor-committed-heads-v1", maxHeads);
        if (heads == null) {
            return;
        }
        // In-flight writes only, and a lost lease could let a head be trusted during its write: no
        // bound that eviction could reach. (A killed writer's lease stays until its stream is
        // read.)
        Cache<String, String> inFlight =
                caches.openUnmetered("arbor-head-leases-v1", Integer.MAX_VALUE);
        // A restarted instance may have missed nothing (its peers kept reporting), but a database
        // restored meanwhile would have: heads are only absent after this, never wrong. The same
        // whenever a member joins: it may be the other half of a grid that split, whose heads
        // missed this half's writes.
        cluster = DataGrid.member().getCluster();
        membershipListener =
                cluster.addMembershipListener(
                        new MembershipListener() {
                            @Override
                            public void memberAdded(MembershipEvent joined) {
                                clearHeads();
                            }

                            @Override
                            public void memberRemoved(MembershipEvent left) {
                                settledMembers = cluster.getMembers();
                            }
                        });
        clearHeads();
        // The stream lease is the default: the shortest, it bounds how late a reader may offer.
        long streamLease =
                TimeUnit.SECONDS.toMillis(transactionTimeoutSeconds + (long) leaseMarginSeconds);
        leases =
                new HeadLeases(
                        entries(heads), entries(inFlight), streamLease, System::currentTimeMillis);
    }

    @PreDestroy
    void close() {
        if (membershipListener != null) {
            cluster.removeMembershipListener(membershipListener);
        }
    }

    private void clearHeads() {
        quietly("clear the committed heads", heads::clear);
        settledMembers = cluster.getMembers();
    }

    /**
     * Heads are trusted only in a grid of at least {@code arbor.cache.heads.min-members} members
     * (set to the number of instances: a half of a split grid trusts none), and only once the heads
     * were cleared for the current members.
     */
    private boolean quorate() {
        Set<Member> members = cluster.getMembers();
        return members.size() >= minMembers && members.equals(settledMembers);
    }

    /** Before an append's transaction begins; empty when caching is off. */
    public Optional<Lease> openStream(Tenant tenant, StreamId stream) {
        return open(() -> leases.open(streamKey(tenant, stream)));
    }

    /** Before a registry change is written; empty when caching is off. */
    public Optional<Lease> openRegistry(Tenant tenant) {
        return open(() -> leases.open(registryKey(tenant), REGISTRY_LEASE_MILLIS));
    }

    /** After the lease's transaction committed {@code head} (a version or a generation). */
    public void committed(Optional<Lease> lease, long head) {
        after(lease, "report a committed head", taken -> leases.committed(taken, head));
    }

    /**
     * After the lease's transaction ended with an outcome unknown to its writer: it may have
     * committed, so the head is given up.
     */
    public void failed(Optional<Lease> lease) {
        after(lease, "give up a head after a failed write", taken -> leases.failed(taken));
    }

    /**
     * After the lease's transaction wrote nothing (refused or rolled back before its commit, or a
     * replay of an earlier append).
     */
    public void release(Optional<Lease> lease) {
        after(lease, "give back a lease", taken -> leases.release(taken));
    }

    /**
     * One step after a write's transaction ended. Nothing may fail the write then: a lease left
     * unfinished by a failing grid expires, and its expiry gives the head up.
     */
    private void after(Optional<Lease> lease, String what, Consumer<Lease> step) {
        lease.ifPresent(taken -> quietly(what, () -> step.accept(taken)));
    }

    /**
     * The grid's word on the tenant's {@code stream}'s head and its registry's generation; none
     * when caching is off, the grid is not quorate or it failed (then the database answers). Counts
     * a hit of {@code HEADS} when the grid vouches for both, else a miss.
     */
    public Optional<ReadHeads> lookup(Tenant tenant, StreamId stream) {
        if (leases == null || !quorate()) {
            return Optional.empty();
        }
        try {
            ReadHeads found =
                    new ReadHeads(
                            leases.lookup(streamKey(tenant, stream)),
                            leases.lookup(registryKey(tenant)));
            if (found.trusted()) {
                metrics.cacheHit(CacheName.HEADS);
            } else {
                metrics.cacheMiss(CacheName.HEADS);
            }
            return Optional.of(found);
        } catch (RuntimeException gridFailed) {
            LOG.log(Level.FINE, "head lookup failed; reading the database", gridFailed);
            return Optional.empty();
        }
    }

    /**
     * What the database said after {@code before} found a head untrusted: {@code version} -1 when
     * the stream does not exist (nothing is kept for it).
     */
    public void offer(ReadHeads before, long version, long generation) {
        quietly(
                "offer a head read from the database",
                () -> {
                    if (version > 0 && !before.stream().trusted()) {
                        leases.offer(before.stream(), version);
                    }
                    if (!before.registry().trusted()) {
                        leases.offer(before.registry(), generation);
                    }
                });
    }

    private Optional<Lease> open(Supplier<Lease> take) {
        if (leases == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(take.get());
        } catch (RuntimeException gridFailed) {
            throw new StoreUnavailableException(
                    "The data grid cannot take the write's lease", gridFailed);
        }
    }

    /** A tenant has no space in its name, so the key names one tenant's stream unambiguously. */
    private String streamKey(Tenant tenant, StreamId stream) {
        return epoch.database() + " s " + tenant.value() + ' ' + stream.value();
    }

    private String registryKey(Tenant tenant) {
        return epoch.database() + " r " + tenant.value();
    }

    private static void quietly(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException gridFailed) {
            LOG.log(Level.WARNING, "Could not " + what + "; its lease will expire", gridFailed);
        }
    }

    private static HeadLeases.Entries entries(Cache<String, String> cache) {
        return new HeadLeases.Entries() {
            @Override
            public String get(String key) {
                return cache.get(key);
            }

            @Override
            public boolean putIfAbsent(String key, String value) {
                return cache.putIfAbsent(key, value);
            }

            @Override
            public boolean replace(String key, String expected, String value) {
                return cache.replace(key, expected, value);
            }

            @Override
            public boolean remove(String key, String expected) {
                return cache.remove(key, expected);
            }
        };
    }
}
