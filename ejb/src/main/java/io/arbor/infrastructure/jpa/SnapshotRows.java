package io.arbor.infrastructure.jpa;

import io.arbor.domain.Snapshot;
import io.arbor.domain.StreamId;
import io.arbor.domain.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/** The snapshot rows, one tenant's at a time (filtered by it, under its row-level security). */
@ApplicationScoped
public class SnapshotRows {
    @PersistenceContext(unitName = "arbor")
    private EntityManager em;

    @Inject TenantSetting tenantSetting;

    /** The EntityManager, with the transaction set to {@code tenant}'s rows. */
    private EntityManager em(Tenant tenant) {
        tenantSetting.use(tenant);
        return em;
    }

    /**
     * Stores a snapshot, replacing one at the same version, and returns it as stored (its data in
     * PostgreSQL's jsonb text form, as every read will show it). An upsert rather than
     * persist/merge, so that two writers saving the same version at once cannot fail on the primary
     * key.
     */
    public Snapshot save(Tenant tenant, Snapshot snapshot) {
        String storedData =
                (String)
                        em(tenant)
                                .createNativeQuery(
                                        "INSERT INTO snapshots (tenant, stream_id, version, type,"
                                                + " data, created_at) VALUES (?6, ?1, ?2, ?3, ?4,"
                                                + " ?5) ON CONFLICT (tenant, stream_id, version)"
                                                + " DO UPDATE SET"
                                                + " type = EXCLUDED.type, data = EXCLUDED.data,"
                                                + " created_at = EXCLUDED.created_at"
                                                + " RETURNING data::text")
                                .setParameter(1, snapshot.streamId().value())
                                .setParameter(2, snapshot.version())
                                .setParameter(3, snapshot.type())
                                .setParameter(4, snapshot.data())
                                .setParameter(5, Timestamp.from(snapshot.createdAt()))
                                .setParameter(6, tenant.value())
                                .getSingleResult();
        return new Snapshot(
                snapshot.streamId(),
                snapshot.version(),
                snapshot.type(),
                storedData,
                snapshot.createdAt());
    }

    /**
     * Removes every snapshot of the stream (a delete of the stream: its snapshots summarise the
     * history the delete hid); returns how many.
     */
    public int deleteAll(Tenant tenant, StreamId stream) {
        return em(tenant)
                .createQuery(
                        "DELETE FROM SnapshotEntity s WHERE s.tenant = :tenant AND s.streamId ="
                                + " :stream")
                .setParameter("tenant", tenant.value())
                .setParameter("stream", stream.value())
                .executeUpdate();
    }

    /** Which snapshot is the latest: its version and creation time. */
    public record Latest(long version, Instant createdAt) {}

    /** The key of the snapshot with the highest version (a walk down the primary key index). */
    public Optional<Latest> latestKey(Tenant tenant, StreamId stream) {
        return em(tenant)
                .createQuery(
                        "SELECT s.version, s.createdAt FROM SnapshotEntity s WHERE s.tenant ="
                                + " :tenant AND s.streamId = :stream ORDER BY s.version DESC",
                        Object[].class)
                .setParameter("tenant", tenant.value())
                .setParameter("stream", stream.value())
                .setMaxResults(1)
                .getResultStream()
                .findFirst()
                .map(
                        row ->
                                new Latest(
                                        ((Number) row[0]).longValue(),
                                        ((Timestamp) row[1]).toInstant()));
    }

    /** The snapshot at one version. */
    public Snapshot load(Tenant tenant, StreamId stream, long version) {
        return em(tenant)
                .find(
                        SnapshotEntity.class,
                        new SnapshotEntity.Key(tenant.value(), stream.value(), version))
                .toSnapshot();
    }
}
