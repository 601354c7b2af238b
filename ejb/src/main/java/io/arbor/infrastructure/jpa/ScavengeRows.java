package io.arbor.infrastructure.jpa;

import io.arbor.domain.StreamId;
import io.arbor.domain.Tenant;
import io.arbor.domain.scavenging.ScavengeJob;
import io.arbor.domain.scavenging.ScavengeState;
import io.arbor.infrastructure.archive.RangeLock;
import io.arbor.infrastructure.jpa.SnapshotRows.RemovedSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The scavenger's statements (changesets {@code 2026-12-08-01} and {@code 2026-12-08-10};
 * docs/lifecycle.md, "Scavenging"): the jobs' rows, and the removal of a stream's hidden events
 * with everything that points at them. Which events are hidden is never spelled here: an event is
 * hidden exactly when the view {@code visible_events} does not show it, so the rules have one
 * definition, the view's.
 *
 * <p>Every statement is one tenant's, under its row-level security setting, except the store-wide
 * reads {@link #tenantsWithRules} and {@link #claimable}. Nothing here updates or locks a {@code
 * streams} row: that row is every append's concurrency anchor, and a scavenge must never make an
 * append wait.
 */
@ApplicationScoped
public class ScavengeRows {
    /** PostgreSQL's SQLState for a lock not granted within {@code lock_timeout}. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private static final String JOB_COLUMNS =
            "j.job_id::text, j.tenant, j.state, j.requested_at, j.started_at, j.finished_at,"
                    + " j.streams_scanned, CASE WHEN j.state IN ('queued', 'running') THEN (SELECT"
                    + " count(*) FROM streams s WHERE s.tenant = j.tenant AND s.has_lifecycle AND"
                    + " (j.cursor_stream IS NULL OR s.stream_id > j.cursor_stream)) END,"
                    + " j.events_removed, j.snapshots_removed, j.batches, j.failure";

    @PersistenceContext(unitName = "arbor")
    private EntityManager em;

    @Inject ReadProbe probe;

    @Inject TenantSetting tenantSetting;

    /** The EntityManager, with the transaction set to {@code tenant}'s rows. */
    private EntityManager em(Tenant tenant) {
        tenantSetting.use(tenant);
        return em;
    }

    // ---- jobs

    /**
     * A new queued job with id {@code jobId}, unless the tenant has an unfinished (queued or
     * running) job: then that one (the partial unique index {@code scavenge_jobs_one_unfinished}
     * decides, so two requests at once make one job).
     */
    public ScavengeJob requestOrFindUnfinished(Tenant tenant, UUID jobId) {
        em(tenant)
                .createNativeQuery(
                        "INSERT INTO scavenge_jobs (job_id, tenant, state, requested_at)"
                                + " VALUES (?1::uuid, ?2, 'queued', now())"
                                + " ON CONFLICT (tenant) WHERE state IN ('queued', 'running')"
                                + " DO NOTHING")
                .setParameter(1, jobId.toString())
                .setParameter(2, tenant.value())
                .executeUpdate();
        return jobs(tenant, " WHERE j.tenant = ?1 AND j.state IN ('queued', 'running')", null, 1)
                .stream()
                .findFirst()
                // finished between the insert and this read: it was ours or the one we met
                .orElseGet(() -> find(tenant, jobId).orElseThrow());
    }

    /**
     * Queues a job for the tenant unless one was requested less than {@code intervalSeconds} ago or
     * one is unfinished: what the schedule asks for, once per interval over every instance.
     */
    public boolean requestIfDue(Tenant tenant, long intervalSeconds) {
        return em(tenant)
                        .createNativeQuery(
                                "INSERT INTO scavenge_jobs (job_id, tenant, state, requested_at)"
                                        + " SELECT gen_random_uuid(), ?1, 'queued', now()"
                                        + " WHERE NOT EXISTS (SELECT 1 FROM scavenge_jobs"
                                        + " WHERE tenant = ?1 AND requested_at > now() -"
                                        + " make_interval(secs => ?2))"
                                        + " ON CONFLICT (tenant) WHERE state IN ('queued',"
                                        + " 'running') DO NOTHING")
                        .setParameter(1, tenant.value())
                        .setParameter(2, intervalSeconds)
                        .executeUpdate()
                > 0;
    }

    /** The tenant's job with this id. */
    public Optional<ScavengeJob> find(Tenant tenant, UUID jobId) {
        return jobs(tenant, " WHERE j.tenant = ?1 AND j.job_id = ?3::uuid", jobId.toString(), 1)
                .stream()
                .findFirst();
    }

