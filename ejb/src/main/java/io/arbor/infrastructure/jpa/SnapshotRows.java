package io.arbor.infrastructure.jpa;

import io.arbor.domain.Snapshot;
import io.arbor.domain.StreamId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.util.Optional;

/** The snapshot rows. */
@ApplicationScoped
public class SnapshotRows {
    @PersistenceContext(unitName = "arbor")
    private EntityManager em;

    /**
     * Stores a snapshot, replacing one at the same version. An upsert rather than persist/merge, so
     * that two writers saving the same version at once cannot fail on the primary key.
     */
    public void save(Snapshot snapshot) {
        em.createNativeQuery(
                        "INSERT INTO snapshots (stream_id, version, type, data, created_at)"
                                + " VALUES (?1, ?2, ?3, ?4, ?5)"
                                + " ON CONFLICT (stream_id, version) DO UPDATE SET"
                                + " type = EXCLUDED.type, data = EXCLUDED.data,"
                                + " created_at = EXCLUDED.created_at")
                .setParameter(1, snapshot.streamId().value())
                .setParameter(2, snapshot.version())
                .setParameter(3, snapshot.type())
                .setParameter(4, snapshot.data())
                .setParameter(5, Timestamp.from(snapshot.createdAt()))
                .executeUpdate();
    }

    /** The snapshot with the highest version. */
    public Optional<Snapshot> latest(StreamId stream) {
        return em.createQuery(
                        "SELECT s FROM SnapshotEntity s WHERE s.streamId = :stream"
                                + " ORDER BY s.version DESC",
                        SnapshotEntity.class)
                .setParameter("stream", stream.value())
                .setMaxResults(1)
                .getResultStream()
                .findFirst()
                .map(SnapshotEntity::toSnapshot);
    }
}
