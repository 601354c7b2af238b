package io.arbor.infrastructure.jpa;

import io.arbor.archive.ArchivedEvent;
import io.arbor.domain.ArchiveUnavailableException;
import io.arbor.domain.ExpectedVersion;
import io.arbor.domain.StreamDeletion;
import io.arbor.domain.StreamId;
import io.arbor.domain.StreamInfo;
import io.arbor.domain.StreamLifecycle;
import io.arbor.domain.StreamListQuery;
import io.arbor.domain.StreamMetadata;
import io.arbor.domain.Tenant;
import io.arbor.infrastructure.archive.ArchiveView;
import io.arbor.infrastructure.archive.ArchivedEvents;
import io.arbor.spi.EventHash;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.sql.Connection;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stream rows ({@link StreamEntity}): the head of each stream, and the anchor an append locks
 * or races on, through JPA's locks: a pessimistic row lock for a writer that waits, the {@code
 * Version} column for one that races. Every statement is one tenant's, filtered by it and under its
 * row-level security setting.
 */
@ApplicationScoped
public class StreamRows {
    @PersistenceContext(unitName = "arbor")
    private EntityManager em;

    @Inject TenantSetting tenantSetting;

    @Inject ArchivedEvents archived;

    /**
     * Whether the database orders text by code point (collation C, POSIX or C.UTF-8 of the libc
     * provider): read once. Only then is "below the prefix with its last character incremented" a
     * valid upper bound for ids starting with it; a linguistic collation (en_US: punctuation such
     * as '-' and '.' weighs nothing at first) may sort "a-x" after "a.", so it gets none.
     */
    private volatile Boolean codePointOrder;

    private boolean codePointOrder() {
        Boolean known = codePointOrder;
        if (known == null) {
            Object answer =
                    em.createNativeQuery(
                                    "SELECT datlocprovider = 'c' AND datcollate IN"
                                            + " ('C', 'POSIX', 'C.UTF-8', 'C.utf8')"
                                            + " FROM pg_database WHERE datname = current_database()")
                            .getSingleResult();
            known = Boolean.TRUE.equals(answer);
            codePointOrder = known;
        }
        return known;
    }

    /** The EntityManager, with the transaction set to {@code tenant}'s rows. */
    private EntityManager em(Tenant tenant) {
        tenantSetting.use(tenant);
        return em;
    }

    /**
     * The stream's row as one append attempt loaded it ({@link #loadForAppend}): the version the
     * attempt checks the writer's expectation against and advances from; or as a lifecycle change
     * locked it ({@link #lockForLifecycle}). It lives as long as the transaction, like the
     * persistence context that holds the row.
     */
    public static final class Anchor {
        private final Tenant tenant;
        private final StreamId id;
        private final StreamEntity row; // null: the stream does not exist yet
        private final long version;
        private final byte[] headHash;

        private Anchor(Tenant tenant, StreamId id, StreamEntity row) {
            this.tenant = tenant;
            this.id = id;
            this.row = row;
            this.version = row == null ? 0 : row.version();
            this.headHash = row == null ? EventHash.GENESIS : row.headHash();
        }

        /** The stream's version when the attempt loaded it; 0 when it does not exist. */
        public long version() {
            return version;
        }

        /** Whether the stream had a row when the attempt loaded it. */
        public boolean exists() {
            return row != null;
        }

        /** How the stream was deleted when loaded; null when it is not (or does not exist). */
        public StreamDeletion deletion() {
            return row == null ? null : row.deletion();
        }

        /** The stream's rules and deletion; {@link StreamLifecycle#NONE} when it does not exist. */
        public StreamLifecycle lifecycle() {
            return row == null ? StreamLifecycle.NONE : row.lifecycle();
        }

        /** The stream's metadata; {@link StreamMetadata#NONE} when it does not exist. */
        public StreamMetadata metadata() {
            return row == null ? StreamMetadata.NONE : row.metadata();
        }

        /**
         * The hash the next event chains from: the head event's, {@link EventHash#GENESIS} for a
         * stream that does not exist yet, null for one whose events the migration has not chained
         * yet (docs/tamper-evidence.md).
         */
        public byte[] headHash() {
            return headHash;
        }
    }