    /** The tenant's latest {@code limit} jobs, latest first. */
    public List<ScavengeJob> recent(Tenant tenant, int limit) {
        return jobs(tenant, " WHERE j.tenant = ?1", null, limit);
    }

    private List<ScavengeJob> jobs(Tenant tenant, String where, String jobId, int limit) {
        var query =
                em(tenant)
                        .createNativeQuery(
                                "SELECT "
                                        + JOB_COLUMNS
                                        + " FROM scavenge_jobs j"
                                        + where
                                        + " ORDER BY j.requested_at DESC, j.job_id LIMIT ?2")
                        .setParameter(1, tenant.value())
                        .setParameter(2, limit);
        if (jobId != null) {
            query.setParameter(3, jobId);
        }
        List<ScavengeJob> jobs = new ArrayList<>();
        for (Object result : query.getResultList()) {
            Object[] row = (Object[]) result;
            jobs.add(
                    new ScavengeJob(
                            UUID.fromString((String) row[0]),
                            new Tenant((String) row[1]),
                            ScavengeState.of((String) row[2]),
                            instant(row[3]),
                            instant(row[4]),
                            instant(row[5]),
                            ((Number) row[6]).longValue(),
                            row[7] == null ? null : ((Number) row[7]).longValue(),
                            ((Number) row[8]).longValue(),
                            ((Number) row[9]).longValue(),
                            ((Number) row[10]).longValue(),
                            (String) row[11]));
        }
        return jobs;
    }

    /** Every tenant that has a stream with lifecycle rules (store-wide, reading only). */
    public List<Tenant> tenantsWithRules() {
        tenantSetting.readAcrossTenants();
        List<?> tenants =
                em.createNativeQuery(
                                "SELECT DISTINCT tenant FROM streams WHERE has_lifecycle"
                                        + " ORDER BY tenant")
                        .getResultList();
        return tenants.stream().map(tenant -> new Tenant((String) tenant)).toList();
    }

    /** A job some instance may claim, and its tenant. */
    public record Claimable(Tenant tenant, UUID jobId) {}

    /**
     * The jobs of every tenant that an instance may claim (store-wide, reading only): queued ones,
     * and running ones whose heartbeat is older than {@code staleSeconds} (their instance died or
     * hangs), oldest request first.
     */
    public List<Claimable> claimable(long staleSeconds) {
        tenantSetting.readAcrossTenants();
        List<?> rows =
                em.createNativeQuery(
                                "SELECT tenant, job_id::text FROM scavenge_jobs"
                                        + " WHERE state = 'queued' OR (state = 'running'"
                                        + " AND heartbeat_at < now() - make_interval(secs => ?1))"
                                        + " ORDER BY requested_at")
                        .setParameter(1, staleSeconds)
                        .getResultList();
        List<Claimable> claimable = new ArrayList<>();
        for (Object result : rows) {
            Object[] row = (Object[]) result;
            claimable.add(
                    new Claimable(new Tenant((String) row[0]), UUID.fromString((String) row[1])));
        }
        return claimable;
    }

    /**
     * Makes {@code owner} the job's runner if it is still claimable (the row's update decides
     * between instances that try at once): the cursor to resume after (empty string: from the first
     * stream), or empty when another instance has it or it is finished.
     */
    public Optional<String> claim(Tenant tenant, UUID jobId, String owner, long staleSeconds) {
        List<?> cursor =
                em(tenant)
                        .createNativeQuery(
                                "UPDATE scavenge_jobs SET state = 'running', owner = ?3,"
                                        + " heartbeat_at = now(),"
                                        + " started_at = coalesce(started_at, now())"
                                        + " WHERE tenant = ?1 AND job_id = ?2::uuid"
                                        + " AND (state = 'queued' OR (state = 'running'"
                                        + " AND heartbeat_at < now() - make_interval(secs => ?4)))"
                                        + " RETURNING coalesce(cursor_stream, '')")
                        .setParameter(1, tenant.value())
                        .setParameter(2, jobId.toString())
                        .setParameter(3, owner)
                        .setParameter(4, staleSeconds)
                        .getResultList();
        return cursor.stream().map(String.class::cast).findFirst();
    }

