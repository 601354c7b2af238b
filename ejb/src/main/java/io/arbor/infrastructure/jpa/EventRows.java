package io.arbor.infrastructure.jpa;

import io.arbor.domain.GlobalLogQuery;
import io.arbor.domain.NewEvent;
import io.arbor.domain.RecordedEvent;
import io.arbor.domain.StreamId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The event rows: inserted once, never changed, read by stream, by id and in log order. */
@ApplicationScoped
public class EventRows {
    @PersistenceContext(unitName = "arbor")
    private EntityManager em;

    /**
     * Inserts {@code events} as versions {@code firstVersion…} at positions {@code firstPosition…},
     * and writes them now (one JDBC batch).
     *
     * @param eventIds the id of each event, writer-chosen or generated, in order
     */
    public List<RecordedEvent> insert(
            StreamId stream,
            long firstVersion,
            long firstPosition,
            List<NewEvent> events,
            List<UUID> eventIds,
            Instant recordedAt) {
        List<EventEntity> rows = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            EventEntity row =
                    new EventEntity(
                            stream,
                            firstVersion + i,
                            firstPosition + i,
                            eventIds.get(i),
                            events.get(i),
                            recordedAt);
            em.persist(row);
            rows.add(row);
        }
        em.flush();
        return rows.stream().map(EventEntity::toRecordedEvent).toList();
    }

    /** The stored events among {@code eventIds}, in version order (any stream). */
    public List<RecordedEvent> findByIds(Collection<UUID> eventIds) {
        return map(
                em.createQuery(
                                "SELECT e FROM EventEntity e WHERE e.eventId IN :ids"
                                        + " ORDER BY e.globalPosition",
                                EventEntity.class)
                        .setParameter("ids", eventIds.stream().map(UUID::toString).toList()));
    }

    /** The event with this id (the unique index on event_id), if stored. */
    public Optional<RecordedEvent> findById(UUID eventId) {
        return findByIds(List.of(eventId)).stream().findFirst();
    }

    /** Versions {@code from…to} of one stream, ascending or descending. */
    public List<RecordedEvent> versions(StreamId stream, long from, long to, boolean descending) {
        return map(
                em.createQuery(
                                "SELECT e FROM EventEntity e WHERE e.streamId = :stream"
                                        + " AND e.version BETWEEN :from AND :to ORDER BY e.version"
                                        + (descending ? " DESC" : ""),
                                EventEntity.class)
                        .setParameter("stream", stream.value())
                        .setParameter("from", from)
                        .setParameter("to", to));
    }

    /**
     * A page of the global log: events after a position and at or below {@code horizon} (see {@link
     * GlobalLogSequencer#horizon}), in position order, maybe filtered.
     */
    public List<RecordedEvent> globalLog(GlobalLogQuery query, long horizon) {
        StringBuilder jpql =
                new StringBuilder(
                        "SELECT e FROM EventEntity e WHERE e.globalPosition > :after"
                                + " AND e.globalPosition <= :horizon");
        if (query.category() != null) {
            jpql.append(" AND e.category = :category");
        }
        if (query.type() != null) {
            jpql.append(" AND e.type = :type");
        }
        jpql.append(" ORDER BY e.globalPosition");
        TypedQuery<EventEntity> select =
                em.createQuery(jpql.toString(), EventEntity.class)
                        .setParameter("after", query.after())
                        .setParameter("horizon", horizon)
                        .setMaxResults(query.limit());
        if (query.category() != null) {
            select.setParameter("category", query.category());
        }
        if (query.type() != null) {
            select.setParameter("type", query.type());
        }
        return map(select);
    }

    private static List<RecordedEvent> map(TypedQuery<EventEntity> query) {
        return query.getResultList().stream().map(EventEntity::toRecordedEvent).toList();
    }
}
