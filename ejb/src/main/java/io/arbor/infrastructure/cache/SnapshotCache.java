package io.arbor.infrastructure.cache;

import io.arbor.domain.Snapshot;
import io.arbor.domain.StreamId;
import io.arbor.domain.Tenant;
import io.arbor.infrastructure.metrics.ArborMetrics;
import io.arbor.infrastructure.metrics.ArborMetrics.CacheName;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.function.Supplier;
import javax.cache.Cache;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Snapshot bodies keyed by tenant, stream, version and creation time. The caller reads which
 * snapshot is the latest (version and creation time, from the primary key) from PostgreSQL; a
 * snapshot saved again at the same version has a new creation time, hence a new key, so an entry is
 * never stale.
 */
@ApplicationScoped
public class SnapshotCache {
    @Inject
    @ConfigProperty(name = "arbor.cache.snapshots.max-entries")
    int maxEntries;

    @Inject StoreEpoch epoch;
    @Inject HotCaches caches;
    @Inject ArborMetrics metrics;

    private Cache<String, String[]> snapshots;

    void openAtStartup(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // Observing start-up creates the bean then, so the cache and its gauges exist from the
        // start.
    }

    @PostConstruct
    void open() {
        snapshots = caches.open(CacheName.SNAPSHOTS, "arbor-snapshots", maxEntries);
    }

    /** The snapshot at {@code version} created at {@code createdAt}, cached or loaded. */
    public Snapshot get(
            Tenant tenant,
            StreamId stream,
            long version,
            Instant createdAt,
            Supplier<Snapshot> loader) {
        if (snapshots == null) {
            return loader.get();
        }
        String key = key(tenant, stream, version, createdAt);
        String[] cached = snapshots.get(key);
        if (cached != null) {
            metrics.cacheHit(CacheName.SNAPSHOTS);
            return new Snapshot(stream, version, cached[0], cached[1], createdAt);
        }
        metrics.cacheMiss(CacheName.SNAPSHOTS);
        Snapshot loaded = loader.get();
        snapshots.put(key, new String[] {loaded.type(), loaded.data()});
        return loaded;
    }

    /**
     * Drops the body of a snapshot that scavenging removed: no read would find it (its key comes
     * from the row, which is gone), but an erased snapshot should not stay in memory either.
     */
    public void evict(Tenant tenant, StreamId stream, long version, Instant createdAt) {
        if (snapshots != null) {
            snapshots.remove(key(tenant, stream, version, createdAt));
        }
    }

    private String key(Tenant tenant, StreamId stream, long version, Instant createdAt) {
        return epoch.value()
                + ' '
                + tenant.value()
                + ' '
                + stream.value()
                + ' '
                + version
                + ' '
                + createdAt;
    }
}