    /**
     * Adds a batch's work to the job's counters, moves its cursor past {@code finishedStream}
     * (null: the stream is not finished) and beats its heartbeat: false when {@code owner} no
     * longer runs it (another instance claimed it as stale), and then the caller's transaction must
     * roll back, so that the batch's deletes and the counts never part.
     */
    public boolean progress(
            Tenant tenant,
            UUID jobId,
            String owner,
            String finishedStream,
            long eventsRemoved,
            long snapshotsRemoved,
            long batches) {
        return em(tenant)
                        .createNativeQuery(
                                "UPDATE scavenge_jobs SET heartbeat_at = now(),"
                                        + " events_removed = events_removed + ?4,"
                                        + " snapshots_removed = snapshots_removed + ?5,"
                                        + " batches = batches + ?6,"
                                        + " cursor_stream = coalesce(?7::varchar, cursor_stream),"
                                        + " streams_scanned = streams_scanned"
                                        + " + CASE WHEN ?7::varchar IS NULL THEN 0 ELSE 1 END"
                                        + " WHERE tenant = ?1 AND job_id = ?2::uuid"
                                        + " AND owner = ?3 AND state = 'running'")
                        .setParameter(1, tenant.value())
                        .setParameter(2, jobId.toString())
                        .setParameter(3, owner)
                        .setParameter(4, eventsRemoved)
                        .setParameter(5, snapshotsRemoved)
                        .setParameter(6, batches)
                        .setParameter(7, finishedStream)
                        .executeUpdate()
                == 1;
    }

    /** Ends the job that {@code owner} runs as done, or failed with {@code failure}. */
    public boolean finish(
            Tenant tenant, UUID jobId, String owner, ScavengeState state, String failure) {
        return em(tenant)
                        .createNativeQuery(
                                "UPDATE scavenge_jobs SET state = ?4, failure = ?5::text,"
                                        + " finished_at = now(), heartbeat_at = now()"
                                        + " WHERE tenant = ?1 AND job_id = ?2::uuid"
                                        + " AND owner = ?3 AND state = 'running'")
                        .setParameter(1, tenant.value())
                        .setParameter(2, jobId.toString())
                        .setParameter(3, owner)
                        .setParameter(4, state.value())
                        .setParameter(5, failure)
                        .executeUpdate()
                == 1;
    }

    // ---- removal

    /**
     * The tenant's streams with lifecycle rules after {@code after} (empty: from the first), in
     * stream-id order: a range scan of the partial index {@code streams_with_lifecycle}.
     */
    public List<String> streamsWithRules(Tenant tenant, String after, int limit) {
        List<?> streams =
                em(tenant)
                        .createNativeQuery(
                                "SELECT stream_id FROM streams WHERE tenant = ?1 AND has_lifecycle"
                                        + " AND stream_id > ?2 ORDER BY stream_id LIMIT ?3")
                        .setParameter(1, tenant.value())
                        .setParameter(2, after)
                        .setParameter(3, limit)
                        .getResultList();
        return streams.stream().map(String.class::cast).toList();
    }

    /**
     * Bounds every lock wait of the current transaction by {@code millis} ({@code lock_timeout},
     * local to the transaction): a batch that meets a lock gives up (SQLState 55P03, {@link
     * #isLockTimeout}) instead of queueing, and whoever comes after it does not queue behind it.
     */
    public void boundLockWaits(Tenant tenant, long millis) {
        em(tenant)
                .createNativeQuery("SELECT set_config('lock_timeout', ?1, true)")
                .setParameter(1, millis + "ms")
                .getSingleResult();
    }

    /**
     * A stored event of a stream: its version, its global position, whether it is hidden, and
     * whether it lies in an archived range (state {@code archived} or {@code detached}: its segment
     * holds it, so the scavenger must not remove it; docs/archive.md).
     */
    public record StoredEvent(long version, long position, boolean hidden, boolean archived) {}

    /**
     * The SQL condition that an archived range (its partition {@code archived} or {@code detached})
     * holds the position {@code position} (an SQL expression): read from the catalogue in the
     * statement itself, so a range the archiver marked since any cached view was taken counts too
     * (as of the statement's snapshot: see {@link #removeHidden}).
     */
    private static String inArchivedRange(String position) {
        return "EXISTS (SELECT 1 FROM event_partitions ap WHERE ap.state <> 'attached' AND"
                + " ap.from_position <= "
                + position
                + " AND "
                + position
                + " < ap.to_position)";
    }

