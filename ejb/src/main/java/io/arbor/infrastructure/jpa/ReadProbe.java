package io.arbor.infrastructure.jpa;

import io.arbor.archive.ArchivedEvent;
import io.arbor.domain.StreamDeletion;
import io.arbor.domain.StreamId;
import io.arbor.domain.StreamInfo;
import io.arbor.domain.StreamLifecycle;
import io.arbor.domain.Tenant;
import io.arbor.infrastructure.archive.ArchiveView;
import io.arbor.infrastructure.archive.ArchivedEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a stream read takes from PostgreSQL when the data grid cannot vouch for it ({@link
 * io.arbor.application.StreamHeads}): the stream's head (so no instance answers an older version
 * than one acknowledged anywhere), its lifecycle (retention rules and deletion, and the first
 * version they leave visible, docs/lifecycle.md) and the schema registry's generation (so upcasting
 * never uses a registry older than an acknowledged change), all the tenant's; and, always, a
 * stream's head with its times ({@code GET /streams/{id}}). One primary-key statement over plain
 * JDBC: it is the only database work of a cached read whose heads the grid did not vouch for, so it
 * is kept off EclipseLink's query machinery and done in one round trip, on the EntityManager's own
 * connection: the transaction's, which carries the tenant setting ({@link TenantSetting}). A tenant
 * that never changed its registry has no generation row: generation 0, the empty registry.
 *
 * <p>The first visible version of a stream with rules is the lowest version that {@code
 * visible_events} still shows, searched from the first one that its rules by version leave (an
 * index range: events hidden by age are skipped one by one, and scavenging removes them), or the
 * head + 1 when none is left. A stream without rules starts at 1, or after the versions scavenging
 * removed while it had rules ({@code stream_chain_anchors}). The statement also returns the
 * database's clock ({@code now()}, the transaction's time, which the view uses too), so a page from
 * the chunk cache is clipped by the same clock as one read through the view.
 */
@ApplicationScoped
public class ReadProbe {
    private static final String PROBE =
            "SELECT s.version, s.created_at, s.updated_at, s.max_age_seconds, s.max_count,"
                    + " s.truncate_before, s.deleted, CASE WHEN s.has_lifecycle THEN"
                    + " coalesce((SELECT min(v.version) FROM visible_events v WHERE v.tenant ="
                    + " s.tenant AND v.stream_id = s.stream_id AND v.version >= greatest(1,"
                    + " s.truncate_before, s.version - s.max_count + 1)), s.version + 1) ELSE"
                    + " coalesce((SELECT a.version + 1 FROM stream_chain_anchors a WHERE a.tenant ="
                    + " s.tenant AND a.stream_id = s.stream_id), 1) END, now(), coalesce((SELECT"
                    + " r.generation FROM schema_registry r WHERE r.tenant = ?), 0) FROM (VALUES"
                    + " (1)) AS one LEFT JOIN streams s ON s.tenant = ? AND s.stream_id = ?";

    /**
     * The stream's head (empty when it does not exist), its lifecycle, the first version a read may
     * return ({@code head + 1} when none), the database's clock, and the registry generation.
     */
    public record Probe(
            Optional<StreamInfo> stream,
            StreamLifecycle lifecycle,
            long firstVersion,
            Instant now,
            long registryGeneration) {
        /**
         * Whether the grid must not be offered this stream's head: it has rules or was deleted, or
         * scavenging removed its first versions; its reads then always come here.
         */
        public boolean ruled() {
            return lifecycle.isRuled() || firstVersion > 1;
        }
    }

    @PersistenceContext(unitName = "arbor")
    private EntityManager em;

    @Inject TenantSetting tenantSetting;

    @Inject ArchivedEvents archived;

    /** How many archived versions {@link #firstArchived} checks at once. */
    private static final int PROBE_BATCH = 100;