    /**
     * Loads the row of the stream an append will advance, through the attempt's persistence context
     * (no shared cache: persistence.xml). A loose expectation ({@code any}, {@code stream_exists})
     * locks the row ({@code SELECT … FOR UPDATE}): such a writer waits for a concurrent append to
     * commit and then advances the winner's head, and does not retry, except on a stream that has
     * no row yet: there is nothing to lock, two first appends both insert it, and the one that
     * collides on its primary key tries again (and then finds a row to lock). A precise one reads
     * it without a lock and races: {@link #advance} detects a writer that got there first.
     */
    public Anchor loadForAppend(Tenant tenant, StreamId id, ExpectedVersion expected) {
        LockModeType lock =
                expected.isPrecise() ? LockModeType.NONE : LockModeType.PESSIMISTIC_WRITE;
        return new Anchor(tenant, id, find(tenant, id, lock));
    }

    /**
     * Loads and locks the rows of the streams an append of several streams names (written and
     * guarded), in one statement ({@code SELECT … ORDER BY stream_id FOR UPDATE}: PostgreSQL locks
     * the rows in that order), whatever each expectation: an expectation checked here then holds
     * until commit, guards included, and two such appends that share streams lock them in the same
     * ascending order, so neither waits for the other in a cycle. A stream with no row yet has
     * nothing to lock; two appends that both create it collide on its primary key in {@link
     * #advance} (a lost race, tried again).
     *
     * @param ids the streams, in ascending id order
     * @return their anchors, in the same order
     */
    public List<Anchor> lockForAppend(Tenant tenant, List<StreamId> ids) {
        Map<String, StreamEntity> rows = new HashMap<>();
        em(tenant)
                .createQuery(
                        "SELECT s FROM StreamEntity s WHERE s.tenant = :tenant AND s.streamId IN"
                                + " :ids ORDER BY s.streamId",
                        StreamEntity.class)
                .setParameter("tenant", tenant.value())
                .setParameter("ids", ids.stream().map(StreamId::value).toList())
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList()
                .forEach(row -> rows.put(row.toInfo().streamId().value(), row));
        return ids.stream().map(id -> new Anchor(tenant, id, rows.get(id.value()))).toList();
    }

    /**
     * Loads and locks ({@code SELECT … FOR UPDATE}, like a waiting append) the row of a stream
     * whose lifecycle changes: a concurrent append waits for the change to commit, or the change
     * for the append; an append that read the row without a lock (a precise expectation) then fails
     * on its {@code Version} column and tries again, seeing the change.
     */
    public Anchor lockForLifecycle(Tenant tenant, StreamId id) {
        return new Anchor(tenant, id, find(tenant, id, LockModeType.PESSIMISTIC_WRITE));
    }

    /** The stream's row, read without a lock (a lifecycle read: its metadata). */
    public Anchor read(Tenant tenant, StreamId id) {
        return new Anchor(tenant, id, find(tenant, id, LockModeType.NONE));
    }

    /**
     * Replaces the locked stream's metadata, writes the row now, and returns the metadata as stored
     * (the custom object in PostgreSQL's jsonb text form, as every later read shows it).
     */
    public StreamMetadata setMetadata(Anchor stream, StreamMetadata metadata) {
        EntityManager em = em(stream.tenant);
        stream.row.setMetadata(metadata);
        em.flush();
        em.refresh(stream.row);
        return stream.row.metadata();
    }

    /** Deletes the locked stream as {@code how} says ({@link StreamEntity#delete}), now. */
    public void delete(Anchor stream, StreamDeletion how) {
        stream.row.delete(how);
        em(stream.tenant).flush();
    }

    /**
     * Brings back a soft-deleted stream that an append is about to {@link #advance} (which writes
     * the row).
     */
    public void undelete(Anchor stream) {
        stream.row.undelete();
    }

    private StreamEntity find(Tenant tenant, StreamId id, LockModeType lock) {
        return em(tenant).find(StreamEntity.class, new StreamEntity.Key(tenant, id), lock);
    }

    /**
     * Advances the loaded stream by {@code eventCount} events, creating its row for a new stream,
     * and writes the row now ({@code flush}), so that a lost race fails here, in the attempt, and
     * not at commit: the row's {@code UPDATE … WHERE lock_version = ?} finds no row when another
     * append advanced the stream since it was loaded (PostgreSQL makes the update wait for that
     * append's commit, then re-evaluates the condition on the newest row), and EclipseLink throws
     * an {@link jakarta.persistence.OptimisticLockException}; the {@code INSERT} of a new stream's
     * row violates the primary key when another first append committed it. {@link
     * PersistenceFailures} makes both a lost race. Nothing is written when it throws.
     *
     * @param headHash the hash of the last event appended (null while the stream is not chained)
     */
    public void advance(Anchor stream, int eventCount, Instant now, byte[] headHash) {
        EntityManager em = em(stream.tenant);
        StreamEntity row = stream.row;
        if (row == null) {
            row = StreamEntity.open(stream.tenant, stream.id, now);
            em.persist(row);
        }
        row.advance(eventCount, now, headHash);
        em.flush();
    }

