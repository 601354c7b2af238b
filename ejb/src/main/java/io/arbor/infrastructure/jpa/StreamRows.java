package io.arbor.infrastructure.jpa;

import io.arbor.domain.ExpectedVersion;
import io.arbor.domain.StreamId;
import io.arbor.domain.StreamInfo;
import io.arbor.domain.StreamListQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The stream rows: the head of each stream, and the anchor an append locks or races on. */
@ApplicationScoped
public class StreamRows {
    @PersistenceContext(unitName = "arbor")
    private EntityManager em;

    /**
     * Loads the head of the stream an append will advance, into the current transaction, and
     * returns its version (0 when the stream does not exist). A precise expectation (an exact
     * version, or no stream) races optimistically: the {@code @Version} column catches a concurrent
     * winner when {@link #advance} flushes. A loose one ({@code any}, {@code stream_exists}) has
     * nothing to conflict on, so it locks the row instead, and many writers on one stream all get
     * through without a storm of retries.
     */
    public long loadHeadForAppend(StreamId id, ExpectedVersion expected) {
        LockModeType lock =
                expected.isPrecise() ? LockModeType.NONE : LockModeType.PESSIMISTIC_WRITE;
        StreamEntity stream = em.find(StreamEntity.class, id.value(), lock);
        return stream == null ? 0 : stream.version();
    }

    /**
     * Advances the head loaded by {@link #loadHeadForAppend} (creating the row for a new stream)
     * and writes it now, so that a lost race surfaces here, before any event is inserted.
     */
    public void advance(StreamId id, int eventCount, Instant now) {
        StreamEntity stream = em.find(StreamEntity.class, id.value());
        if (stream == null) {
            stream = new StreamEntity(id, now);
            em.persist(stream);
        }
        stream.advance(eventCount, now);
        em.flush();
    }

    public Optional<StreamInfo> info(StreamId id) {
        return Optional.ofNullable(em.find(StreamEntity.class, id.value()))
                .map(StreamEntity::toInfo);
    }

    /** The stream's version; 0 when it does not exist. */
    public long version(StreamId id) {
        return info(id).map(StreamInfo::version).orElse(0L);
    }

    /** A page of streams in id order (the primary key, or the (category, stream_id) index). */
    public List<StreamInfo> list(StreamListQuery query) {
        StringBuilder jpql = new StringBuilder("SELECT s FROM StreamEntity s WHERE 1 = 1");
        if (query.category() != null) {
            jpql.append(" AND s.category = :category");
        }
        if (query.after() != null) {
            jpql.append(" AND s.streamId > :after");
        }
        jpql.append(" ORDER BY s.streamId");
        TypedQuery<StreamEntity> select =
                em.createQuery(jpql.toString(), StreamEntity.class).setMaxResults(query.limit());
        if (query.category() != null) {
            select.setParameter("category", query.category());
        }
        if (query.after() != null) {
            select.setParameter("after", query.after());
        }
        return select.getResultList().stream().map(StreamEntity::toInfo).toList();
    }
}
