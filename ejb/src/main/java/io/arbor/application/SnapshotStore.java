package io.arbor.application;

import io.arbor.domain.Snapshot;
import io.arbor.domain.SnapshotBeyondHeadException;
import io.arbor.domain.SnapshotNotFoundException;
import io.arbor.domain.StreamId;
import io.arbor.domain.StreamNotFoundException;
import io.arbor.domain.Tenant;
import io.arbor.infrastructure.cache.SnapshotCache;
import io.arbor.infrastructure.jpa.SnapshotRows;
import io.arbor.infrastructure.jpa.StreamRows;
import io.arbor.infrastructure.jpa.TranslatesStoreFailures;
import io.arbor.infrastructure.metrics.ArborMetrics;
import io.arbor.infrastructure.metrics.ArborMetrics.ReadKind;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/**
 * Snapshots: a writer's summary of a stream at a version, so readers can skip its prefix. Each one
 * belongs to its stream's tenant.
 */
@Stateless
@TranslatesStoreFailures
public class SnapshotStore {
    @Inject StreamRows streams;
    @Inject SnapshotRows snapshots;
    @Inject SnapshotCache cache;
    @Inject ArborMetrics metrics;

    /** Saves a snapshot at a version the stream has reached; replaces one at the same version. */
    public Snapshot save(Tenant tenant, StreamId stream, long version, String type, String data) {
        Snapshot snapshot =
                new Snapshot(
                        stream, version, type, data, Instant.now().truncatedTo(ChronoUnit.MICROS));
        long head =
                streams.info(tenant, stream)
                        .orElseThrow(() -> new StreamNotFoundException(stream))
                        .version();
        if (version > head) {
            throw new SnapshotBeyondHeadException(stream, version, head);
        }
        return snapshots.save(tenant, snapshot);
    }

    /**
     * The snapshot with the highest version. Which one that is comes from the database's primary
     * key; only its body may come from the cache.
     */
    public Snapshot latest(Tenant tenant, StreamId stream, boolean bypassCache) {
        return metrics.timeRead(
                ReadKind.SNAPSHOT,
                () -> {
                    SnapshotRows.Latest latest =
                            snapshots
                                    .latestKey(tenant, stream)
                                    .orElseThrow(() -> new SnapshotNotFoundException(stream));
                    Supplier<Snapshot> load =
                            () -> snapshots.load(tenant, stream, latest.version());
                    return bypassCache
                            ? load.get()
                            : cache.get(tenant, stream, latest.version(), latest.createdAt(), load);
                });
    }
}
