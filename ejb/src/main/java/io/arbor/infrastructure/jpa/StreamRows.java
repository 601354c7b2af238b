package io.arbor.infrastructure.jpa;

import io.arbor.domain.ExpectedVersion;
import io.arbor.domain.StreamId;
import io.arbor.domain.StreamInfo;
import io.arbor.domain.StreamListQuery;
import io.arbor.domain.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.persistence.TypedQuery;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The stream rows: the head of each stream, and the anchor an append locks or races on. Every
 * statement is one tenant's, filtered by it and under its row-level security setting.
 */
@ApplicationScoped
public class StreamRows {
    @PersistenceContext(unitName = "arbor")
    private EntityManager em;

    @Inject TenantSetting tenantSetting;

    /** The EntityManager, with the transaction set to {@code tenant}'s rows. */
    private EntityManager em(Tenant tenant) {
        tenantSetting.use(tenant);
        return em;
    }

    /**
     * Loads the head of the stream an append will advance and returns its version (0 when the
     * stream does not exist), for an append that must look at the store before it writes (one that
     * carries event ids, to recognise a retry). A loose expectation ({@code any}, {@code
     * stream_exists}) locks the row, so the append then advances exactly this head; a precise one
     * reads it and races: {@link #advance} from exactly this head answers empty if another append
     * won.
     */
    public long loadHeadForAppend(Tenant tenant, StreamId id, ExpectedVersion expected) {
        LockModeType lock =
                expected.isPrecise() ? LockModeType.NONE : LockModeType.PESSIMISTIC_WRITE;
        return find(tenant, id, lock).map(StreamEntity::version).orElse(0L);
    }

    private Optional<StreamEntity> find(Tenant tenant, StreamId id, LockModeType lock) {
        return em(tenant)
                .createQuery(
                        "SELECT s FROM StreamEntity s WHERE s.tenant = :tenant AND s.streamId ="
                                + " :stream",
                        StreamEntity.class)
                .setParameter("tenant", tenant.value())
                .setParameter("stream", id.value())
                .setLockMode(lock)
                .getResultStream()
                .findFirst();
    }

    /**
     * Advances the stream's head by {@code eventCount} if its version meets {@code expected}, in
     * one statement that checks and bumps the row (creating it for a new stream), and returns the
     * version before; empty when the expectation did not hold. The statement takes the row lock, so
     * a concurrent append to the same stream waits here until the other commits, then is checked
     * against the winner's version (PostgreSQL re-evaluates the condition on the newest row in READ
     * COMMITTED). Nothing is written when it answers empty.
     */
    public OptionalLong advance(
            Tenant tenant, StreamId id, ExpectedVersion expected, int eventCount, Instant now) {
        String create =
                "INSERT INTO streams (tenant, stream_id, category, version, lock_version,"
                        + " created_at, updated_at) VALUES (?6, ?1, ?2, ?3, 1, ?4, ?4)";
        String bump =
                "UPDATE streams SET version = version + ?3, lock_version = lock_version + 1,"
                        + " updated_at = ?4 WHERE tenant = ?6 AND stream_id = ?1";
        String sql =
                switch (expected.kind()) {
                    case ANY ->
                            create
                                    + " ON CONFLICT (tenant, stream_id) DO UPDATE SET version ="
                                    + " streams.version"
                                    + " + EXCLUDED.version, lock_version = streams.lock_version + 1,"
                                    + " updated_at = EXCLUDED.updated_at";
                    case NO_STREAM -> create + " ON CONFLICT (tenant, stream_id) DO NOTHING";
                    case STREAM_EXISTS -> bump;
                    case EXACT ->
                            expected.version() == 0
                                    ? create + " ON CONFLICT (tenant, stream_id) DO NOTHING"
                                    : bump + " AND version = ?5";
                };
        Query advance =
                em(tenant)
                        .createNativeQuery(sql + " RETURNING version - ?3")
                        .setParameter(1, id.value())
                        .setParameter(2, id.category())
                        .setParameter(3, (long) eventCount)
                        .setParameter(4, Timestamp.from(now))
                        .setParameter(6, tenant.value());
        if (expected.kind() == ExpectedVersion.Kind.EXACT && expected.version() > 0) {
            advance.setParameter(5, expected.version());
        }
        List<?> before = advance.getResultList();
        return before.isEmpty()
                ? OptionalLong.empty()
                : OptionalLong.of(((Number) before.get(0)).longValue());
    }

    public Optional<StreamInfo> info(Tenant tenant, StreamId id) {
        return find(tenant, id, LockModeType.NONE).map(StreamEntity::toInfo);
    }

    /** The stream's version; 0 when it does not exist. */
    public long version(Tenant tenant, StreamId id) {
        return info(tenant, id).map(StreamInfo::version).orElse(0L);
    }

    /**
     * A page of the tenant's streams in id order (the primary key, or the (tenant, category,
     * stream_id) index).
     */
    public List<StreamInfo> list(Tenant tenant, StreamListQuery query) {
        StringBuilder jpql =
                new StringBuilder("SELECT s FROM StreamEntity s WHERE s.tenant = :tenant");
        if (query.category() != null) {
            jpql.append(" AND s.category = :category");
        }
        if (query.after() != null) {
            jpql.append(" AND s.streamId > :after");
        }
        jpql.append(" ORDER BY s.streamId");
        TypedQuery<StreamEntity> select =
                em(tenant)
                        .createQuery(jpql.toString(), StreamEntity.class)
                        .setParameter("tenant", tenant.value())
                        .setMaxResults(query.limit());
        if (query.category() != null) {
            select.setParameter("category", query.category());
        }
        if (query.after() != null) {
            select.setParameter("after", query.after());
        }
        return select.getResultList().stream().map(StreamEntity::toInfo).toList();
    }
}
