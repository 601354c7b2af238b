package io.arbor.application;

import io.arbor.domain.InvalidInputException;
import io.arbor.domain.Snapshot;
import io.arbor.domain.SnapshotBeyondHeadException;
import io.arbor.domain.SnapshotNotFoundException;
import io.arbor.domain.StreamId;
import io.arbor.domain.StreamNotFoundException;
import io.arbor.domain.Tenant;
import io.arbor.infrastructure.cache.SnapshotCache;
import io.arbor.infrastructure.jpa.ReadProbe.Probe;
import io.arbor.infrastructure.jpa.SnapshotRows;
import io.arbor.infrastructure.jpa.TranslatesStoreFailures;
import io.arbor.infrastructure.metrics.ArborMetrics;
import io.arbor.infrastructure.metrics.ArborMetrics.ReadKind;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Snapshots: a writer's summary of a stream at a version, so readers can skip its prefix. Each one
 * belongs to its stream's tenant.
 */
@Stateless
@TranslatesStoreFailures
public class SnapshotStore {
    @Inject StreamHeads heads;
    @Inject SnapshotRows snapshots;
    @Inject SnapshotCache cache;
    @Inject ArborMetrics metrics;

    /**
     * Saves a snapshot at a version the stream has reached; replaces one at the same version. 404
     * (410) for a deleted stream, like a read; 400 below the version before the stream's first
     * visible one: the events after such a snapshot are gone, so it could never be continued.
     */
    public Snapshot save(Tenant tenant, StreamId stream, long version, String type, String data) {
        Snapshot snapshot =
                new Snapshot(
                        stream, version, type, data, Instant.now().truncatedTo(ChronoUnit.MICROS));
        Probe probed = readable(tenant, stream);
        long head = probed.stream().get().version();
        if (version > head) {
            throw new SnapshotBeyondHeadException(stream, version, head);
        }
        if (version < probed.firstVersion() - 1) {
            throw new InvalidInputException(
                    "/version",
                    "Snapshot version "
                            + version
                            + " is below the stream's first version ("
                            + probed.firstVersion()
                            + "): the events after it are hidden, so it could not be continued");
        }
        return snapshots.save(tenant, snapshot);
    }

    /**
     * The stream's head and lifecycle ({@link StreamHeads#info}), when it exists and is not
     * deleted: else 404, or 410 for a hard-deleted stream.
     */
    private Probe readable(Tenant tenant, StreamId stream) {
        Probe probed = heads.info(tenant, stream);
        if (probed.stream().isEmpty()) {
            throw new StreamNotFoundException(stream);
        }
        probed.lifecycle().checkReadable(stream);
        return probed;
    }

    /**
     * The snapshot with the highest version, unless the stream's rules hide it (docs/lifecycle.md);
     * 404 (410) for a deleted stream. Which one that is comes from the database's primary key; only
     * its body may come from the cache.
     */
    public Snapshot latest(Tenant tenant, StreamId stream, boolean bypassCache) {
        return find(tenant, stream, bypassCache)
                .orElseThrow(() -> new SnapshotNotFoundException(stream));
    }

    /**
     * {@link #latest}, or empty when the stream has no visible snapshot (the stream info's {@code
     * snapshot=true}: the console asks without a 404 for the common case of none).
     */
    public Optional<Snapshot> find(Tenant tenant, StreamId stream, boolean bypassCache) {
        return metrics.timeRead(
                ReadKind.SNAPSHOT,
                () -> {
                    Probe probed = readable(tenant, stream);
                    // The highest snapshot is hidden when the stream's rules hide the events right
                    // after it (it could not be continued); then so is every lower one.
                    return snapshots
                            .latestKey(tenant, stream)
                            .filter(found -> found.version() >= probed.firstVersion() - 1)
                            .map(
                                    latest -> {
                                        Supplier<Snapshot> load =
                                                () ->
                                                        snapshots.load(
                                                                tenant, stream, latest.version());
                                        return bypassCache
                                                ? load.get()
                                                : cache.get(
                                                        tenant,
                                                        stream,
                                                        latest.version(),
                                                        latest.createdAt(),
                                                        load);
                                    });
                });
    }
}