    public Optional<StreamInfo> info(Tenant tenant, StreamId id) {
        return Optional.ofNullable(find(tenant, id, LockModeType.NONE)).map(StreamEntity::toInfo);
    }

    /**
     * The hash of the stream's event at {@code version}, from {@code events} itself (not the view:
     * the event may be hidden, its hash is still the chain's link), or, once scavenging removed it,
     * from the anchor it kept ({@code stream_chain_anchors}), or from its segment when its range is
     * archived; null when none has it, or the event was never hashed.
     *
     * @throws ArchiveUnavailableException when its range is archived and the segment cannot be read
     *     or lacks it
     */
    public byte[] hashAt(Tenant tenant, StreamId id, long version) {
        EntityManager transactional = em(tenant);
        ArchiveView view = archived.view(transactional.unwrap(Connection.class));
        if (!view.isEmpty()) {
            // The event may be in an archived range, its partition gone: its position from the
            // key table, its hash from the segment (which holds every column, hidden or not).
            List<?> position =
                    transactional
                            .createNativeQuery(
                                    "SELECT global_position FROM event_keys WHERE tenant = ?1 AND"
                                            + " stream_id = ?2 AND version = ?3")
                            .setParameter(1, tenant.value())
                            .setParameter(2, id.value())
                            .setParameter(3, version)
                            .getResultList();
            if (!position.isEmpty() && view.archived(((Number) position.get(0)).longValue())) {
                List<ArchivedEvent> event =
                        archived.at(
                                transactional.unwrap(Connection.class),
                                view,
                                tenant.value(),
                                List.of(((Number) position.get(0)).longValue()),
                                false);
                if (event.isEmpty()) {
                    // The key table names it, the segment lacks it: a damaged archive, not an
                    // event never hashed (a chain continued from null would be wrong).
                    long at = ((Number) position.get(0)).longValue();
                    long[] range = view.rangeHolding(at);
                    throw new ArchiveUnavailableException(
                            range[0],
                            range[1],
                            "its segment lacks the event at position "
                                    + at
                                    + ", which the key table names",
                            null);
                }
                String hex = event.get(0).hash();
                return hex == null ? null : EventHash.fromHex(hex);
            }
        }
        List<?> hash =
                em(tenant)
                        .createNativeQuery(
                                "SELECT coalesce((SELECT e.hash FROM events e WHERE e.tenant = ?1"
                                        + " AND e.stream_id = ?2 AND e.version = ?3), (SELECT"
                                        + " a.hash FROM stream_chain_anchors a WHERE a.tenant ="
                                        + " ?1 AND a.stream_id = ?2 AND a.version = ?3))")
                        .setParameter(1, tenant.value())
                        .setParameter(2, id.value())
                        .setParameter(3, version)
                        .getResultList();
        return hash.isEmpty() ? null : (byte[]) hash.get(0);
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
        if (query.prefix() != null) {
            // The lower bound lets the primary key's index start at the prefix (LIKE alone uses
            // no index unless the database's collation is C); the upper bound, where the
            // collation allows one, ends the scan after the prefix's ids even when fewer than
            // limit match (without it a prefix matching nothing scans to the tenant's last id).
            jpql.append(" AND s.streamId >= :prefixStart AND s.streamId LIKE :prefix ESCAPE '!'");
            if (codePointOrder()) {
                jpql.append(" AND s.streamId < :prefixEnd");
            }
        }
        // Deleted streams are not listed (soft ones until their next append).
        jpql.append(" AND s.deleted IS NULL");
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
        if (query.prefix() != null) {
            // '_' is a stream id character and a LIKE wildcard: escaped, as is the escape itself.
            select.setParameter("prefixStart", query.prefix());
            select.setParameter("prefix", query.prefix().replaceAll("[!_%]", "!$0") + "%");
            if (codePointOrder()) {
                // Stream ids are ASCII: the last character plus one is a character too.
                String prefix = query.prefix();
                char last = prefix.charAt(prefix.length() - 1);
                select.setParameter(
                        "prefixEnd", prefix.substring(0, prefix.length() - 1) + (char) (last + 1));
            }
        }
        if (query.after() != null) {
            select.setParameter("after", query.after());
        }
        return select.getResultList().stream().map(StreamEntity::toInfo).toList();
    }
}