    /**
     * The stream's {@code limit} lowest stored versions, each marked hidden or not (hidden when the
     * view {@code visible_events} does not show it) and archived or not. A walk of {@code
     * event_keys}' unique (tenant, stream, version) index from the lowest version left, which after
     * earlier scavenges is the first one not removed; {@code event_keys} keeps the keys of archived
     * events whose partition is gone, so the walk meets them where they are.
     */
    public List<StoredEvent> lowestVersions(Tenant tenant, String stream, int limit) {
        List<StoredEvent> events = new ArrayList<>();
        for (Object result :
                em(tenant)
                        .createNativeQuery(
                                "SELECT k.version, k.global_position, NOT EXISTS (SELECT 1 FROM"
                                        + " visible_events v WHERE v.global_position ="
                                        + " k.global_position), "
                                        + inArchivedRange("k.global_position")
                                        + " FROM event_keys k WHERE k.tenant = ?1"
                                        + " AND k.stream_id = ?2 ORDER BY k.version LIMIT ?3")
                        .setParameter(1, tenant.value())
                        .setParameter(2, stream)
                        .setParameter(3, limit)
                        .getResultList()) {
            Object[] row = (Object[]) result;
            events.add(
                    new StoredEvent(
                            ((Number) row[0]).longValue(),
                            ((Number) row[1]).longValue(),
                            (Boolean) row[2],
                            (Boolean) row[3]));
        }
        return events;
    }

    /**
     * Locks (for no-key update: the group's child rows may still be inserted) the tenant's consumer
     * groups whose window or parked list holds one of {@code positions}, in name order: every
     * change of a group's state takes its row first (ConsumerGroupRows), and removing its rows is
     * one. Waits at most the transaction's lock timeout (a fetch holds the row for milliseconds).
     */
    public void lockGroupsHolding(Tenant tenant, List<Long> positions) {
        em(tenant)
                .createNativeQuery(
                        "SELECT g.group_name FROM consumer_groups g WHERE g.tenant = ?1 AND"
                                + " (EXISTS (SELECT 1 FROM consumer_group_events c WHERE c.tenant ="
                                + " ?1 AND c.group_name = g.group_name AND c.global_position ="
                                + " ANY(?2::bigint[])) OR EXISTS (SELECT 1 FROM"
                                + " consumer_group_parked p WHERE p.tenant = ?1 AND p.group_name ="
                                + " g.group_name AND p.global_position = ANY(?2::bigint[])))"
                                + " ORDER BY g.group_name FOR NO KEY UPDATE OF g")
                .setParameter(1, tenant.value())
                .setParameter(2, SqlArrays.literal(positions))
                .getResultList();
    }

    /**
     * Takes, shared, the {@link RangeLock} of every range partition holding one of {@code
     * positions}, for the transaction, before {@link #removeHidden} deletes them: the archiver
     * holds a range's lock exclusively while it writes the range's segment and marks it archived,
     * and while it counts its rows before the drop. A batch that meets it waits (its lock timeout;
     * then the batch is tried again); its delete, whose snapshot is taken after the wait, then sees
     * the range archived and keeps its rows.
     */
    public void lockArchiveRanges(Tenant tenant, List<Long> positions) {
        em(tenant)
                .createNativeQuery(
                        "SELECT count(*) FROM (SELECT "
                                + RangeLock.shared("p.from_position")
                                + " FROM event_partitions p WHERE EXISTS (SELECT 1 FROM"
                                + " unnest(?1::bigint[]) x(position) WHERE x.position >="
                                + " p.from_position AND x.position < p.to_position)"
                                + " ORDER BY p.from_position) locked")
                .setParameter(1, SqlArrays.literal(positions))
                .getSingleResult();
    }

    /** What {@link #removeHidden} removed. */
    public record Removed(long events, long tags, long groupRows) {}

