package io.arbor.infrastructure.jpa;

import io.arbor.archive.ArchivedEvent;
import io.arbor.domain.StreamId;
import io.arbor.domain.SubscriptionFilter;
import io.arbor.domain.Tenant;
import io.arbor.domain.groups.ConsumerStatus;
import io.arbor.domain.groups.DeliveryStrategy;
import io.arbor.domain.groups.GroupName;
import io.arbor.domain.groups.GroupSettings;
import io.arbor.infrastructure.archive.ArchiveView;
import io.arbor.infrastructure.archive.ArchivedEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The consumer groups' rows (changeset {@code 2026-12-04-01}): a group's settings and how far it
 * has searched the log, the window of its events past the checkpoint that are pending or leased,
 * its parked events and its consumers. Native SQL throughout: the work is set-wise (lease these,
 * take back the expired ones, copy the next matching events of the log), which JPA entities would
 * turn into row-by-row loads.
 *
 * <p>Every method that changes a group's state must run in a transaction that has taken the group's
 * row first: {@link #lock} for a fetch, a reset, a replay or new settings, which then run one at a
 * time over every instance of a grid; {@link #lockShared} for acks and nacks, which change only the
 * leases they name and so run side by side, but never beside a fetch that takes back expired
 * leases. The checkpoint is never stored: {@link #standing} computes it from the rows. Every
 * statement is one tenant's, filtered by it and under its row-level security setting, except the
 * store-wide listing {@link #allAcrossTenants}.
 */
@ApplicationScoped
public class ConsumerGroupRows {
    @PersistenceContext(unitName = "arbor")
    private EntityManager em;

    @Inject TenantSetting tenantSetting;

    @Inject ArchivedEvents archived;

    /** The EntityManager, with the transaction set to {@code tenant}'s rows. */
    private EntityManager em(Tenant tenant) {
        tenantSetting.use(tenant);
        return em;
    }

    /** A group's row: its settings and how far it has come. */
    public record GroupRow(
            GroupName group, GroupSettings settings, long scannedTo, Instant createdAt) {}

    /** An event of the group's window: where it is, which stream, whether replayed from parking. */
    public record Pending(long position, String streamId, boolean replayed) {}

    /** An event leased to a consumer: its id, position and how often it has been delivered. */
    public record Lease(UUID eventId, long position, int deliveryAttempts) {}

    /**
     * Where a group stands, from one snapshot: its checkpoint, how many events are leased and how
     * many parked.
     */
    public record Standing(long checkpoint, long inFlight, long parked) {}

    /** A group and its tenant. */
    public record TenantGroup(Tenant tenant, GroupName group) {}

    /** A parked event's row. */
    public record Parked(long position, int deliveryAttempts, Instant parkedAt, String reason) {}

    private static final String GROUP_COLUMNS =
            "group_name, filter_category, filter_type, filter_stream_id, strategy, "
                    + "max_retries, ack_timeout_seconds, max_in_flight, scanned_to, "
                    + "created_at";

    /** The group's row, locked until the transaction ends; empty when there is no such group. */
    public Optional<GroupRow> lock(Tenant tenant, GroupName group) {
        return row(tenant, group, " FOR UPDATE");
    }

    /**
     * The group's row, locked in share mode until the transaction ends (acks and nacks: they run
     * side by side, never beside a {@link #lock}); empty when there is no such group.
     */
    public Optional<GroupRow> lockShared(Tenant tenant, GroupName group) {
        return row(tenant, group, " FOR SHARE");
    }

    /** The group's row as committed, without a lock. */
    public Optional<GroupRow> find(Tenant tenant, GroupName group) {
        return row(tenant, group, "");
    }

    private Optional<GroupRow> row(Tenant tenant, GroupName group, String lock) {
        return groups(
                        tenant,
                        "SELECT "
                                + GROUP_COLUMNS
                                + " FROM consumer_groups WHERE tenant = ?20 AND group_name = ?1"
                                + lock,
                        group.value())
                .stream()
                .findFirst();
    }

    /** Every group, by name. */
    public List<GroupRow> all(Tenant tenant) {
        return groups(
                tenant,
                "SELECT "
                        + GROUP_COLUMNS
                        + " FROM consumer_groups WHERE tenant = ?20 ORDER BY group_name");
    }

    /** Every group of every tenant, read in the store-wide scope (which allows reading only). */
    public List<TenantGroup> allAcrossTenants() {
        tenantSetting.readAcrossTenants();
        List<?> rows =
                em.createNativeQuery(
                                "SELECT tenant, group_name FROM consumer_groups ORDER BY tenant,"
                                        + " group_name")
                        .getResultList();
        return rows.stream()
                .map(Object[].class::cast)
                .map(
                        row ->
                                new TenantGroup(
                                        new Tenant((String) row[0]),
                                        new GroupName((String) row[1])))
                .toList();
    }

    /** Creates a group positioned after {@code position}; false when the name is taken. */
    public boolean insert(
            Tenant tenant, GroupName group, GroupSettings settings, long position, Instant now) {
        SubscriptionFilter filter = settings.filter();
        return em(tenant)
                        .createNativeQuery(
                                "INSERT INTO consumer_groups (tenant, "
                                        + GROUP_COLUMNS
                                        + ", updated_at) VALUES (?20, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                                        + "?10) ON CONFLICT (tenant, group_name) DO NOTHING")
                        .setParameter(1, group.value())
                        .setParameter(20, tenant.value())
                        .setParameter(2, filter.category())
                        .setParameter(3, filter.type())
                        .setParameter(4, filter.isStream() ? filter.stream().value() : null)
                        .setParameter(5, settings.strategy().text())
                        .setParameter(6, settings.maxRetries())
                        .setParameter(7, settings.ackTimeoutSeconds())
                        .setParameter(8, settings.maxInFlight())
                        .setParameter(9, position)
                        .setParameter(10, Timestamp.from(now))
                        .executeUpdate()
                == 1;
    }

    /** Changes a group's strategy and limits (its filter never changes). */
    public void updateSettings(
            Tenant tenant, GroupName group, GroupSettings settings, Instant now) {
        em(tenant)
                .createNativeQuery(
                        "UPDATE consumer_groups SET strategy = ?2, max_retries = ?3, "
                                + "ack_timeout_seconds = ?4, max_in_flight = ?5, updated_at = ?6 WHERE "
                                + "tenant = ?20 AND group_name = ?1")
                .setParameter(1, group.value())
                .setParameter(20, tenant.value())
                .setParameter(2, settings.strategy().text())
                .setParameter(3, settings.maxRetries())
                .setParameter(4, settings.ackTimeoutSeconds())
                .setParameter(5, settings.maxInFlight())
                .setParameter(6, Timestamp.from(now))
                .executeUpdate();
    }

    /** Deletes the group and everything it holds; false when there was none. */
    public boolean delete(Tenant tenant, GroupName group) {
        return em(tenant)
                        .createNativeQuery(
                                "DELETE FROM consumer_groups WHERE tenant = ?20 AND group_name = ?1")
                        .setParameter(1, group.value())
                        .setParameter(20, tenant.value())
                        .executeUpdate()
                == 1;
    }

    /**
     * Records that {@code consumer} fetched now, and forgets consumers of the group that have not
     * fetched for ten ack timeouts and hold nothing (the table stays as small as the live set).
     */
    public void seen(Tenant tenant, GroupName group, String consumer, int ackTimeoutSeconds) {
        em(tenant)
                .createNativeQuery(
                        "WITH gone AS (DELETE FROM consumer_group_consumers c WHERE c.tenant = "
                                + "?20 AND c.group_name = ?1 AND c.consumer <> ?2 AND c.last_seen < "
                                + "statement_timestamp() - make_interval(secs => ?3 * 10) AND NOT EXISTS "
                                + "(SELECT 1 FROM consumer_group_events e WHERE e.tenant = c.tenant AND "
                                + "e.group_name = c.group_name AND e.consumer = c.consumer)) INSERT INTO "
                                + "consumer_group_consumers (tenant, group_name, consumer, last_seen) "
                                + "VALUES (?20, ?1, ?2, statement_timestamp()) ON CONFLICT (tenant, "
                                + "group_name, consumer) DO UPDATE SET last_seen = excluded.last_seen")
                .setParameter(1, group.value())
                .setParameter(20, tenant.value())
                .setParameter(2, consumer)
                .setParameter(3, ackTimeoutSeconds)
                .executeUpdate();
    }

    /** The consumers that fetched within {@code ackTimeoutSeconds}, by name. */
    public List<String> liveConsumers(Tenant tenant, GroupName group, int ackTimeoutSeconds) {
        return strings(
                em(tenant)
                        .createNativeQuery(
                                "SELECT consumer FROM consumer_group_consumers WHERE tenant = ?20 AND "
                                        + "group_name = ?1 AND last_seen > statement_timestamp() - "
                                        + "make_interval(secs => ?2) ORDER BY consumer")
                        .setParameter(1, group.value())
                        .setParameter(20, tenant.value())
                        .setParameter(2, ackTimeoutSeconds));
    }

    /** The live consumers with the number of events each holds. */
    public List<ConsumerStatus> consumers(Tenant tenant, GroupName group, int ackTimeoutSeconds) {
        List<?> rows =
                em(tenant)
                        .createNativeQuery(
                                "SELECT c.consumer, c.last_seen, (SELECT count(*) FROM "
                                        + "consumer_group_events e WHERE e.tenant = c.tenant AND e.group_name = "
                                        + "c.group_name AND e.state = 'leased' AND e.consumer = c.consumer) FROM "
                                        + "consumer_group_consumers c WHERE c.tenant = ?20 AND c.group_name = ?1 "
                                        + "AND c.last_seen > statement_timestamp() - make_interval(secs => ?2) "
                                        + "ORDER BY c.consumer")
                        .setParameter(1, group.value())
                        .setParameter(20, tenant.value())
                        .setParameter(2, ackTimeoutSeconds)
                        .getResultList();
        return rows.stream()
                .map(Object[].class::cast)
                .map(
                        row ->
                                new ConsumerStatus(
                                        (String) row[0],
                                        ((Number) row[2]).longValue(),
                                        ((Timestamp) row[1]).toInstant()))
                .toList();
    }

    /**
     * Takes back the group's expired leases, in one statement: those of events delivered {@code
     * maxRetries} + 1 times are parked (reason {@code max-retries}), the others are pending again.
     * Pending events delivered that often (the group's {@code maxRetries} was lowered) are parked
     * too. Returns {parked, pending again}.
     */
    public long[] expireLeases(Tenant tenant, GroupName group, int maxRetries) {
        Object[] counts =
                (Object[])
                        em(tenant)
                                .createNativeQuery(
                                        "WITH exhausted AS (DELETE FROM consumer_group_events WHERE tenant = "
                                                + "?20 AND group_name = ?1 AND delivery_attempts >= ?2 AND (state = "
                                                + "'pending' OR lease_deadline < statement_timestamp()) RETURNING "
                                                + "global_position, event_id, stream_id, delivery_attempts), parked AS "
                                                + "(INSERT INTO consumer_group_parked (tenant, group_name, "
                                                + "global_position, event_id, stream_id, delivery_attempts, reason, "
                                                + "parked_at) SELECT ?20, ?1, global_position, event_id, stream_id, "
                                                + "delivery_attempts, 'max-retries', statement_timestamp() FROM "
                                                + "exhausted RETURNING 1), released AS (UPDATE consumer_group_events SET "
                                                + "state = 'pending', consumer = NULL, lease_deadline = NULL WHERE "
                                                + "tenant = ?20 AND group_name = ?1 AND state = 'leased' AND "
                                                + "lease_deadline < statement_timestamp() AND delivery_attempts < ?2 "
                                                + "RETURNING 1) SELECT (SELECT count(*) FROM parked), (SELECT count(*) "
                                                + "FROM released)")
                                .setParameter(1, group.value())
                                .setParameter(20, tenant.value())
                                .setParameter(2, maxRetries + 1)
                                .getSingleResult();
        return new long[] {((Number) counts[0]).longValue(), ((Number) counts[1]).longValue()};
    }

    /** How many of the group's events are pending and how many leased: {pending, leased}. */
    public long[] windowCounts(Tenant tenant, GroupName group) {
        Object[] row =
                (Object[])
                        em(tenant)
                                .createNativeQuery(
                                        "SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER "
                                                + "(WHERE state = 'leased') FROM consumer_group_events WHERE tenant = "
                                                + "?20 AND group_name = ?1")
                                .setParameter(1, group.value())
                                .setParameter(20, tenant.value())
                                .getSingleResult();
        return new long[] {((Number) row[0]).longValue(), ((Number) row[1]).longValue()};
    }

    /**
     * Copies the next events of the log that match the group's filter, after its {@code scannedTo}
     * and at or below {@code horizon}, into its window as pending (at most {@code limit}), and
     * moves {@code scanned_to} past them: to the last copied when the limit cut the search short,
     * else to the horizon. The horizon must come from an earlier statement (see {@link
     * GlobalLogSequencer#horizon}). Returns the new {@code scanned_to}. It copies from {@code
     * visible_events}: an event a stream lifecycle rule hides is passed over, as if it did not
     * match.
     */
    public long copyFromLog(Tenant tenant, GroupRow row, long horizon, int limit) {
        if (horizon <= row.scannedTo()) {
            return row.scannedTo();
        }
        em(tenant);
        Connection connection = em.unwrap(Connection.class);
        ArchiveView view = archived.view(connection);
        if (view.isEmpty() || !view.overlaps(row.scannedTo() + 1, horizon)) {
            return copyStored(tenant, row, row.scannedTo(), horizon, limit)[0];
        }
        // Archived ranges in the way (docs/archive.md, "What reads do"): region by region, each
        // copied from where it is held, as EventRows reads the log. The view is taken again
        // before each region (a long archived scan may outlast the grace, and a PostgreSQL
        // statement on the first view would then read a dropped partition as empty, and
        // scanned_to pass its events), and the archived scans of one call decode at most
        // ArchivedEvents.SCAN_BUDGET events: scanned_to records the partial progress.
        long scannedTo = row.scannedTo();
        int copied = 0;
        long budget = ArchivedEvents.SCAN_BUDGET;
        ArchiveView.Region region;
        while (copied < limit && budget > 0 && (region = view.region(scannedTo, horizon)) != null) {
            long[] outcome =
                    region.archived()
                            ? copyArchived(
                                    tenant, row, connection, view, region, limit - copied, budget)
                            : copyStored(
                                    tenant, row, region.first() - 1, region.last(), limit - copied);
            scannedTo = outcome[0];
            copied += (int) outcome[1];
            if (region.archived()) {
                budget -= outcome[2];
            }
            if (scannedTo < region.last()) {
                break; // the limit (or the budget) cut the region short
            }
            view = archived.view(connection);
        }
        return scannedTo;
    }

    /**
     * {@link #copyFromLog} of one archived region: its visible events that match the filter, read
     * from the archive, inserted into the window, decoding at most {@code budget} events; returns
     * the new {@code scanned_to}, how many were copied and how many decoded.
     */
    private long[] copyArchived(
            Tenant tenant,
            GroupRow row,
            Connection connection,
            ArchiveView view,
            ArchiveView.Region region,
            int limit,
            long budget) {
        SubscriptionFilter filter = row.settings().filter();
        ArchivedEvents.Scan scan =
                archived.log(
                        connection,
                        view,
                        region,
                        new ArchivedEvents.Filter(
                                tenant.value(),
                                filter.isStream() ? filter.stream().value() : null,
                                filter.category(),
                                filter.type()),
                        limit,
                        budget);
        List<ArchivedEvent> events = scan.events();
        long scannedTo = scan.scannedTo();
        // Plain JDBC on the transaction's connection: stream ids need typed text arrays.
        em.flush();
        try (PreparedStatement insert =
                connection.prepareStatement(
                        "WITH copied AS (INSERT INTO consumer_group_events (tenant, group_name,"
                                + " global_position, event_id, stream_id, state) SELECT ?, ?, p,"
                                + " e, s, 'pending' FROM unnest(?, ?, ?) AS u(p, e, s) RETURNING"
                                + " 1) UPDATE consumer_groups SET scanned_to = ? WHERE tenant = ?"
                                + " AND group_name = ? RETURNING scanned_to")) {
            insert.setString(1, tenant.value());
            insert.setString(2, row.group().value());
            insert.setArray(
                    3,
                    connection.createArrayOf(
                            "bigint",
                            events.stream()
                                    .map(ArchivedEvent::globalPosition)
                                    .toArray(Long[]::new)));
            insert.setArray(
                    4,
                    connection.createArrayOf(
                            "uuid",
                            events.stream().map(ArchivedEvent::eventId).toArray(UUID[]::new)));
            insert.setArray(
                    5,
                    connection.createArrayOf(
                            "text",
                            events.stream().map(ArchivedEvent::streamId).toArray(String[]::new)));
            insert.setLong(6, scannedTo);
            insert.setString(7, tenant.value());
            insert.setString(8, row.group().value());
            try (ResultSet updated = insert.executeQuery()) {
                updated.next();
                return new long[] {updated.getLong(1), events.size(), scan.scanned()};
            }
        } catch (SQLException failed) {
            throw new StatementFailedException(failed);
        }
    }

    private long[] copyStored(
            Tenant tenant, GroupRow row, long scannedTo, long horizon, int limit) {
        SubscriptionFilter filter = row.settings().filter();
        StringBuilder where =
                new StringBuilder(
                        "tenant = ?20 AND global_position > ?2 AND global_position <= ?3");
        if (filter.isStream()) {
            where.append(" AND stream_id = ?5");
        }
        if (filter.category() != null) {
            where.append(" AND category = ?6");
        }
        if (filter.type() != null) {
            where.append(" AND type = ?7");
        }
        Query copy =
                em(tenant)
                        .createNativeQuery(
                                "WITH copied AS (INSERT INTO consumer_group_events (tenant, "
                                        + "group_name, global_position, event_id, stream_id, state) SELECT ?20, "
                                        + "?1, global_position, event_id, stream_id, 'pending' FROM visible_events WHERE "
                                        + where
                                        + " ORDER BY global_position LIMIT ?4 RETURNING global_position), "
                                        + "searched AS (SELECT CASE WHEN count(*) = ?4 THEN max(global_position) "
                                        + "ELSE ?3 END AS scanned_to, count(*) AS copied FROM copied) UPDATE"
                                        + " consumer_groups SET scanned_to = searched.scanned_to FROM searched"
                                        + " WHERE tenant = ?20 AND group_name = ?1 RETURNING"
                                        + " consumer_groups.scanned_to, searched.copied")
                        .setParameter(1, row.group().value())
                        .setParameter(20, tenant.value())
                        .setParameter(2, scannedTo)
                        .setParameter(3, horizon)
                        .setParameter(4, limit);
        if (filter.isStream()) {
            copy.setParameter(5, filter.stream().value());
        }
        if (filter.category() != null) {
            copy.setParameter(6, filter.category());
        }
        if (filter.type() != null) {
            copy.setParameter(7, filter.type());
        }
        Object[] result = (Object[]) copy.getSingleResult();
        return new long[] {((Number) result[0]).longValue(), ((Number) result[1]).longValue()};
    }

    /**
     * Drops from the group's window its pending events that a stream lifecycle rule now hides (they
     * were copied, released or replayed from parking before the rule committed), as skipped: out of
     * the window, so the checkpoint passes them; returns how many. Leased events stay until their
     * consumer acks or nacks them or the lease expires (then they are pending, and go at the next
     * fetch): the consumer got them before the rule, and its ack must still succeed. Only the rows
     * of streams with rules are probed ({@code streams_with_lifecycle}); an event that scavenging
     * removed has no row left here (it deletes both).
     */
    public int dropHidden(Tenant tenant, GroupName group) {
        EntityManager transactional = em(tenant);
        ArchiveView view = archived.view(transactional.unwrap(Connection.class));
        if (view.isEmpty()) {
            return transactional
                    .createNativeQuery(
                            "DELETE FROM consumer_group_events w WHERE w.tenant = ?20 AND"
                                    + " w.group_name = ?1 AND w.state = 'pending' AND EXISTS"
                                    + " (SELECT 1 FROM streams s WHERE s.has_lifecycle AND s.tenant"
                                    + " = w.tenant AND s.stream_id = w.stream_id) AND NOT EXISTS"
                                    + " (SELECT 1 FROM visible_events v WHERE v.tenant = w.tenant"
                                    + " AND v.global_position = w.global_position)")
                    .setParameter(1, group.value())
                    .setParameter(20, tenant.value())
                    .executeUpdate();
        }
        // An archived event is not in visible_events whatever the rules say (its partition may be
        // gone): the rows in archived ranges are judged by the archive's copy of their events.
        List<long[]> ranges = view.ranges();
        String froms = SqlArrays.literal(ranges.stream().map(range -> range[0]).toList());
        String tos = SqlArrays.literal(ranges.stream().map(range -> range[1]).toList());
        int dropped =
                transactional
                        .createNativeQuery(
                                "DELETE FROM consumer_group_events w WHERE w.tenant = ?20 AND"
                                        + " w.group_name = ?1 AND w.state = 'pending' AND EXISTS"
                                        + " (SELECT 1 FROM streams s WHERE s.has_lifecycle AND"
                                        + " s.tenant = w.tenant AND s.stream_id = w.stream_id) AND"
                                        + " NOT EXISTS (SELECT 1 FROM unnest(?2::bigint[],"
                                        + " ?3::bigint[]) AS r(f, t) WHERE w.global_position >= r.f"
                                        + " AND w.global_position < r.t) AND NOT EXISTS (SELECT 1"
                                        + " FROM visible_events v WHERE v.tenant = w.tenant AND"
                                        + " v.global_position = w.global_position)")
                        .setParameter(1, group.value())
                        .setParameter(20, tenant.value())
                        .setParameter(2, froms)
                        .setParameter(3, tos)
                        .executeUpdate();
        @SuppressWarnings("unchecked")
        List<Number> candidates =
                transactional
                        .createNativeQuery(
                                "SELECT w.global_position FROM consumer_group_events w WHERE"
                                        + " w.tenant = ?20 AND w.group_name = ?1 AND w.state ="
                                        + " 'pending' AND EXISTS (SELECT 1 FROM streams s WHERE"
                                        + " s.has_lifecycle AND s.tenant = w.tenant AND s.stream_id"
                                        + " = w.stream_id) AND EXISTS (SELECT 1 FROM"
                                        + " unnest(?2::bigint[], ?3::bigint[]) AS r(f, t) WHERE"
                                        + " w.global_position >= r.f AND w.global_position < r.t)"
                                        + " ORDER BY w.global_position")
                        .setParameter(1, group.value())
                        .setParameter(20, tenant.value())
                        .setParameter(2, froms)
                        .setParameter(3, tos)
                        .getResultList();
        if (candidates.isEmpty()) {
            return dropped;
        }
        List<Long> positions = candidates.stream().map(Number::longValue).toList();
        Set<Long> visible = new HashSet<>();
        archived.at(transactional.unwrap(Connection.class), view, tenant.value(), positions, true)
                .forEach(event -> visible.add(event.globalPosition()));
        List<Long> hidden = new ArrayList<>();
        for (long position : positions) {
            if (!visible.contains(position)) {
                hidden.add(position);
            }
        }
        if (hidden.isEmpty()) {
            return dropped;
        }
        return dropped
                + transactional
                        .createNativeQuery(
                                "DELETE FROM consumer_group_events WHERE tenant = ?20 AND"
                                        + " group_name = ?1 AND state = 'pending' AND"
                                        + " global_position = ANY(?2::bigint[])")
                        .setParameter(1, group.value())
                        .setParameter(20, tenant.value())
                        .setParameter(2, SqlArrays.literal(hidden))
                        .executeUpdate();
    }

    /**
     * Drops {@code consumer}'s leases at {@code positions}, whose events were hidden by a stream
     * lifecycle rule between their lease and their read, as skipped; returns how many it held.
     */
    public int dropLeased(
            Tenant tenant, GroupName group, String consumer, Collection<Long> positions) {
        return em(tenant)
                .createNativeQuery(
                        "DELETE FROM consumer_group_events WHERE tenant = ?20 AND group_name = ?1 "
                                + "AND state = 'leased' AND consumer = ?2 AND global_position = "
                                + "ANY(?3::bigint[])")
                .setParameter(1, group.value())
                .setParameter(20, tenant.value())
                .setParameter(2, consumer)
                .setParameter(3, SqlArrays.literal(positions))
                .executeUpdate();
    }

    /**
     * Leases the group's oldest pending events (replayed ones first), at most {@code limit}, to
     * {@code consumer} for {@code seconds}, counting a delivery (round-robin); one statement.
     */
    public List<Lease> leaseOldest(
            Tenant tenant, GroupName group, int limit, String consumer, int seconds) {
        return leases(
                em(tenant)
                        .createNativeQuery(
                                "UPDATE consumer_group_events SET state = 'leased', consumer = ?2, "
                                        + "lease_deadline = statement_timestamp() + make_interval(secs => ?3), "
                                        + "delivery_attempts = delivery_attempts + 1, replayed = false WHERE "
                                        + "tenant = ?20 AND group_name = ?1 AND global_position IN (SELECT "
                                        + "global_position FROM consumer_group_events WHERE tenant = ?20 AND "
                                        + "group_name = ?1 AND state = 'pending' ORDER BY replayed DESC, "
                                        + "global_position LIMIT ?4) RETURNING event_id, global_position, "
                                        + "delivery_attempts")
                        .setParameter(1, group.value())
                        .setParameter(20, tenant.value())
                        .setParameter(2, consumer)
                        .setParameter(3, seconds)
                        .setParameter(4, limit));
    }

    /**
     * For each stream of the group's window none of whose events is leased, its oldest event: what
     * the {@code pinned} strategy may deliver next (one event of a stream in flight at a time, even
     * when a replayed parked event sits below a later one).
     */
    public List<Pending> nextOfEachStream(Tenant tenant, GroupName group) {
        return pending(
                em(tenant)
                        .createNativeQuery(
                                "SELECT global_position, stream_id, replayed FROM (SELECT DISTINCT ON "
                                        + "(stream_id) global_position, stream_id, replayed, bool_or(state = "
                                        + "'leased') OVER (PARTITION BY stream_id) AS busy FROM "
                                        + "consumer_group_events WHERE tenant = ?20 AND group_name = ?1 ORDER BY "
                                        + "stream_id, global_position) heads WHERE NOT busy")
                        .setParameter(1, group.value())
                        .setParameter(20, tenant.value()));
    }

    /**
     * Leases the events at {@code positions} to {@code consumer} for {@code seconds}, counting a
     * delivery; returns the leases in position order.
     */
    public List<Lease> lease(
            Tenant tenant,
            GroupName group,
            Collection<Long> positions,
            String consumer,
            int seconds) {
        return leases(
                em(tenant)
                        .createNativeQuery(
                                "UPDATE consumer_group_events SET state = 'leased', consumer = ?2, "
                                        + "lease_deadline = statement_timestamp() + make_interval(secs => ?3), "
                                        + "delivery_attempts = delivery_attempts + 1, replayed = false WHERE "
                                        + "tenant = ?20 AND group_name = ?1 AND global_position = "
                                        + "ANY(?4::bigint[]) RETURNING event_id, global_position, "
                                        + "delivery_attempts")
                        .setParameter(1, group.value())
                        .setParameter(20, tenant.value())
                        .setParameter(2, consumer)
                        .setParameter(3, seconds)
                        .setParameter(4, SqlArrays.literal(positions)));
    }

    /**
     * The leases among {@code eventIds} that {@code consumer} holds (expired or not), locked until
     * the transaction ends: a concurrent ack of the same ids waits, then finds them gone.
     */
    public List<Lease> held(
            Tenant tenant, GroupName group, String consumer, Collection<UUID> eventIds) {
        return leases(
                em(tenant)
                        .createNativeQuery(
                                "SELECT event_id, global_position, delivery_attempts FROM "
                                        + "consumer_group_events WHERE tenant = ?20 AND group_name = ?1 AND "
                                        + "state = 'leased' AND consumer = ?2 AND event_id = ANY(?3::uuid[]) FOR "
                                        + "UPDATE")
                        .setParameter(1, group.value())
                        .setParameter(20, tenant.value())
                        .setParameter(2, consumer)
                        .setParameter(3, SqlArrays.literal(eventIds)));
    }

    /** Done with these events (acked or skipped): out of the window. */
    public void remove(Tenant tenant, GroupName group, Collection<Long> positions) {
        em(tenant)
                .createNativeQuery(
                        "DELETE FROM consumer_group_events WHERE tenant = ?20 AND group_name = "
                                + "?1 AND global_position = ANY(?2::bigint[])")
                .setParameter(1, group.value())
                .setParameter(20, tenant.value())
                .setParameter(2, SqlArrays.literal(positions))
                .executeUpdate();
    }

    /** These leased events are pending again (a nack asking for a retry). */
    public void release(Tenant tenant, GroupName group, Collection<Long> positions) {
        em(tenant)
                .createNativeQuery(
                        "UPDATE consumer_group_events SET state = 'pending', consumer = NULL, "
                                + "lease_deadline = NULL WHERE tenant = ?20 AND group_name = ?1 AND "
                                + "global_position = ANY(?2::bigint[])")
                .setParameter(1, group.value())
                .setParameter(20, tenant.value())
                .setParameter(2, SqlArrays.literal(positions))
                .executeUpdate();
    }

    /**
     * These leases of {@code consumer} never reached it: pending again, the delivery uncounted;
     * returns how many it still held.
     */
    public int giveBack(
            Tenant tenant, GroupName group, String consumer, Collection<Long> positions) {
        return em(tenant)
                .createNativeQuery(
                        "UPDATE consumer_group_events SET state = 'pending', consumer = NULL, "
                                + "lease_deadline = NULL, delivery_attempts = delivery_attempts - 1 "
                                + "WHERE tenant = ?20 AND group_name = ?1 AND state = 'leased' AND "
                                + "consumer = ?2 AND global_position = ANY(?3::bigint[])")
                .setParameter(1, group.value())
                .setParameter(20, tenant.value())
                .setParameter(2, consumer)
                .setParameter(3, SqlArrays.literal(positions))
                .executeUpdate();
    }

    /** Parks these events of the window ({@code nacked} or {@code max-retries}). */
    public void park(Tenant tenant, GroupName group, Collection<Long> positions, String reason) {
        moveToParked(
                tenant,
                group,
                "global_position = ANY(?2::bigint[])",
                SqlArrays.literal(positions),
                reason);
    }

    private int moveToParked(
            Tenant tenant, GroupName group, String which, String positions, String reason) {
        Query move =
                em(tenant)
                        .createNativeQuery(
                                "WITH moved AS (DELETE FROM consumer_group_events WHERE tenant = ?20 "
                                        + "AND group_name = ?1 AND "
                                        + which
                                        + " RETURNING global_position, event_id, stream_id, delivery_attempts) "
                                        + "INSERT INTO consumer_group_parked (tenant, group_name, "
                                        + "global_position, event_id, stream_id, delivery_attempts, reason, "
                                        + "parked_at) SELECT ?20, ?1, global_position, event_id, stream_id, "
                                        + "delivery_attempts, ?3, statement_timestamp() FROM moved")
                        .setParameter(1, group.value())
                        .setParameter(20, tenant.value())
                        .setParameter(3, reason);
        if (positions != null) {
            move.setParameter(2, positions);
        }
        return move.executeUpdate();
    }

    /** A page of the group's parked events (not those being replayed), by position. */
    public List<Parked> parked(Tenant tenant, GroupName group, long after, int limit) {
        List<?> rows =
                em(tenant)
                        .createNativeQuery(
                                "SELECT global_position, delivery_attempts, parked_at, reason FROM "
                                        + "consumer_group_parked WHERE tenant = ?20 AND group_name = ?1 AND NOT "
                                        + "replay AND global_position > ?2 ORDER BY global_position LIMIT ?3")
                        .setParameter(1, group.value())
                        .setParameter(20, tenant.value())
                        .setParameter(2, after)
                        .setParameter(3, limit)
                        .getResultList();
        return rows.stream()
                .map(Object[].class::cast)
                .map(
                        row ->
                                new Parked(
                                        ((Number) row[0]).longValue(),
                                        ((Number) row[1]).intValue(),
                                        ((Timestamp) row[2]).toInstant(),
                                        (String) row[3]))
                .toList();
    }

    /**
     * Every parked event of the group is to be delivered again, ahead of new ones: marked for
     * replay, and moved into the window by {@link #moveReplayed} as it has room; returns how many.
     */
    public int replayParked(Tenant tenant, GroupName group) {
        return em(tenant)
                .createNativeQuery(
                        "UPDATE consumer_group_parked SET replay = true WHERE tenant = ?20 AND "
                                + "group_name = ?1 AND NOT replay")
                .setParameter(1, group.value())
                .setParameter(20, tenant.value())
                .executeUpdate();
    }

    /**
     * Moves up to {@code limit} of the group's parked events marked for replay into its window,
     * oldest first, pending with a fresh count of deliveries and ahead of new ones; returns how
     * many.
     */
    public int moveReplayed(Tenant tenant, GroupName group, int limit) {
        return em(tenant)
                .createNativeQuery(
                        "WITH moved AS (DELETE FROM consumer_group_parked WHERE tenant = ?20 "
                                + "AND group_name = ?1 AND global_position IN (SELECT global_position "
                                + "FROM consumer_group_parked WHERE tenant = ?20 AND group_name = ?1 AND "
                                + "replay ORDER BY global_position LIMIT ?2) RETURNING global_position, "
                                + "event_id, stream_id) INSERT INTO consumer_group_events (tenant, "
                                + "group_name, global_position, event_id, stream_id, state, "
                                + "delivery_attempts, replayed) SELECT ?20, ?1, global_position, "
                                + "event_id, stream_id, 'pending', 0, true FROM moved")
                .setParameter(1, group.value())
                .setParameter(20, tenant.value())
                .setParameter(2, limit)
                .executeUpdate();
    }

    /**
     * Positions the group after {@code position}: its window is emptied (leases void), parked
     * events above the position leave the parked list, those at or below it that a replay asked for
     * are parked again (not replayed), and the log is searched again from there.
     */
    public void reset(Tenant tenant, GroupName group, long position) {
        em(tenant)
                .createNativeQuery(
                        "DELETE FROM consumer_group_events WHERE tenant = ?20 AND group_name = "
                                + "?1")
                .setParameter(1, group.value())
                .setParameter(20, tenant.value())
                .executeUpdate();
        em(tenant)
                .createNativeQuery(
                        "DELETE FROM consumer_group_parked WHERE tenant = ?20 AND group_name = "
                                + "?1 AND global_position > ?2")
                .setParameter(1, group.value())
                .setParameter(20, tenant.value())
                .setParameter(2, position)
                .executeUpdate();
        em(tenant)
                .createNativeQuery(
                        "UPDATE consumer_group_parked SET replay = false WHERE tenant = ?20 "
                                + "AND group_name = ?1 AND replay")
                .setParameter(1, group.value())
                .setParameter(20, tenant.value())
                .executeUpdate();
        em(tenant)
                .createNativeQuery(
                        "UPDATE consumer_groups SET scanned_to = ?2 WHERE tenant = ?20 AND "
                                + "group_name = ?1")
                .setParameter(1, group.value())
                .setParameter(20, tenant.value())
                .setParameter(2, position)
                .executeUpdate();
    }

    /**
     * Where the group stands, in one statement (one snapshot): its checkpoint, just below its
     * oldest event still pending or leased or parked for replay, or its {@code scanned_to} when
     * there is none; its leased and parked events. Empty when there is no such group.
     */
    public Optional<Standing> standing(Tenant tenant, GroupName group) {
        List<?> rows =
                em(tenant)
                        .createNativeQuery(
                                "SELECT COALESCE(LEAST((SELECT min(e.global_position) FROM "
                                        + "consumer_group_events e WHERE e.tenant = g.tenant AND e.group_name = "
                                        + "g.group_name), (SELECT min(p.global_position) FROM "
                                        + "consumer_group_parked p WHERE p.tenant = g.tenant AND p.group_name = "
                                        + "g.group_name AND p.replay)) - 1, g.scanned_to), (SELECT count(*) FROM "
                                        + "consumer_group_events e WHERE e.tenant = g.tenant AND e.group_name = "
                                        + "g.group_name AND e.state = 'leased'), (SELECT count(*) FROM "
                                        + "consumer_group_parked p WHERE p.tenant = g.tenant AND p.group_name = "
                                        + "g.group_name AND NOT p.replay) FROM consumer_groups g WHERE g.tenant "
                                        + "= ?20 AND g.group_name = ?1")
                        .setParameter(1, group.value())
                        .setParameter(20, tenant.value())
                        .getResultList();
        return rows.stream()
                .map(Object[].class::cast)
                .map(
                        row ->
                                new Standing(
                                        ((Number) row[0]).longValue(),
                                        ((Number) row[1]).longValue(),
                                        ((Number) row[2]).longValue()))
                .findFirst();
    }

    /**
     * Ends {@code consumer}'s leases of {@code eventIds} (acked): deletes them from the window; the
     * ids whose lease it held.
     */
    public List<UUID> removeLeases(
            Tenant tenant, GroupName group, String consumer, Collection<UUID> eventIds) {
        List<?> ids =
                em(tenant)
                        .createNativeQuery(
                                "DELETE FROM consumer_group_events WHERE tenant = ?20 AND group_name = "
                                        + "?1 AND state = 'leased' AND consumer = ?2 AND event_id = "
                                        + "ANY(?3::uuid[]) RETURNING event_id")
                        .setParameter(1, group.value())
                        .setParameter(20, tenant.value())
                        .setParameter(2, consumer)
                        .setParameter(3, SqlArrays.literal(eventIds))
                        .getResultList();
        return ids.stream().map(ConsumerGroupRows::uuid).toList();
    }

    private List<GroupRow> groups(Tenant tenant, String sql, Object... parameters) {
        Query query = em(tenant).createNativeQuery(sql).setParameter(20, tenant.value());
        for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
        }
        List<?> rows = query.getResultList();
        return rows.stream().map(Object[].class::cast).map(ConsumerGroupRows::groupRow).toList();
    }

    private static GroupRow groupRow(Object[] row) {
        String category = (String) row[1];
        String type = (String) row[2];
        String stream = (String) row[3];
        SubscriptionFilter filter =
                stream != null
                        ? SubscriptionFilter.stream(StreamId.of(stream))
                        : SubscriptionFilter.log(category, type);
        GroupSettings settings =
                new GroupSettings(
                        filter,
                        DeliveryStrategy.parse((String) row[4], "/strategy"),
                        ((Number) row[5]).intValue(),
                        ((Number) row[6]).intValue(),
                        ((Number) row[7]).intValue());
        return new GroupRow(
                new GroupName((String) row[0]),
                settings,
                ((Number) row[8]).longValue(),
                ((Timestamp) row[9]).toInstant());
    }

    private static List<Pending> pending(Query query) {
        List<?> rows = query.getResultList();
        return rows.stream()
                .map(Object[].class::cast)
                .map(
                        row ->
                                new Pending(
                                        ((Number) row[0]).longValue(),
                                        (String) row[1],
                                        (Boolean) row[2]))
                .toList();
    }

    private static List<Lease> leases(Query query) {
        List<?> rows = query.getResultList();
        return rows.stream()
                .map(Object[].class::cast)
                .map(
                        row ->
                                new Lease(
                                        uuid(row[0]),
                                        ((Number) row[1]).longValue(),
                                        ((Number) row[2]).intValue()))
                .sorted((a, b) -> Long.compare(a.position(), b.position()))
                .toList();
    }

    private static UUID uuid(Object value) {
        return value instanceof UUID id ? id : UUID.fromString(value.toString());
    }

    private static List<String> strings(Query query) {
        List<?> rows = query.getResultList();
        return rows.stream().map(String.class::cast).toList();
    }
}
