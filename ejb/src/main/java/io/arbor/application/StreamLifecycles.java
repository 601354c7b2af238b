package io.arbor.application;

import io.arbor.domain.StreamDeletion;
import io.arbor.domain.StreamId;
import io.arbor.domain.StreamMetadata;
import io.arbor.domain.Tenant;
import io.arbor.infrastructure.cache.SnapshotCache;
import io.arbor.infrastructure.jpa.PersistenceFailures;
import io.arbor.infrastructure.jpa.SnapshotRows.RemovedSnapshot;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.Supplier;

/**
 * A stream's lifecycle (docs/lifecycle.md): its metadata (retention rules and the writer's own
 * JSON) and its deletion, soft or hard. Each change is one JTA transaction of its own ({@link
 * StreamLifecycleChanges}), run under a lease on the stream's head that is given up afterwards
 * ({@link StreamHeads#changeLifecycle}), so no instance serves a head read before the change. This
 * bean begins no transaction itself: the change's must have ended, committed or not, before the
 * head is given up.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class StreamLifecycles {
    @EJB StreamLifecycleChanges changes;
    @Inject StreamHeads heads;
    @Inject SnapshotCache snapshotCache;

    /** The stream's metadata: 404 when it does not exist or is soft-deleted, 410 hard-deleted. */
    public StreamMetadata metadata(Tenant tenant, StreamId stream) {
        return inItsTransaction(() -> changes.metadata(tenant, stream));
    }

    /**
     * Replaces the stream's metadata and answers it as stored: 404 when the stream does not exist
     * or is soft-deleted, 410 when hard-deleted, 400 for a {@code truncateBefore} past its head.
     */
    public StreamMetadata setMetadata(Tenant tenant, StreamId stream, StreamMetadata metadata) {
        return heads.changeLifecycle(
                tenant,
                stream,
                () -> inItsTransaction(() -> changes.setMetadata(tenant, stream, metadata)));
    }

    /**
     * Deletes the stream as {@code how} says: 404 when it does not exist, 410 when it is
     * hard-deleted already; a soft delete of a soft-deleted stream changes nothing.
     */
    public void delete(Tenant tenant, StreamId stream, StreamDeletion how) {
        List<RemovedSnapshot> removed =
                heads.changeLifecycle(
                        tenant,
                        stream,
                        () -> inItsTransaction(() -> changes.delete(tenant, stream, how)));
        // committed: the removed snapshots' bodies leave the hot cache too (an erasure request)
        removed.forEach(
                snapshot ->
                        snapshotCache.evict(
                                tenant, stream, snapshot.version(), snapshot.createdAt()));
    }

    /**
     * The container could not complete the change's transaction (a lost connection): translated as
     * everywhere else ({@link PersistenceFailures}), so an outage answers 503.
     */
    private static <T> T inItsTransaction(Supplier<T> call) {
        try {
            return call.get();
        } catch (EJBException failed) {
            throw PersistenceFailures.translate(failed);
        }
    }
}