    /**
     * Removes the stream's hidden events with versions {@code from…to}, in one statement: the
     * events, their {@code event_tags} rows (no foreign key holds them: 2026-12-07-01), the
     * consumer groups' window and parked rows at their positions (no foreign key either), and moves
     * the stream's chain anchor up to the highest version removed, with its hash (only ever up:
     * {@code stream_chain_anchors} holds the last removed version of the chain). Each event is
     * checked again against the view and the catalogue in this statement, so one that a rule change
     * made visible, or whose range the archiver marked archived before this statement's snapshot,
     * is kept (and the caller, finding fewer removed than it expected, rolls back: a removal leaves
     * no hole in a stream). The caller takes the ranges' {@link RangeLock}s first ({@link
     * #lockArchiveRanges}), so a range the archiver is writing is waited for, and seen archived.
     * The archiver's count of the partition's rows before it drops the partition remains a second
     * check.
     */
    public Removed removeHidden(Tenant tenant, String stream, long from, long to) {
        Object[] row =
                (Object[])
                        em(tenant)
                                .createNativeQuery(
                                        "WITH removed AS (DELETE FROM events e WHERE e.tenant = ?1"
                                                + " AND e.stream_id = ?2 AND e.version BETWEEN ?3"
                                                + " AND ?4 AND NOT EXISTS (SELECT 1 FROM"
                                                + " visible_events v WHERE v.global_position ="
                                                + " e.global_position) AND NOT "
                                                + inArchivedRange("e.global_position")
                                                + " RETURNING e.global_position,"
                                                + " e.version, e.hash, e.tags),"
                                                + " tags AS (DELETE FROM event_tags t USING removed r"
                                                + " CROSS JOIN LATERAL jsonb_array_elements_text(r.tags)"
                                                + " AS g(tag) WHERE t.tenant = ?1 AND t.tag = g.tag"
                                                + " AND t.global_position = r.global_position"
                                                + " RETURNING 1),"
                                                + " windows AS (DELETE FROM consumer_group_events c"
                                                + " USING removed r WHERE c.tenant = ?1"
                                                + " AND c.global_position = r.global_position"
                                                + " RETURNING 1),"
                                                + " parked AS (DELETE FROM consumer_group_parked p"
                                                + " USING removed r WHERE p.tenant = ?1"
                                                + " AND p.global_position = r.global_position"
                                                + " RETURNING 1),"
                                                + " anchor AS (INSERT INTO stream_chain_anchors"
                                                + " (tenant, stream_id, version, hash)"
                                                + " SELECT ?1, ?2, r.version, r.hash FROM removed r"
                                                + " ORDER BY r.version DESC LIMIT 1"
                                                + " ON CONFLICT (tenant, stream_id) DO UPDATE SET"
                                                + " version = EXCLUDED.version,"
                                                + " hash = EXCLUDED.hash WHERE"
                                                + " stream_chain_anchors.version < EXCLUDED.version)"
                                                + " SELECT (SELECT count(*) FROM removed),"
                                                + " (SELECT count(*) FROM tags),"
                                                + " (SELECT count(*) FROM windows)"
                                                + " + (SELECT count(*) FROM parked)")
                                .setParameter(1, tenant.value())
                                .setParameter(2, stream)
                                .setParameter(3, from)
                                .setParameter(4, to)
                                .getSingleResult();
        return new Removed(
                ((Number) row[0]).longValue(),
                ((Number) row[1]).longValue(),
                ((Number) row[2]).longValue());
    }

    /**
     * Removes the stream's snapshots that no read can return any more: all of them when the stream
     * is deleted (soft or hard), else those below its first visible version minus one (the events
     * right after them are hidden, so they cannot be continued). The first visible version is the
     * one reads use ({@link ReadProbe#firstVisibleVersion}: archive-aware, so a stream whose
     * visible events are all archived keeps its snapshots).
     */
    public List<RemovedSnapshot> removeHiddenSnapshots(Tenant tenant, String stream) {
        long firstVisible = probe.firstVisibleVersion(tenant, StreamId.of(stream));
        List<RemovedSnapshot> removed = new ArrayList<>();
        for (Object result :
                em(tenant)
                        .createNativeQuery(
                                "DELETE FROM snapshots sn USING streams s WHERE sn.tenant = ?1"
                                        + " AND sn.stream_id = ?2 AND s.tenant = ?1"
                                        + " AND s.stream_id = ?2 AND (s.deleted IS NOT NULL"
                                        + " OR sn.version < ?3 - 1)"
                                        + " RETURNING sn.version, sn.created_at")
                        .setParameter(1, tenant.value())
                        .setParameter(2, stream)
                        .setParameter(3, firstVisible)
                        .getResultList()) {
            Object[] row = (Object[]) result;
            removed.add(new RemovedSnapshot(((Number) row[0]).longValue(), instant(row[1])));
        }
        return removed;
    }

    /** Whether {@code failure} is a lock not granted within the transaction's lock timeout. */
    public static boolean isLockTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql
                    && (LOCK_NOT_AVAILABLE.equals(sql.getSQLState())
                            || (sql.getNextException() != null
                                    && LOCK_NOT_AVAILABLE.equals(
                                            sql.getNextException().getSQLState())))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static Instant instant(Object value) {
        return value == null ? null : ((Timestamp) value).toInstant();
    }
}
