package io.arbor.infrastructure.partitions;

import io.arbor.domain.partitions.PartitionPlan;
import io.arbor.domain.partitions.PositionRange;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps the events table's range partitions ahead of the global log (docs/design.md, "The
 * partitioned events table"; changeset 2026-12-09-01): at deploy, and every {@code
 * arbor.partitions.check-interval-seconds}, it creates the partitions {@link PartitionPlan} asks
 * for, so that at least {@code arbor.partitions.ahead} empty ones of {@code arbor.partitions.size}
 * positions lie above the highest position in use; rows that landed in the default partition
 * meanwhile (maintenance off or behind) move into the partition created for their range. Then it
 * seals the partitions whose positions are all settled: it records their newest {@code recorded_at}
 * in the catalogue {@code event_partitions}, which maps "older than" onto positions.
 *
 * <p>Each check is one short transaction on a connection of the owner's pool ({@code
 * jdbc/arbor-owner}: only the table's owner may create and attach partitions), under a
 * transaction-level advisory lock that it only tries ({@value #LOCK_HIGH}, {@value #LOCK_LOW}: the
 * two-integer key space, apart from the global log's in-flight positions), so instances take turns
 * and a busy one is skipped, and with a {@code lock_timeout}, so it never queues appends behind it
 * for long: a check that meets a lock gives up and the next one tries again. Idempotent: the plan
 * comes from the catalogue, which the same transaction extends.
 *
 * <p>A new partition is created as a plain table like {@code events}, filled with its range's rows
 * from the default partition (deleted there in the same statement: both sides are partitions, not
 * the parent, so the key table's triggers do not fire and the keys, which name positions, stay as
 * they are), given a CHECK constraint that implies its bounds and then attached: ATTACH skips its
 * scan of the new table, takes only a SHARE UPDATE EXCLUSIVE lock on {@code events} (reads go on)
 * and builds the partition's indexes. The default partition is locked for the whole transaction, so
 * no row of the range can arrive there between the move and the attach (which scans the default for
 * such rows). The partition's foreign key to {@code streams} locks {@code streams} against writes
 * until the check commits: appends wait for that (milliseconds, once per partition), and the check
 * waits at most its lock timeout for the appends in progress. The locks are taken up front, in an
 * order that cannot leave the check in a deadlock that costs another transaction (see {@link
 * #createDue}).
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EventPartitions {
    private static final Logger LOG = Logger.getLogger(EventPartitions.class.getName());

    /** 'Arbo' in ASCII, as the global log's critical section (1098015343, 0). */
    public static final int LOCK_HIGH = 1098015343;

    public static final int LOCK_LOW = 1;

    @Resource(lookup = "jdbc/arbor-owner")
    DataSource ownerDataSource;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "arbor.partitions.size")
    long size;

    @Inject
    @ConfigProperty(name = "arbor.partitions.ahead")
    int ahead;

    @Inject
    @ConfigProperty(name = "arbor.partitions.check-interval-seconds")
    long checkIntervalSeconds;

    @Inject
    @ConfigProperty(name = "arbor.partitions.lock-timeout-ms")
    long lockTimeoutMillis;

    private ScheduledFuture<?> checks;

    /** What one check did: the partitions it created, and the rows it moved out of the default. */
    public record Outcome(List<PositionRange> created, long movedRows, int sealed) {}

    @PostConstruct
    void start() {
        if (size < 1 || ahead < 1) {
            throw new IllegalStateException(
                    "arbor.partitions.size and arbor.partitions.ahead must be at least 1");
        }
        // At deploy, but on the scheduler's thread, not the deployment's: sealing scans each
        // settled partition once (after the migration of a large store, all of events_p0), which
        // must not hold the deployment up. A failure is logged, not fatal; appends land in the
        // default partition until a later check succeeds.
        if (checkIntervalSeconds > 0) {
            checks =
                    scheduler.scheduleWithFixedDelay(
                            this::checkAndLog, 0, checkIntervalSeconds, TimeUnit.SECONDS);
        } else {
            scheduler.execute(this::checkAndLog);
        }
    }

    @PreDestroy
    void stop() {
        if (checks != null) {
            checks.cancel(false);
        }
    }

    private void checkAndLog() {
        try {
            Outcome outcome = check();
            if (!outcome.created().isEmpty()) {
                LOG.info(
                        "Created events partitions "
                                + outcome.created()
                                + (outcome.movedRows() > 0
                                        ? ", moving "
                                                + outcome.movedRows()
                                                + " rows from the default"
                                        : ""));
            }
        } catch (SQLException | RuntimeException failed) {
            LOG.log(
                    Level.WARNING,
                    "Events partitions not checked (next try in "
                            + checkIntervalSeconds
                            + " s): "
                            + failed.getMessage(),
                    failed);
        }
    }

    /**
     * One check: creates the partitions due (moving the default partition's rows of their ranges
     * into them), then seals the settled ones. Does nothing while another instance checks.
     */
    public Outcome check() throws SQLException {
        try (Connection connection = ownerDataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Outcome outcome = createDue(connection);
                connection.commit();
                int sealed = seal(connection);
                connection.commit();
                return new Outcome(outcome.created(), outcome.movedRows(), sealed);
            } catch (SQLException | RuntimeException failed) {
                connection.rollback();
                throw failed;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private Outcome createDue(Connection connection) throws SQLException {
        if (!lockedForThisTransaction(connection)
                || PartitionPlan.next(existing(connection), highestInUse(connection), size, ahead)
                        .isEmpty()) {
            return new Outcome(List.of(), 0, 0);
        }
        // Some partition is due. The whole partitioned table is locked first (ACCESS EXCLUSIVE on
        // events, and so on every partition): ATTACH alone would lock only the default partition
        // and, for the partition's copy of the foreign key, streams, and a reader or writer that
        // had planned its statement on the old list of partitions would then wait for the default
        // partition and run after the move, finding the moved rows neither there nor (absent from
        // its plan) in the new partition: a read missing committed events (which the global log's
        // horizon then skips for good), an insert refused by the default's new constraint. With
        // events locked, every statement waits before planning and plans on the new list. The lock
        // lasts while the due partitions are created and the default partition's rows of their
        // ranges moved: milliseconds when the default is empty (the usual case, partitions made
        // ahead), longer when maintenance fell behind (docs/operations.md). Then streams, for at
        // most the lock timeout, which stays below PostgreSQL's deadlock_timeout (1 s): in a cycle
        // with an append holding its stream row and waiting for events, this check gives up first
        // and the append goes on; the next check tries again.
        execute(connection, "LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
        execute(connection, "LOCK TABLE streams IN SHARE ROW EXCLUSIVE MODE");
        List<PositionRange> due =
                PartitionPlan.next(existing(connection), highestInUse(connection), size, ahead);
        long moved = 0;
        for (PositionRange range : due) {
            moved += create(connection, range);
        }
        return new Outcome(due, moved, 0);
    }

    /** The range partitions, from the catalogue, in position order. */
    private static List<PositionRange> existing(Connection connection) throws SQLException {
        List<PositionRange> existing = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery(
                                "SELECT from_position, to_position FROM event_partitions"
                                        + " ORDER BY from_position")) {
            while (rows.next()) {
                existing.add(new PositionRange(rows.getLong(1), rows.getLong(2)));
            }
        }
        return existing;
    }

    /** Takes this check's advisory lock, if free, and sets the transaction's lock timeout. */
    private boolean lockedForThisTransaction(Connection connection) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement(
                        "SELECT pg_try_advisory_xact_lock(?, ?),"
                                + " set_config('lock_timeout', ?, true)")) {
            statement.setInt(1, LOCK_HIGH);
            statement.setInt(2, LOCK_LOW);
            statement.setString(3, lockTimeoutMillis + "ms");
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    /** The highest position handed out by the sequence or stored in the default partition. */
    private static long highestInUse(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row =
                        statement.executeQuery(
                                "SELECT greatest((SELECT CASE WHEN is_called THEN last_value"
                                        + " ELSE last_value - 1 END FROM events_global_position_seq),"
                                        + " (SELECT max(global_position) FROM events_default), 0)")) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Creates, fills from the default partition and attaches {@code range}'s partition. */
    private static long create(Connection connection, PositionRange range) throws SQLException {
        String name = range.partitionName();
        String bounds =
                "global_position >= " + range.from() + " AND global_position < " + range.to();
        execute(
                connection,
                "CREATE TABLE " + name + " (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
        execute(
                connection,
                "ALTER TABLE "
                        + name
                        + " ADD CONSTRAINT "
                        + name
                        + "_bounds CHECK ("
                        + bounds
                        + ")");
        long moved;
        try (Statement statement = connection.createStatement()) {
            moved =
                    statement.executeUpdate(
                            "WITH moved AS (DELETE FROM events_default WHERE "
                                    + bounds
                                    + " RETURNING *) INSERT INTO "
                                    + name
                                    + " SELECT * FROM moved");
        }
        execute(
                connection,
                "ALTER TABLE events ATTACH PARTITION "
                        + name
                        + " FOR VALUES FROM ("
                        + range.from()
                        + ") TO ("
                        + range.to()
                        + ")");
        execute(connection, "ALTER TABLE " + name + " DROP CONSTRAINT " + name + "_bounds");
        try (PreparedStatement catalogue =
                connection.prepareStatement(
                        "INSERT INTO event_partitions (partition_name, from_position, to_position,"
                                + " state, created_at) VALUES (?, ?, ?, 'attached', now())")) {
            catalogue.setString(1, name);
            catalogue.setLong(2, range.from());
            catalogue.setLong(3, range.to());
            catalogue.executeUpdate();
        }
        return moved;
    }

    /**
     * Records the newest {@code recorded_at} of each partition whose positions are all settled
     * (below the global log's horizon: no append can still add to it) and that holds events; a scan
     * of each such partition, once.
     */
    private int seal(Connection connection) throws SQLException {
        if (!lockedForThisTransaction(connection)) {
            return 0;
        }
        List<String> settled = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery(
                                "SELECT partition_name FROM event_partitions"
                                        + " WHERE max_recorded_at IS NULL"
                                        + " AND to_position <= global_log_horizon() + 1"
                                        + " ORDER BY from_position")) {
            while (rows.next()) {
                settled.add(rows.getString(1));
            }
        }
        int sealed = 0;
        for (String name : settled) {
            try (PreparedStatement statement =
                    connection.prepareStatement(
                            "UPDATE event_partitions SET max_recorded_at = newest.at FROM"
                                    + " (SELECT max(recorded_at) AS at FROM "
                                    + name
                                    + ") newest WHERE partition_name = ?"
                                    + " AND newest.at IS NOT NULL")) {
                statement.setString(1, name);
                sealed += statement.executeUpdate();
            }
        }
        return sealed;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