    public Probe probe(Tenant tenant, StreamId stream) {
        tenantSetting.use(tenant);
        // The transaction's connection, borrowed: the transaction closes it, not this.
        Connection connection = em.unwrap(Connection.class);
        try (PreparedStatement select = connection.prepareStatement(PROBE)) {
            select.setString(1, tenant.value());
            select.setString(2, tenant.value());
            select.setString(3, stream.value());
            try (ResultSet row = select.executeQuery()) {
                row.next(); // always one row
                long version = row.getLong(1);
                boolean exists = !row.wasNull();
                Instant now = row.getTimestamp(9).toInstant();
                long generation = row.getLong(10);
                if (!exists) {
                    return new Probe(Optional.empty(), StreamLifecycle.NONE, 1, now, generation);
                }
                StreamInfo head =
                        new StreamInfo(
                                stream,
                                version,
                                row.getTimestamp(2).toInstant(),
                                row.getTimestamp(3).toInstant());
                StreamLifecycle lifecycle =
                        new StreamLifecycle(
                                nullableLong(row, 4),
                                nullableLong(row, 5),
                                nullableLong(row, 6),
                                StreamDeletion.fromCode(row.getString(7)));
                long probed = row.getLong(8);
                long firstVersion = probed;
                if (lifecycle.isRuled()) {
                    firstVersion =
                            firstArchived(connection, tenant, stream, lifecycle, version, probed)
                                    .orElse(probed);
                }
                return new Probe(Optional.of(head), lifecycle, firstVersion, now, generation);
            }
        } catch (SQLException failed) {
            throw new StatementFailedException(failed);
        }
    }

    /**
     * The lowest version of a ruled stream below {@code probed} (the first version {@code
     * visible_events} shows, or the head + 1) that an archived range holds and its rules leave
     * visible: {@code visible_events} no longer shows an archived event whose partition is gone
     * (issue 20). Empty when no range is archived (no statement then) or no such version exists.
     *
     * <p>Archived ranges need not be a prefix of the log (a middle range restored, a range left
     * unarchived for want of hashes while later ones were archived): the stream's versions are
     * walked in order from the first its rules by version leave up to {@code probed}, a batch at a
     * time, and only the archived ones are checked; the walk stops at the first visible one, or at
     * the last archived range's end. Its cost is the stream's versions below that end that a rule
     * by age hides and that are still stored (scavenging cannot remove archived events:
     * docs/archive.md).
     */
    private Optional<Long> firstArchived(
            Connection connection,
            Tenant tenant,
            StreamId stream,
            StreamLifecycle lifecycle,
            long head,
            long probed) {
        ArchiveView view = archived.view(connection);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        // Where the probe's search starts: the first version the rules by version leave.
        long from = lifecycle.firstVersionByPosition(head);
        // A stream's positions rise with its versions: the walk ends at the last archived range's
        // end, so a long stream's hidden versions in PostgreSQL above it are never walked.
        List<long[]> ranges = view.ranges();
        long end = ranges.get(ranges.size() - 1)[1];
        while (from < probed) {
            List<Long> positions = new ArrayList<>();
            long last = -1;
            int read = 0;
            boolean past = false;
            try (PreparedStatement select =
                    connection.prepareStatement(
                            "SELECT version, global_position FROM event_keys WHERE tenant = ?"
                                    + " AND stream_id = ? AND version >= ? AND version < ?"
                                    + " ORDER BY version LIMIT ?")) {
                select.setString(1, tenant.value());
                select.setString(2, stream.value());
                select.setLong(3, from);
                select.setLong(4, probed);
                select.setInt(5, PROBE_BATCH);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        if (rows.getLong(2) >= end) {
                            past = true;
                            break;
                        }
                        read++;
                        last = rows.getLong(1);
                        if (view.archived(rows.getLong(2))) {
                            positions.add(rows.getLong(2)); // ascending, as the versions
                        }
                    }
                }
            } catch (SQLException failed) {
                throw new StatementFailedException(failed);
            }
            Optional<Long> first =
                    archived.at(connection, view, tenant.value(), positions, true).stream()
                            .map(ArchivedEvent::version)
                            .min(Long::compare);
            if (first.isPresent()) {
                return first;
            }
            if (past || read < PROBE_BATCH) {
                break;
            }
            from = last + 1;
        }
        return Optional.empty();
    }

    /**
     * The first version a read of {@code stream} may return ({@link Probe#firstVersion}): the one
     * rule, archive-aware, that reads and the scavenger's snapshot removal share.
     */
    public long firstVisibleVersion(Tenant tenant, StreamId stream) {
        return probe(tenant, stream).firstVersion();
    }

    private static Long nullableLong(ResultSet row, int column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }
}
