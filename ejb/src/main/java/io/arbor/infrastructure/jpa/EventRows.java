package io.arbor.infrastructure.jpa;

import io.arbor.archive.ArchivedEvent;
import io.arbor.domain.EventJson;
import io.arbor.domain.EventQuery;
import io.arbor.domain.GlobalLogQuery;
import io.arbor.domain.NewEvent;
import io.arbor.domain.QueryMatch;
import io.arbor.domain.RecordedEvent;
import io.arbor.domain.StreamId;
import io.arbor.domain.Tenant;
import io.arbor.domain.TenantEvent;
import io.arbor.infrastructure.archive.ArchiveView;
import io.arbor.infrastructure.archive.ArchivedEvents;
import io.arbor.spi.EventHash;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The event rows: inserted once, never changed, read by stream, by id and in log order. Every
 * statement is one tenant's, filtered by it and under its row-level security setting, except the
 * store-wide read of the log ({@link #globalLogAcrossTenants}).
 *
 * <p>Ranges of the log held by the archive (issue 20, docs/archive.md "What reads do") are read
 * from it by {@link ArchivedEvents}, below the chunk cache: each read method splits its positions
 * into regions ({@link ArchiveView#region}) and answers the same events, in the same order, as if
 * every range were in PostgreSQL. With no archived range (the usual case) each method runs its one
 * statement, as before, after one look at the view.
 */
@ApplicationScoped
public class EventRows {
    @PersistenceContext(unitName = "arbor")
    private EntityManager em;

    @Inject TenantSetting tenantSetting;

    @Inject ArchivedEvents archived;

    /** The EntityManager, with the transaction set to {@code tenant}'s rows. */
    private EntityManager em(Tenant tenant) {
        tenantSetting.use(tenant);
        return em;
    }

    /**
     * One statement for any number of events: each per-event column arrives as one typed array
     * parameter ({@code bigint[]}, {@code uuid[]}, {@code text[]}, {@code int4[]}) and {@code
     * unnest} zips them into rows. Thirteen parameters whatever the batch size, so it is one
     * prepared statement for every append. Data and metadata travel as {@code text[]} and are read
     * as jsonb row by row: a {@code jsonb[]} parameter would make the driver look the type up on
     * each new connection (three more round trips), and text carries every JSON text exactly. The
     * events' tags column keeps its default, {@code []}.
     */
    private static final String INSERT =
            "INSERT INTO events (tenant, global_position, event_id, stream_id, version, category,"
                    + " type, schema_version, data, metadata, recorded_at, written_by, hash)"
                    + " SELECT ?, p, e, ?, v, ?, t, sv, d::jsonb, m::jsonb, ?, ?, decode(h, 'hex')"
                    + " FROM unnest(?, ?, ?, ?, ?, ?, ?, ?) AS u(p, e, v, t, sv, d, m, h)";

    /**
     * {@link #INSERT} for a batch in which some event carries tags: one more array, each event's
     * tags as the text of a JSON array, and the index rows ({@code event_tags}, one per tag)
     * written from what the insert returns, in the same statement, so a tagged append is still one
     * round trip. An untagged batch keeps the plain statement.
     */
    private static final String INSERT_TAGGED =
            "WITH inserted AS (INSERT INTO events (tenant, global_position, event_id, stream_id,"
                    + " version, category, type, schema_version, data, metadata, recorded_at,"
                    + " written_by, hash, tags)"
                    + " SELECT ?, p, e, ?, v, ?, t, sv, d::jsonb, m::jsonb, ?, ?, decode(h, 'hex'),"
                    + " g::jsonb FROM unnest(?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " AS u(p, e, v, t, sv, d, m, h, g)"
                    + " RETURNING tenant, global_position, tags)"
                    + " INSERT INTO event_tags (tenant, tag, global_position)"
                    + " SELECT i.tenant, tag.value, i.global_position FROM inserted i"
                    + " CROSS JOIN LATERAL jsonb_array_elements_text(i.tags) AS tag(value)";

    /**
     * Inserts {@code events} as versions {@code firstVersion…} at positions {@code firstPosition…},
     * now, with their tags, in one statement: one round trip, and no entities for EclipseLink to
     * track until commit (persisting 100 entities and flushing them was most of a batched append's
     * server time). Events are never read back in the transaction that writes them, so nothing
     * needs the persistence context.
     *
     * <p>Plain JDBC, because the arrays are typed by the connection that sends them ({@link
     * Connection#createArrayOf}): the EntityManager's own, the transaction's, which carries the
     * tenant setting ({@link TenantSetting}; the same borrowing as {@link ReadProbe}). What the
     * persistence context holds is flushed first, as a JPA query would do before running: the
     * events' foreign key needs their stream's row in the database.
     *
     * @param writtenBy who appends them (the token's subject), or null
     * @param eventIds the id of each event, writer-chosen or generated, in order
     * @param hashes the hash of each event in its stream's chain ({@link
     *     io.arbor.domain.HashChain#extend}), in order; null ones for a stream not chained yet.
     *     Sent as hex text: a {@code bytea[]} parameter is typed by the driver per connection, like
     *     {@code jsonb[]}
     */
    public void insert(
            Tenant tenant,
            String writtenBy,
            StreamId stream,
            long firstVersion,
            long firstPosition,
            List<NewEvent> events,
            List<UUID> eventIds,
            byte[][] hashes,
            Instant recordedAt) {
        int n = events.size();
        Long[] positions = new Long[n];
        Long[] versions = new Long[n];
        String[] types = new String[n];
        Integer[] schemaVersions = new Integer[n];
        String[] data = new String[n];
        String[] metadata = new String[n];
        String[] tags = new String[n];
        String[] hex = new String[n];
        boolean tagged = false;
        for (int i = 0; i < n; i++) {
            NewEvent event = events.get(i);
            positions[i] = firstPosition + i;
            versions[i] = firstVersion + i;
            types[i] = event.type();
            schemaVersions[i] = event.schemaVersion();
            data[i] = event.data();
            metadata[i] = event.metadata();
            tags[i] =
                    event.tags().isEmpty()
                            ? "[]"
                            : new String(
                                    EventJson.stringArray(event.tags()), StandardCharsets.UTF_8);
            tagged |= !event.tags().isEmpty();
            hex[i] = hashes[i] == null ? null : EventHash.toHex(hashes[i]);
        }
        EntityManager transactional = em(tenant);
        transactional.flush();
        // The transaction's connection, borrowed: the transaction closes it, not this.
        Connection connection = transactional.unwrap(Connection.class);
        try (PreparedStatement insert =
                connection.prepareStatement(tagged ? INSERT_TAGGED : INSERT)) {
            insert.setString(1, tenant.value());
            insert.setString(2, stream.value());
            insert.setString(3, stream.category());
            insert.setObject(4, recordedAt.atOffset(ZoneOffset.UTC));
            insert.setString(5, writtenBy);
            insert.setArray(6, connection.createArrayOf("bigint", positions));
            insert.setArray(7, connection.createArrayOf("uuid", eventIds.toArray(new UUID[0])));
            insert.setArray(8, connection.createArrayOf("bigint", versions));
            insert.setArray(9, connection.createArrayOf("text", types));
            insert.setArray(10, connection.createArrayOf("int4", schemaVersions));
            insert.setArray(11, connection.createArrayOf("text", data));
            insert.setArray(12, connection.createArrayOf("text", metadata));
            insert.setArray(13, connection.createArrayOf("text", hex));
            if (tagged) {
                insert.setArray(14, connection.createArrayOf("text", tags));
            }
            insert.executeUpdate();
        } catch (SQLException failed) {
            throw new StatementFailedException(failed);
        }
    }

    /**
     * The tenant's stored events among {@code eventIds}, in position order (any stream): the ids'
     * positions from the key table {@code event_keys} (its primary key), then each event by
     * position, in the one partition that holds it (changeset 2026-12-09-01: the partitions have no
     * index on the id).
     */
    @SuppressWarnings("unchecked")
    public List<RecordedEvent> findByIds(Tenant tenant, Collection<UUID> eventIds) {
        ArchiveView view = view(tenant);
        if (!view.isEmpty()) {
            // The key table still holds archived events' positions: read them where they are.
            List<Long> positions =
                    ((List<Number>)
                                    em(tenant)
                                            .createNativeQuery(
                                                    "SELECT k.global_position FROM event_keys k"
                                                            + " WHERE k.tenant = ?1 AND k.event_id"
                                                            + " = ANY (CAST(?2 AS uuid[])) ORDER BY"
                                                            + " k.global_position")
                                            .setParameter(1, tenant.value())
                                            .setParameter(2, SqlArrays.literal(eventIds))
                                            .getResultList())
                            .stream().map(Number::longValue).toList();
            return atPositions(tenant, positions);
        }
        List<EventEntity> rows =
                em(tenant)
                        .createNativeQuery(
                                "SELECT e.* FROM visible_events e WHERE e.tenant = ?1 AND"
                                        + " e.global_position IN (SELECT k.global_position FROM"
                                        + " event_keys k WHERE k.tenant = ?1 AND k.event_id ="
                                        + " ANY (CAST(?2 AS uuid[]))) ORDER BY e.global_position",
                                EventEntity.class)
                        .setParameter(1, tenant.value())
                        .setParameter(2, SqlArrays.literal(eventIds))
                        .getResultList();
        return rows.stream().map(EventEntity::toRecordedEvent).toList();
    }

    /**
     * The tenant's stored events at {@code positions} (ascending), in position order. Positions
     * that lie close together (a consumer group's leases mostly do) are read as one range and
     * filtered here: a range scan of the primary key is several times cheaper than planning and
     * probing a list of a thousand values.
     */
    public List<RecordedEvent> atPositions(Tenant tenant, List<Long> positions) {
        if (positions.isEmpty()) {
            return List.of();
        }
        ArchiveView view = view(tenant);
        if (!view.isEmpty()
                && view.overlaps(positions.get(0), positions.get(positions.size() - 1))) {
            List<Long> stored = positions.stream().filter(p -> !view.archived(p)).toList();
            List<RecordedEvent> events = new ArrayList<>(atStoredPositions(tenant, stored));
            archived.at(connection(), view, tenant.value(), positions, true).stream()
                    .map(ArchivedEvents::recorded)
                    .forEach(events::add);
            events.sort(Comparator.comparingLong(RecordedEvent::globalPosition));
            return events;
        }
        return atStoredPositions(tenant, positions);
    }

    /** {@link #atPositions} of positions that PostgreSQL holds. */
    private List<RecordedEvent> atStoredPositions(Tenant tenant, List<Long> positions) {
        if (positions.isEmpty()) {
            return List.of();
        }
        long first = positions.get(0);
        long last = positions.get(positions.size() - 1);
        if (last - first + 1 > 2L * positions.size()) {
            return map(
                    em(tenant)
                            .createQuery(
                                    "SELECT e FROM EventEntity e WHERE e.tenant = :tenant AND"
                                            + " e.globalPosition IN :positions ORDER BY"
                                            + " e.globalPosition",
                                    EventEntity.class)
                            .setParameter("tenant", tenant.value())
                            .setParameter("positions", positions));
        }
        Set<Long> wanted = new HashSet<>(positions);
        return map(
                        em(tenant)
                                .createQuery(
                                        "SELECT e FROM EventEntity e WHERE e.tenant = :tenant AND"
                                                + " e.globalPosition BETWEEN :first AND :last"
                                                + " ORDER BY e.globalPosition",
                                        EventEntity.class)
                                .setParameter("tenant", tenant.value())
                                .setParameter("first", first)
                                .setParameter("last", last))
                .stream()
                .filter(event -> wanted.contains(event.globalPosition()))
                .toList();
    }

    /**
     * Which of {@code positions} hold events of the tenant that no stream lifecycle rule hides now
     * (one statement on {@code visible_events}, a primary-key probe each): a live subscriber's
     * check of the events it holds before it sends them.
     */
    public Set<Long> visiblePositions(Tenant tenant, Collection<Long> positions) {
        if (positions.isEmpty()) {
            return Set.of();
        }
        ArchiveView view = view(tenant);
        if (!view.isEmpty() && positions.stream().anyMatch(view::archived)) {
            List<Long> sorted = positions.stream().sorted().toList();
            Set<Long> visible =
                    visiblePositions(
                            tenant, sorted.stream().filter(p -> !view.archived(p)).toList());
            Set<Long> all = new HashSet<>(visible);
            archived.at(connection(), view, tenant.value(), sorted, true)
                    .forEach(event -> all.add(event.globalPosition()));
            return all;
        }
        return new HashSet<>(
                em(tenant)
                        .createQuery(
                                "SELECT e.globalPosition FROM EventEntity e WHERE e.tenant ="
                                        + " :tenant AND e.globalPosition IN :positions",
                                Long.class)
                        .setParameter("tenant", tenant.value())
                        .setParameter("positions", positions)
                        .getResultList());
    }

    /** The tenant's event with this id (through the key table, {@link #findByIds}), if stored. */
    public Optional<RecordedEvent> findById(Tenant tenant, UUID eventId) {
        return findByIds(tenant, List.of(eventId)).stream().findFirst();
    }

    /** Versions {@code from…to} of one of the tenant's streams, ascending or descending. */
    public List<RecordedEvent> versions(
            Tenant tenant, StreamId stream, long from, long to, boolean descending) {
        ArchiveView view = view(tenant);
        if (!view.isEmpty()) {
            List<Long> positions = archivedPositions(tenant, stream, from, to, view);
            if (!positions.isEmpty()) {
                List<RecordedEvent> events =
                        new ArrayList<>(
                                storedVersions(tenant, stream, from, to, false).stream()
                                        .filter(event -> !view.archived(event.globalPosition()))
                                        .toList());
                archived.at(connection(), view, tenant.value(), positions, true).stream()
                        .map(ArchivedEvents::recorded)
                        .forEach(events::add);
                Comparator<RecordedEvent> order = Comparator.comparingLong(RecordedEvent::version);
                events.sort(descending ? order.reversed() : order);
                return events;
            }
        }
        return storedVersions(tenant, stream, from, to, descending);
    }

    /**
     * The positions of versions {@code from…to} of the stream that lie in archived ranges,
     * ascending, from the key table (which keeps every event's position, archived or not).
     */
    @SuppressWarnings("unchecked")
    private List<Long> archivedPositions(
            Tenant tenant, StreamId stream, long from, long to, ArchiveView view) {
        List<Number> positions =
                em(tenant)
                        .createNativeQuery(
                                "SELECT k.global_position FROM event_keys k WHERE k.tenant = ?1"
                                        + " AND k.stream_id = ?2 AND k.version BETWEEN ?3 AND ?4"
                                        + " ORDER BY k.global_position")
                        .setParameter(1, tenant.value())
                        .setParameter(2, stream.value())
                        .setParameter(3, from)
                        .setParameter(4, to)
                        .getResultList();
        return positions.stream().map(Number::longValue).filter(view::archived).toList();
    }

    private List<RecordedEvent> storedVersions(
            Tenant tenant, StreamId stream, long from, long to, boolean descending) {
        return map(
                em(tenant)
                        .createQuery(
                                "SELECT e FROM EventEntity e WHERE e.tenant = :tenant AND"
                                        + " e.streamId = :stream AND e.version BETWEEN :from AND"
                                        + " :to ORDER BY e.version"
                                        + (descending ? " DESC" : ""),
                                EventEntity.class)
                        .setParameter("tenant", tenant.value())
                        .setParameter("stream", stream.value())
                        .setParameter("from", from)
                        .setParameter("to", to));
    }

    /**
     * A page of the tenant's view of the global log: its events after a position and at or below
     * {@code horizon} (see {@link GlobalLogSequencer#horizon}), in position order, maybe filtered.
     */
    public List<RecordedEvent> globalLog(Tenant tenant, GlobalLogQuery query, long horizon) {
        ArchiveView view = view(tenant);
        if (!view.isEmpty() && view.overlaps(query.after() + 1, horizon)) {
            return logAcrossRegions(view, tenant, query, horizon).stream()
                    .map(TenantEvent::event)
                    .toList();
        }
        return map(logPage(query, horizon, tenant));
    }

    /**
     * A page of the whole global log, every tenant's events, for the one store-wide reader (the
     * live subscriptions' tailer, which gives each subscriber its own tenant's events): read under
     * {@link TenantSetting#readAcrossTenants}, which allows reading only.
     */
    public List<TenantEvent> globalLogAcrossTenants(GlobalLogQuery query, long horizon) {
        tenantSetting.readAcrossTenants();
        ArchiveView view = archived.view(connection());
        if (!view.isEmpty() && view.overlaps(query.after() + 1, horizon)) {
            return logAcrossRegions(view, null, query, horizon);
        }
        return logPage(query, horizon, null).getResultList().stream()
                .map(row -> new TenantEvent(row.tenant(), row.toRecordedEvent()))
                .toList();
    }

    /**
     * A page of the log when archived ranges lie in it: region by region ({@link
     * ArchiveView#region}), each read where it is held, until the page is full or the horizon
     * reached. Rows of an {@code archived} range are still in PostgreSQL too: a PostgreSQL region
     * ends before the next archived range, so they are never read twice.
     *
     * <p>The view is taken again before each region: a long scan of an archived range (a rare type,
     * a small tenant) may outlast the grace, after which a PostgreSQL statement planned on the
     * first view could read a dropped partition as empty. A page's archived scan has no budget (a
     * short page would read as the log's end: docs/archive.md, "What reads do").
     */
    private List<TenantEvent> logAcrossRegions(
            ArchiveView first, Tenant tenant, GlobalLogQuery query, long horizon) {
        List<TenantEvent> page = new ArrayList<>();
        long after = query.after();
        ArchiveView view = first;
        ArchiveView.Region region;
        while (page.size() < query.limit() && (region = view.region(after, horizon)) != null) {
            int wanted = query.limit() - page.size();
            if (region.archived()) {
                ArchivedEvents.Filter filter =
                        new ArchivedEvents.Filter(
                                tenant == null ? null : tenant.value(),
                                null,
                                query.category(),
                                query.type());
                for (ArchivedEvent event :
                        archived.log(connection(), view, region, filter, wanted, Long.MAX_VALUE)
                                .events()) {
                    page.add(
                            new TenantEvent(
                                    new Tenant(event.tenant()), ArchivedEvents.recorded(event)));
                }
            } else {
                GlobalLogQuery part =
                        new GlobalLogQuery(
                                region.first() - 1, wanted, query.category(), query.type());
                for (EventEntity row : logPage(part, region.last(), tenant).getResultList()) {
                    page.add(new TenantEvent(row.tenant(), row.toRecordedEvent()));
                }
            }
            after = region.last();
            view = archived.view(connection());
        }
        return page;
    }

    /** The page's query: one tenant's ({@code tenant} set, and applied) or every tenant's. */
    private TypedQuery<EventEntity> logPage(GlobalLogQuery query, long horizon, Tenant tenant) {
        StringBuilder jpql =
                new StringBuilder(
                        "SELECT e FROM EventEntity e WHERE e.globalPosition > :after"
                                + " AND e.globalPosition <= :horizon");
        if (tenant != null) {
            jpql.append(" AND e.tenant = :tenant");
        }
        if (query.category() != null) {
            jpql.append(" AND e.category = :category");
        }
        if (query.type() != null) {
            jpql.append(" AND e.type = :type");
        }
        jpql.append(" ORDER BY e.globalPosition");
        TypedQuery<EventEntity> select =
                (tenant == null ? em : em(tenant))
                        .createQuery(jpql.toString(), EventEntity.class)
                        .setParameter("after", query.after())
                        .setParameter("horizon", horizon)
                        .setMaxResults(query.limit());
        if (query.category() != null) {
            select.setParameter("category", query.category());
        }
        if (query.type() != null) {
            select.setParameter("type", query.type());
        }
        if (tenant != null) {
            select.setParameter("tenant", tenant.value());
        }
        return select;
    }

    /**
     * The tenant's lowest-positioned event after {@code after} that matches {@code query}, with the
     * item it matched, among the events committed when this statement starts (READ COMMITTED: a
     * statement's own snapshot) and the transaction's own; an index range scan per item that stops
     * at its first match ({@link MatchingStatement}). An append condition's check.
     */
    public Optional<QueryMatch> firstMatch(Tenant tenant, EventQuery query, long after) {
        List<QueryMatch> first = matches(tenant, query, after, null, 1);
        return first.isEmpty() ? Optional.empty() : Optional.of(first.get(0));
    }

    /**
     * The tenant's events after {@code after} and at or below {@code horizon} that match {@code
     * query}, at most {@code limit}, in position order (a query's page: read with the horizon taken
     * first, like {@link #globalLog}, so it skips no event committed late).
     */
    public List<RecordedEvent> matching(
            Tenant tenant, EventQuery query, long after, long horizon, int limit) {
        List<Long> positions =
                matches(tenant, query, after, horizon, limit).stream()
                        .map(QueryMatch::position)
                        .toList();
        return atPositions(tenant, positions);
    }

    private List<QueryMatch> matches(
            Tenant tenant, EventQuery query, long after, Long upTo, int limit) {
        ArchiveView view = view(tenant);
        long last = upTo == null ? Long.MAX_VALUE : upTo;
        if (view.isEmpty() || !view.overlaps(after + 1, last)) {
            return storedMatches(tenant, query, after, upTo, limit);
        }
        // Region by region, as logAcrossRegions: an archived range's events are matched from its
        // segment (the tag index still names them, but the partition its probe reads may be gone).
        List<QueryMatch> found = new ArrayList<>();
        ArchiveView.Region region;
        while (found.size() < limit && (region = view.region(after, last)) != null) {
            int wanted = limit - found.size();
            if (region.archived()) {
                found.addAll(
                        archived.matches(
                                connection(), view, region, tenant.value(), query, wanted));
            } else {
                Long bound = region.last() == Long.MAX_VALUE ? upTo : Long.valueOf(region.last());
                found.addAll(storedMatches(tenant, query, region.first() - 1, bound, wanted));
            }
            after = region.last();
            view = archived.view(connection()); // again: see logAcrossRegions
        }
        return found;
    }

    private List<QueryMatch> storedMatches(
            Tenant tenant, EventQuery query, long after, Long upTo, int limit) {
        EntityManager transactional = em(tenant);
        // The transaction's connection, borrowed (as insert does): it carries the tenant setting.
        Connection connection = transactional.unwrap(Connection.class);
        MatchingStatement matching = new MatchingStatement(tenant, query, after, upTo, limit);
        try (PreparedStatement select = matching.prepare(connection);
                ResultSet rows = select.executeQuery()) {
            List<QueryMatch> matches = new ArrayList<>();
            while (rows.next()) {
                matches.add(new QueryMatch(rows.getInt(2), rows.getLong(1)));
            }
            return matches;
        } catch (SQLException failed) {
            throw new StatementFailedException(failed);
        }
    }

    /** The view of archived ranges, read through the tenant's transaction. */
    private ArchiveView view(Tenant tenant) {
        em(tenant);
        return archived.view(connection());
    }

    /** The transaction's connection, borrowed: the transaction closes it, not this. */
    private Connection connection() {
        return em.unwrap(Connection.class);
    }

    private static List<RecordedEvent> map(TypedQuery<EventEntity> query) {
        return query.getResultList().stream().map(EventEntity::toRecordedEvent).toList();
    }
}
