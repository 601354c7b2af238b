package io.arbor.infrastructure.archive;

import io.arbor.archive.ArchiveReader;
import io.arbor.archive.ArchiveWriter;
import io.arbor.archive.ArchivedEvent;
import io.arbor.archive.SegmentManifest;
import io.arbor.archive.SegmentName;
import io.arbor.domain.InvalidInputException;
import io.arbor.domain.archive.ArchiveJob;
import io.arbor.domain.archive.ArchiveJobNotFoundException;
import io.arbor.domain.archive.ArchiveNotConfiguredException;
import io.arbor.domain.archive.ArchiveRange;
import io.arbor.domain.archive.ArchiveState;
import io.arbor.infrastructure.partitions.EventPartitions;
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
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Moves sealed range partitions of the events table into archive segments and back
 * (docs/archive.md, "The archiver"; changeset 2026-12-10-01). Each range partition is in one of
 * three states ({@link ArchiveState}), and each transition is one transaction on a connection of
 * the owner's pool ({@code jdbc/arbor-owner}: only the table's owner may detach, drop and attach
 * partitions) under {@link EventPartitions}' advisory lock, so it never runs beside a partition
 * check or another transition (on any instance), and with that check's {@code lock_timeout}:
 *
 * <ol>
 *   <li><b>attached → archived</b> ({@link #archive}): the partition's rows, in position order,
 *       through {@link ArchiveWriter} (fsync, read-back check, atomic renames), then the catalogue
 *       row: {@code state='archived'}, the segment's figures. Only partitions that are sealed
 *       ({@code max_recorded_at} set) and whose events are all hashed; chosen by position ({@code
 *       belowPosition}: {@code to_position <= belowPosition}) or, for the scheduled pass, by age
 *       ({@code arbor.archive.older-than-days}); oldest first.
 *   <li><b>archived → detached</b>: at least {@code arbor.archive.grace-seconds} after the state
 *       changed (every instance's readers have switched to the archive by then), and only while the
 *       segment's data file still has the size and SHA-256 the catalogue recorded: {@code LOCK
 *       TABLE events}, {@code DETACH PARTITION}, {@code DROP TABLE} and the catalogue update in one
 *       transaction (DDL is transactional: a crash leaves all of it or none).
 *   <li><b>restore</b> ({@link #restore}): an archived range just becomes attached (its rows never
 *       left); a detached one gets its partition table back, filled from the segment straight into
 *       the partition (the key table already holds the keys: the parent's statement triggers must
 *       not fire), then attached. Its segment is moved to {@code <dir>/restored/} by a later pass,
 *       a grace after the restore (readers may still be reading it until then).
 * </ol>
 *
 * <p>So, whatever is killed when: every range is in PostgreSQL, or in a committed verified segment,
 * or both. Leftovers are cleaned by the next pass: {@code .partial} files and data files without a
 * manifest (interrupted writes, harmless: readers ignore them), and the segment of an attached
 * range (a write that committed before the catalogue update, or a restore's).
 *
 * <p>A state change is announced on this instance by the CDI event {@link ArchiveStateChanged},
 * after its commit, for the read side's view of the archived ranges.
 */
@Singleton
@Startup
@DependsOn({"SchemaMigration", "EventPartitions"})
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EventArchiver {
    private static final Logger LOG = Logger.getLogger(EventArchiver.class.getName());

    /** PostgreSQL's lock_not_available: a lock_timeout expired. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    /** How long a run asked for waits for the advisory lock (the scheduled pass only tries it). */
    private static final long PATIENCE_MILLIS = 60_000;

    private static final int INSERT_BATCH = 1000;

    /** The shortest grace accepted: readers refresh their view every grace / 4. */
    static final long MIN_GRACE_SECONDS = 1;

    /** How often a running job renews its heartbeat. */
    static final long HEARTBEAT_SECONDS = 5;

    /**
     * Heartbeats missed before a running job counts as abandoned: twelve (a minute), not three,
     * since a beat on a loaded machine waits for a connection of the owner's small pool, which the
     * job and a partition check may hold (three missed made live jobs look dead in the suite).
     */
    static final long MISSED_BEATS = 12;

    private static final String COLUMNS =
            "global_position, event_id, stream_id, version, category, type, schema_version, data,"
                    + " metadata, recorded_at, tenant, written_by, tags, hash";

    @Resource(lookup = "jdbc/arbor-owner")
    DataSource ownerDataSource;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "arbor.archive.dir")
    Optional<String> dir;

    @Inject
    @ConfigProperty(name = "arbor.archive.older-than-days")
    long olderThanDays;

    @Inject
    @ConfigProperty(name = "arbor.archive.grace-seconds")
    long graceSeconds;

    @Inject
    @ConfigProperty(name = "arbor.archive.check-interval-seconds")
    long checkIntervalSeconds;

    @Inject
    @ConfigProperty(name = "arbor.partitions.lock-timeout-ms")
    long lockTimeoutMillis;

    @Inject Event<ArchiveStateChanged> stateChanged;

    /** This instance as a job's owner (for the operator: jobs are failed by heartbeat). */
    private final String owner =
            System.getProperty("com.sun.aas.instanceName", "arbor") + "/" + UUID.randomUUID();

    /** One run at a time on this instance; the advisory lock serialises instances. */
    private final ReentrantLock runs = new ReentrantLock();

    private ScheduledFuture<?> passes;

    /** What a run did. */
    public record Pass(int archived, int detached, int restored, int skipped, long events) {}

    /** A run's counts as it goes. */
    private static final class Tally {
        int archived;
        int detached;
        int restored;
        int skipped;
        long events;

        Pass pass() {
            return new Pass(archived, detached, restored, skipped, events);
        }
    }

    @PostConstruct
    void start() {
        if (olderThanDays < 0 || checkIntervalSeconds < 0) {
            throw new IllegalStateException(
                    "arbor.archive.older-than-days and check-interval-seconds must not be"
                            + " negative");
        }
        if (graceSeconds < MIN_GRACE_SECONDS) {
            // With a grace of 0 a drop may follow the state change at once, under a reader of
            // another instance whose view still sends it to PostgreSQL (review of issue 20, S11).
            throw new IllegalStateException(
                    "arbor.archive.grace-seconds is "
                            + graceSeconds
                            + ": it must be at least "
                            + MIN_GRACE_SECONDS
                            + " (readers of every instance must see a range archived before its"
                            + " rows are dropped; docs/archive.md)");
        }
        try (Connection connection = ownerDataSource.getConnection()) {
            failAbandonedJobs(connection, null);
        } catch (SQLException failed) {
            LOG.log(Level.WARNING, "Abandoned archive jobs not closed", failed);
        }
        if (configured() && checkIntervalSeconds > 0) {
            passes =
                    scheduler.scheduleWithFixedDelay(
                            this::scheduledPass,
                            checkIntervalSeconds,
                            checkIntervalSeconds,
                            TimeUnit.SECONDS);
        }
    }

    @PreDestroy
    void stop() {
        if (passes != null) {
            passes.cancel(false);
        }
    }

    /** Whether {@code arbor.archive.dir} is set (else nothing is archived, reads are untouched). */
    public boolean configured() {
        return directory().isPresent();
    }

    /** The archive directory, when configured. */
    public Optional<Path> directory() {
        return dir.map(String::strip).filter(text -> !text.isEmpty()).map(Path::of);
    }

    /**
     * The grace between a state change and what may follow it ({@code
     * arbor.archive.grace-seconds}).
     */
    public long graceSeconds() {
        return graceSeconds;
    }

    /** Every range partition, in position order, as the catalogue holds it. */
    public List<ArchiveRange> ranges() {
        try (Connection connection = ownerDataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery(
                                "SELECT from_position, to_position, state, state_changed_at,"
                                        + " archive_events, archive_bytes, archive_sha256,"
                                        + " max_recorded_at FROM event_partitions"
                                        + " ORDER BY from_position")) {
            List<ArchiveRange> ranges = new ArrayList<>();
            while (rows.next()) {
                ranges.add(
                        new ArchiveRange(
                                rows.getLong(1),
                                rows.getLong(2),
                                ArchiveState.of(rows.getString(3)),
                                instant(rows, 4),
                                (Long) rows.getObject(5),
                                (Long) rows.getObject(6),
                                rows.getString(7),
                                instant(rows, 8)));
            }
            return ranges;
        } catch (SQLException failed) {
            throw new IllegalStateException("The archive catalogue cannot be read", failed);
        }
    }

    /**
     * One run, now, on the calling thread: cleans leftovers, archives the sealed, hashed, attached
     * partitions below {@code belowPosition} (null: those older than {@code
     * arbor.archive.older-than-days}; none when that is 0), then detaches the archived ones whose
     * grace has passed. Waits for the advisory lock (up to a minute) rather than skipping.
     *
     * @param belowPosition archive the partitions with {@code to_position <= belowPosition}
     * @param waitForGrace when true and this run archived something, it waits out the grace and
     *     detaches what it archived too (a run asked for by hand ends with the ranges detached)
     * @throws ArchiveNotConfiguredException when {@code arbor.archive.dir} is empty
     * @throws InvalidInputException when {@code belowPosition} is negative
     */
    public Pass archive(Long belowPosition, boolean waitForGrace) {
        requireDirectory();
        if (belowPosition != null && belowPosition < 0) {
            throw new InvalidInputException(
                    "/belowPosition", "belowPosition is a position, at least 0");
        }
        runs.lock();
        try {
            Path directory = ownDirectory();
            Tally tally = new Tally();
            run(directory, belowPosition, true, tally);
            if (waitForGrace && tally.archived > 0) {
                sleep(graceSeconds * 1000 + 500);
                detachDue(directory, true, tally);
            }
            return tally.pass();
        } catch (IOException | SQLException failed) {
            throw new IllegalStateException("Archive run failed: " + failed.getMessage(), failed);
        } finally {
            runs.unlock();
        }
    }

    /**
     * Attaches the range starting at {@code from} again, now, on the calling thread: an archived
     * range's rows never left; a detached one's are put back from its segment, byte for byte.
     * Nothing to do for an attached range.
     *
     * @throws ArchiveNotConfiguredException when {@code arbor.archive.dir} is empty
     * @throws InvalidInputException when no range partition starts at {@code from}
     */
    public Pass restore(long from) {
        requireDirectory();
        requireRange(from);
        runs.lock();
        try {
            Path directory = ownDirectory();
            Tally tally = new Tally();
            restoreRange(directory, from, tally);
            return tally.pass();
        } catch (IOException | SQLException failed) {
            throw new IllegalStateException(
                    "Restore of the range from " + from + " failed: " + failed.getMessage(),
                    failed);
        } finally {
            runs.unlock();
        }
    }

    /** Starts {@link #archive archive(belowPosition, true)} as a job; its row as it starts. */
    public ArchiveJob startArchive(Long belowPosition) {
        requireDirectory();
        if (belowPosition != null && belowPosition < 0) {
            throw new InvalidInputException(
                    "/belowPosition", "belowPosition is a position, at least 0");
        }
        UUID jobId = insertJob("archive", belowPosition);
        scheduler.execute(() -> runJob(jobId, () -> archive(belowPosition, true)));
        return job(jobId);
    }

    /** Starts {@link #restore restore(from)} as a job; its row as it starts. */
    public ArchiveJob startRestore(long from) {
        requireDirectory();
        requireRange(from);
        UUID jobId = insertJob("restore", from);
        scheduler.execute(() -> runJob(jobId, () -> restore(from)));
        return job(jobId);
    }

    /**
     * A job as its row stands.
     *
     * @throws ArchiveJobNotFoundException when there is none with this id
     */
    public ArchiveJob job(UUID jobId) {
        try (Connection connection = ownerDataSource.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement(
                                "SELECT job_id, kind, state, position, requested_at, finished_at,"
                                        + " archived, detached, restored, skipped, events, failure"
                                        + " FROM archive_jobs WHERE job_id = ?")) {
            failAbandonedJobs(connection, jobId);
            statement.setObject(1, jobId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw new ArchiveJobNotFoundException(jobId);
                }
                return new ArchiveJob(
                        row.getObject(1, UUID.class),
                        row.getString(2),
                        row.getString(3),
                        (Long) row.getObject(4),
                        instant(row, 5),
                        instant(row, 6),
                        row.getInt(7),
                        row.getInt(8),
                        row.getInt(9),
                        row.getInt(10),
                        row.getLong(11),
                        row.getString(12));
            }
        } catch (SQLException failed) {
            throw new IllegalStateException("The archive jobs cannot be read", failed);
        }
    }

    // ---- runs ----------------------------------------------------------------------------------

    private void scheduledPass() {
        if (!runs.tryLock()) {
            return;
        }
        try {
            Tally tally = new Tally();
            run(ownDirectory(), null, false, tally);
            if (tally.archived + tally.detached > 0) {
                LOG.info(
                        "Archive pass: "
                                + tally.archived
                                + " ranges archived ("
                                + tally.events
                                + " events), "
                                + tally.detached
                                + " detached");
            }
        } catch (IOException | SQLException | RuntimeException failed) {
            LOG.log(
                    Level.WARNING,
                    "Archive pass failed (next try in "
                            + checkIntervalSeconds
                            + " s): "
                            + failed.getMessage(),
                    failed);
        } finally {
            runs.unlock();
        }
    }

    private void run(Path directory, Long belowPosition, boolean patient, Tally tally)
            throws IOException, SQLException {
        Files.createDirectories(directory);
        cleanUp(directory, patient);
        for (String partition : toArchive(belowPosition)) {
            // One range that cannot be archived (an unreadable row, a full disk) must not keep
            // every later range out of the archive for ever (review of issue 20, S1): the archive
            // need not be a prefix of the log, since readers look each range up in the catalogue.
            // It is logged and counted as skipped; the next pass tries it again.
            try {
                retryingLocks(
                        patient,
                        "archiving " + partition,
                        tally,
                        () -> archivePartition(directory, partition, patient, tally));
            } catch (IOException | SQLException | RuntimeException failed) {
                LOG.log(
                        Level.SEVERE,
                        "Could not archive "
                                + partition
                                + " (skipped; tried again by the next pass): "
                                + failed.getMessage(),
                        failed);
                tally.skipped++;
            }
        }
        detachDue(directory, patient, tally);
    }

    /** The attached, sealed partitions chosen by position or age, oldest first. */
    private List<String> toArchive(Long belowPosition) throws SQLException {
        String chosen;
        if (belowPosition != null) {
            chosen = "to_position <= ?";
        } else if (olderThanDays > 0) {
            chosen = "max_recorded_at < now() - make_interval(days => ?)";
        } else {
            return List.of();
        }
        try (Connection connection = ownerDataSource.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement(
                                "SELECT partition_name FROM event_partitions WHERE state ="
                                        + " 'attached' AND max_recorded_at IS NOT NULL AND "
                                        + chosen
                                        + " ORDER BY from_position")) {
            if (belowPosition != null) {
                statement.setLong(1, belowPosition);
            } else {
                statement.setInt(1, Math.toIntExact(olderThanDays));
            }
            return names(statement);
        }
    }

    /**
     * Attached → archived, for one partition. {@code state_changed_at} is the clock at the update,
     * not {@code now()} (the transaction's start, before a write that may take longer than the
     * grace): the grace must count from when readers can see the new state.
     */
    private void archivePartition(Path directory, String partition, boolean patient, Tally tally)
            throws IOException, SQLException {
        Archived archived =
                inTransaction(
                        connection ->
                                archiveRows(connection, directory, partition, patient, tally));
        if (archived == null) {
            return;
        }
        ArchiveRange range = archived.range();
        SegmentManifest manifest = archived.manifest();
        tally.archived++;
        tally.events += manifest.events();
        LOG.info(
                "Archived "
                        + partition
                        + " ["
                        + range.from()
                        + ", "
                        + range.to()
                        + "): "
                        + manifest.events()
                        + " events, "
                        + manifest.fileSize()
                        + " bytes");
        announce(range, ArchiveState.ARCHIVED);
    }

    /** A range archived, and its segment. */
    private record Archived(ArchiveRange range, SegmentManifest manifest) {}

    /** {@link #archivePartition}'s transaction; null when the range is skipped. */
    private Archived archiveRows(
            Connection connection, Path directory, String partition, boolean patient, Tally tally)
            throws IOException, SQLException {
        Optional<ArchiveRange> locked = lockRow(connection, partition, patient);
        if (locked.isEmpty() || locked.get().state() != ArchiveState.ATTACHED) {
            skip(connection, tally, locked.isEmpty());
            return null;
        }
        ArchiveRange range = locked.get();
        if (unhashed(connection, partition)) {
            LOG.warning(
                    "Not archiving "
                            + partition
                            + ": some of its events are not hashed yet (the hash-chain"
                            + " backfill has not reached them; docs/tamper-evidence.md)");
            skip(connection, tally, true);
            return null;
        }
        // No scavenge deletes rows of the range from here to the commit of its new state
        // (second review of issue 20, #1): its batches take the range's lock shared before
        // they delete (RangeLock), and one that waited sees the range archived and keeps its
        // rows. The segment holds exactly the rows PostgreSQL keeps. No table is locked.
        lockRange(connection, range.from());
        SegmentName name = new SegmentName(range.from(), range.to());
        if (!clearStaleSegment(connection, partition, directory, name)) {
            skip(connection, tally, true);
            return null;
        }
        SegmentManifest manifest = write(connection, directory, partition, name);
        try (PreparedStatement update =
                connection.prepareStatement(
                        "UPDATE event_partitions SET state = 'archived', state_changed_at"
                                + " = clock_timestamp(), archive_events = ?, archive_bytes = ?,"
                                + " archive_sha256 = ? WHERE partition_name = ?"
                                + " AND state = 'attached'")) {
            update.setLong(1, manifest.events());
            update.setLong(2, manifest.fileSize());
            update.setString(3, manifest.fileSha256());
            update.setString(4, partition);
            update.executeUpdate();
        }
        return new Archived(range, manifest);
    }

    /** The partition's rows, in position order, into a committed segment. */
    private static SegmentManifest write(
            Connection connection, Path directory, String partition, SegmentName name)
            throws IOException, SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement(
                        "SELECT global_position, event_id, stream_id, version, category, type,"
                                + " schema_version, data::text, metadata::text, recorded_at,"
                                + " tenant, written_by,"
                                + " ARRAY(SELECT jsonb_array_elements_text(tags)),"
                                + " encode(hash, 'hex') FROM "
                                + partition
                                + " ORDER BY global_position")) {
            // A cursor (autocommit is off): one fetch of rows in memory, not the partition.
            statement.setFetchSize(INSERT_BATCH);
            try (ResultSet rows = statement.executeQuery()) {
                return new ArchiveWriter(directory)
                        .write(name.from(), name.to(), new RowIterator(rows));
            } catch (UncheckedSqlException failed) {
                throw failed.getCause();
            }
        }
    }

    /** The rows of a result set as archived events (the writer pulls them one at a time). */
    private static final class RowIterator implements Iterator<ArchivedEvent> {
        private final ResultSet rows;
        private Boolean ahead;

        RowIterator(ResultSet rows) {
            this.rows = rows;
        }

        @Override
        public boolean hasNext() {
            if (ahead == null) {
                try {
                    ahead = rows.next();
                } catch (SQLException failed) {
                    throw new UncheckedSqlException(failed);
                }
            }
            return ahead;
        }

        @Override
        public ArchivedEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ahead = null;
            try {
                Array tags = rows.getArray(13);
                return new ArchivedEvent(
                        rows.getString(11),
                        rows.getLong(1),
                        rows.getObject(2, UUID.class),
                        rows.getString(3),
                        rows.getLong(4),
                        rows.getString(5),
                        rows.getString(6),
                        rows.getInt(7),
                        rows.getString(8),
                        rows.getString(9),
                        Arrays.asList((String[]) tags.getArray()),
                        rows.getObject(10, OffsetDateTime.class).toInstant(),
                        rows.getString(12),
                        rows.getString(14));
            } catch (SQLException failed) {
                throw new UncheckedSqlException(failed);
            }
        }
    }

    private static final class UncheckedSqlException extends RuntimeException {
        UncheckedSqlException(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    /**
     * Before a range is archived: a committed segment of it is stale (its range is attached: a
     * write that committed before the catalogue update, or a restored range's) and is moved aside,
     * once the grace since the range's last change has passed (a reader may still be on it). False
     * when the range cannot be archived now: within that grace, or a segment overlapping it that is
     * not its own (another layout of partitions; an operator's matter).
     */
    private boolean clearStaleSegment(
            Connection connection, String partition, Path directory, SegmentName name)
            throws IOException, SQLException {
        for (SegmentName committed : ArchiveReader.open(directory).ranges()) {
            if (!committed.overlaps(name)) {
                continue;
            }
            if (!committed.equals(name)) {
                LOG.warning(
                        "Not archiving "
                                + name
                                + ": the archive holds the overlapping segment "
                                + committed
                                + ", which is not this range's (docs/archive.md)");
                return false;
            }
            if (!graceOver(connection, partition)) {
                return false;
            }
            moveAside(directory, committed);
        }
        return true;
    }

    /** Archived → detached, for each archived range whose grace has passed. */
    private void detachDue(Path directory, boolean patient, Tally tally)
            throws IOException, SQLException {
        List<String> due;
        try (Connection connection = ownerDataSource.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement(
                                "SELECT partition_name FROM event_partitions WHERE state ="
                                        + " 'archived' AND state_changed_at <= now() -"
                                        + " make_interval(secs => ?) ORDER BY from_position")) {
            statement.setLong(1, graceSeconds);
            due = names(statement);
        }
        for (String partition : due) {
            detach(directory, partition, patient, tally);
        }
    }

    private void detach(Path directory, String partition, boolean patient, Tally tally)
            throws IOException, SQLException {
        retryingLocks(
                patient,
                "detaching " + partition,
                tally,
                () -> detachOnce(directory, partition, patient, tally));
    }

    /** One step of a run, in a transaction of its own. */
    @FunctionalInterface
    private interface Step {
        void run() throws IOException, SQLException;
    }

    /**
     * Runs {@code step}, again after a lock timeout (its transaction rolled back): a run asked for
     * tries a busy table 20 times, waiting longer each time; the scheduled pass once, and the next
     * pass tries again. A step that stays busy counts as skipped.
     */
    private static void retryingLocks(boolean patient, String what, Tally tally, Step step)
            throws IOException, SQLException {
        int attempts = patient ? 20 : 1;
        for (int attempt = 1; ; attempt++) {
            try {
                step.run();
                return;
            } catch (SQLException failed) {
                if (!LOCK_NOT_AVAILABLE.equals(failed.getSQLState())) {
                    throw failed;
                }
                if (attempt == attempts) {
                    LOG.info("Not " + what + " now: a lock it needs is busy (next pass)");
                    tally.skipped++;
                    return;
                }
                sleep(250L * attempt);
            }
        }
    }

    private void detachOnce(Path directory, String partition, boolean patient, Tally tally)
            throws IOException, SQLException {
        Detached detached =
                inTransaction(
                        connection -> detachRows(connection, directory, partition, patient, tally));
        if (detached == null) {
            return;
        }
        if (detached.state() == ArchiveState.ATTACHED) {
            tally.skipped++;
        } else {
            tally.detached++;
            LOG.info(
                    "Detached and dropped "
                            + partition
                            + " (events locked for "
                            + (System.nanoTime() - detached.lockedAt()) / 1_000_000
                            + " ms): the archive alone holds its range");
        }
        announce(detached.range(), detached.state());
    }

    /**
     * A range's state after {@link #detachOnce}: detached, or attached again; when the lock on
     * events was taken ({@link System#nanoTime}; held until the commit).
     */
    private record Detached(ArchiveRange range, ArchiveState state, long lockedAt) {}

    /** {@link #detachOnce}'s transaction; null when the range is skipped. */
    private Detached detachRows(
            Connection connection, Path directory, String partition, boolean patient, Tally tally)
            throws IOException, SQLException {
        Optional<ArchiveRange> locked = lockRow(connection, partition, patient);
        if (locked.isEmpty()
                || locked.get().state() != ArchiveState.ARCHIVED
                || !graceOver(connection, partition)) {
            skip(connection, tally, locked.isEmpty());
            return null;
        }
        ArchiveRange range = locked.get();
        String problem = segmentProblem(directory, range);
        if (problem != null) {
            // Never drop rows whose segment is not what was committed.
            LOG.severe(
                    "Not detaching "
                            + partition
                            + ": "
                            + problem
                            + " (check with `arbor archive verify`; the rows stay in"
                            + " PostgreSQL)");
            skip(connection, tally, true);
            return null;
        }
        // The count reads the whole partition before the lock on events, which holds every
        // read and append (second review of issue 20, #2), under the range's lock: no scavenge
        // deletes rows of the range until the commit. A scavenge batch holding a read's lock on
        // events and waiting for this range's lock, while this waits for events, is a cycle:
        // both sides' lock timeouts (200 ms) end it before deadlock_timeout (1 s) would.
        lockRange(connection, range.from());
        long rows = count(connection, partition);
        if (rows != range.events()) {
            // Scavenging deleted rows of the range after its segment was written (review
            // of issue 20, S3): dropping the rows would leave the segment holding events
            // that no longer exist. The range goes back to attached; its segment, stale,
            // is moved aside after the grace, and a later pass archives the range again.
            LOG.warning(
                    "Not detaching "
                            + partition
                            + ": it holds "
                            + rows
                            + " events, its segment "
                            + range.events()
                            + " (scavenged since it was archived); the range is attached"
                            + " again and will be archived anew");
            reattach(connection, partition);
            return new Detached(range, ArchiveState.ATTACHED, 0);
        }
        // Every statement on events waits for this lock, and plans after it without the
        // partition; one that started before holds its lock until it ends, so the drop
        // never takes rows from under a read in progress (docs/archive.md).
        long lockedAt = System.nanoTime();
        execute(connection, "LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
        execute(connection, "ALTER TABLE events DETACH PARTITION " + partition);
        execute(connection, "DROP TABLE " + partition);
        try (PreparedStatement update =
                connection.prepareStatement(
                        "UPDATE event_partitions SET state = 'detached', state_changed_at"
                                + " = clock_timestamp() WHERE partition_name = ?")) {
            update.setString(1, partition);
            update.executeUpdate();
        }
        return new Detached(range, ArchiveState.DETACHED, lockedAt);
    }

    /**
     * Null when the range's segment is committed with the data file the catalogue recorded (size
     * and SHA-256, read in full); else what is wrong.
     */
    private static String segmentProblem(Path directory, ArchiveRange range) throws IOException {
        SegmentName name = new SegmentName(range.from(), range.to());
        if (!ArchiveReader.open(directory).ranges().contains(name)) {
            return "its segment " + name + " is not in " + directory;
        }
        Path data = directory.resolve(name.dataFile());
        if (!Files.isRegularFile(data) || Files.size(data) != range.bytes()) {
            return "the data file " + data + " is missing or not " + range.bytes() + " bytes";
        }
        if (!sha256(data).equals(range.sha256())) {
            return "the data file " + data + " does not have the SHA-256 recorded at archiving";
        }
        return null;
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException absent) {
            throw new IllegalStateException(absent);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read; (read = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Detached or archived → attached. A lock timeout is tried again here only in the steps before
     * any row is inserted; the lock ATTACH needs waits in {@link #lockEvents}, keeping the insert.
     */
    private void restoreRange(Path directory, long from, Tally tally)
            throws IOException, SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                restoreOnce(directory, from, tally);
                return;
            } catch (SQLException failed) {
                if (!LOCK_NOT_AVAILABLE.equals(failed.getSQLState()) || attempt == 20) {
                    throw failed;
                }
                sleep(250L * attempt);
            }
        }
    }

    private void restoreOnce(Path directory, long from, Tally tally)
            throws IOException, SQLException {
        Restored restored = inTransaction(connection -> restoreRows(connection, directory, from));
        if (restored == null) {
            return;
        }
        ArchiveRange range = restored.range();
        tally.restored++;
        tally.events += restored.inserted();
        LOG.info(
                "Restored ["
                        + range.from()
                        + ", "
                        + range.to()
                        + ") from "
                        + range.state().text()
                        + (restored.inserted() > 0
                                ? ": " + restored.inserted() + " events put back"
                                : ""));
        announce(range, ArchiveState.ATTACHED);
    }

    /** A range attached again (as it was before), and the rows put back. */
    private record Restored(ArchiveRange range, long inserted) {}

    /** {@link #restoreOnce}'s transaction; null when the range is attached already. */
    private Restored restoreRows(Connection connection, Path directory, long from)
            throws IOException, SQLException {
        String partition = partitionStartingAt(connection, from);
        Optional<ArchiveRange> locked = lockRow(connection, partition, true);
        if (locked.isEmpty()) {
            throw new IllegalStateException(
                    "The archiver's lock stayed busy for "
                            + PATIENCE_MILLIS / 1000
                            + " s (a partition check or another archiver run)");
        }
        ArchiveRange range = locked.get();
        if (range.state() == ArchiveState.ATTACHED) {
            connection.rollback();
            return null;
        }
        long inserted = 0;
        if (range.state() == ArchiveState.DETACHED) {
            inserted = putBack(connection, directory, partition, range);
        }
        reattach(connection, partition);
        return new Restored(range, inserted);
    }

    /**
     * The detached range's partition again, as {@link EventPartitions} creates one: a plain table
     * like {@code events}, its rows from the segment (straight into it: the key table already holds
     * their keys, and the parent's key triggers must not fire), a CHECK constraint implying its
     * bounds (so ATTACH skips its scan), attached. Returns the rows put back.
     */
    private static long putBack(
            Connection connection, Path directory, String partition, ArchiveRange range)
            throws IOException, SQLException {
        SegmentName name = new SegmentName(range.from(), range.to());
        ArchiveReader reader = ArchiveReader.open(directory);
        if (!reader.ranges().contains(name)) {
            throw new IllegalStateException(
                    "The segment "
                            + name
                            + " is not in "
                            + directory
                            + ": nothing to restore from");
        }
        String bounds =
                "global_position >= " + range.from() + " AND global_position < " + range.to();
        execute(
                connection,
                "CREATE TABLE "
                        + partition
                        + " (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
        execute(
                connection,
                "ALTER TABLE "
                        + partition
                        + " ADD CONSTRAINT "
                        + partition
                        + "_bounds CHECK ("
                        + bounds
                        + ")");
        long read = 0;
        long inserted = 0;
        try (PreparedStatement insert =
                        connection.prepareStatement(
                                "INSERT INTO "
                                        + partition
                                        + " ("
                                        + COLUMNS
                                        + ") SELECT ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?,"
                                        + " ?, ?, to_jsonb(?::text[]), decode(?, 'hex') WHERE"
                                        + " EXISTS (SELECT 1 FROM event_keys WHERE tenant = ?"
                                        + " AND event_id = ? AND global_position = ?)");
                ArchiveReader.EventCursor events = reader.cursor(range.from(), range.to())) {
            int batched = 0;
            while (events.hasNext()) {
                ArchivedEvent event = events.next();
                insert.setLong(1, event.globalPosition());
                insert.setObject(2, event.eventId());
                insert.setString(3, event.streamId());
                insert.setLong(4, event.version());
                insert.setString(5, event.category());
                insert.setString(6, event.type());
                insert.setInt(7, event.schemaVersion());
                insert.setString(8, event.data());
                insert.setString(9, event.metadata());
                insert.setObject(10, OffsetDateTime.ofInstant(event.recordedAt(), ZoneOffset.UTC));
                insert.setString(11, event.tenant());
                insert.setString(12, event.writtenBy());
                insert.setArray(13, connection.createArrayOf("text", event.tags().toArray()));
                insert.setString(14, event.hash());
                // Only events whose key is still there: one scavenged while its range was archived
                // (rows and segment both held it) has lost its key, and put back it would be an
                // event id and a stream version no key protects (review of issue 20, S3).
                insert.setString(15, event.tenant());
                insert.setObject(16, event.eventId());
                insert.setLong(17, event.globalPosition());
                insert.addBatch();
                read++;
                if (++batched == INSERT_BATCH) {
                    inserted += rows(insert.executeBatch());
                    batched = 0;
                }
            }
            if (batched > 0) {
                inserted += rows(insert.executeBatch());
            }
        } catch (UncheckedIOException failed) {
            throw failed.getCause();
        }
        if (read != range.events()) {
            throw new IllegalStateException(
                    "The segment "
                            + name
                            + " gave "
                            + read
                            + " events, the catalogue recorded "
                            + range.events());
        }
        matchParent(connection, partition);
        long held = System.nanoTime();
        lockEvents(connection);
        execute(
                connection,
                "ALTER TABLE events ATTACH PARTITION "
                        + partition
                        + " FOR VALUES FROM ("
                        + range.from()
                        + ") TO ("
                        + range.to()
                        + ")");
        execute(
                connection,
                "ALTER TABLE " + partition + " DROP CONSTRAINT " + partition + "_bounds");
        LOG.info(
                "Attached "
                        + partition
                        + " again: "
                        + inserted
                        + " rows; ATTACH held events locked for "
                        + (System.nanoTime() - held) / 1_000_000
                        + " ms");
        return inserted;
    }

    /**
     * Gives the standalone table, filled, the indexes ATTACH would otherwise build under the lock
     * on {@code events} (second review of issue 20, #3): every valid index of {@code events}, the
     * primary key as a constraint (ATTACH matches a constraint's index only to a constraint), each
     * named after the partition and the parent's index. ATTACH finds them equivalent to the
     * parent's and adopts them: no index build under the lock. The foreign key to {@code streams}
     * is left to ATTACH, which copies and validates it as before: added here, ATTACH would replace
     * it, taking ACCESS EXCLUSIVE on {@code streams} under the lock on {@code events}, and its NOT
     * VALID form would hold appends (SHARE ROW EXCLUSIVE on {@code streams}) from here on.
     */
    private static void matchParent(Connection connection, String partition) throws SQLException {
        List<String> statements = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery(
                                "SELECT pg_get_indexdef(i.indexrelid), c.conname,"
                                        + " pg_get_constraintdef(c.oid) FROM pg_index i LEFT JOIN"
                                        + " pg_constraint c ON c.conindid = i.indexrelid AND"
                                        + " c.conrelid = i.indrelid WHERE i.indrelid ="
                                        + " 'events'::regclass AND i.indisvalid")) {
            while (rows.next()) {
                String constraint = rows.getString(3);
                statements.add(
                        constraint == null
                                ? indexOn(rows.getString(1), partition)
                                : "ALTER TABLE "
                                        + partition
                                        + " ADD CONSTRAINT "
                                        + partition
                                        + "_"
                                        + rows.getString(2)
                                        + " "
                                        + constraint);
            }
        }
        for (String sql : statements) {
            execute(connection, sql);
        }
    }

    private static final Pattern PARTITIONED_INDEX =
            Pattern.compile(
                    "CREATE (UNIQUE )?INDEX (\\w+) ON ONLY \\S+ (USING .*)", Pattern.DOTALL);

    /**
     * A partitioned index's definition ({@code CREATE [UNIQUE] INDEX name ON ONLY public.events
     * USING ...}) as an index of the same shape on {@code table}, named {@code <table>_<name>} when
     * that fits PostgreSQL's 63 bytes (else by PostgreSQL).
     */
    static String indexOn(String parentIndexDefinition, String table) {
        Matcher definition = PARTITIONED_INDEX.matcher(parentIndexDefinition);
        if (!definition.matches()) {
            throw new IllegalStateException(
                    "Unexpected index definition on events: " + parentIndexDefinition);
        }
        String name = table + "_" + definition.group(2);
        return "CREATE "
                + (definition.group(1) == null ? "" : definition.group(1))
                // PostgreSQL cuts names at 63 bytes (and two could then meet): past that, it names
                // the index itself, as ATTACH would
                + (name.length() <= 63 ? "INDEX " + name : "INDEX")
                + " ON "
                + table
                + " "
                + definition.group(3);
    }

    /** The catalogue row of a range whose rows are (again) all in PostgreSQL. */
    private static void reattach(Connection connection, String partition) throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement(
                        "UPDATE event_partitions SET state = 'attached', state_changed_at ="
                                + " clock_timestamp(), archive_events = NULL, archive_bytes = NULL,"
                                + " archive_sha256 = NULL WHERE partition_name = ?")) {
            update.setString(1, partition);
            update.executeUpdate();
        }
    }

    private static long count(Connection connection, String partition) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM " + partition)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static long rows(int[] counts) {
        long rows = 0;
        for (int count : counts) {
            // The driver may answer SUCCESS_NO_INFO (-2) for a batch; then each row counts.
            rows += count == Statement.SUCCESS_NO_INFO ? 1 : count;
        }
        return rows;
    }

    /**
     * {@code events} (and so every partition, {@code events_default} included) in ACCESS EXCLUSIVE
     * mode, for ATTACH, after the rows are in: a lock timeout rolls back to a savepoint and waits
     * again, so it never discards what was inserted (before, the whole range was inserted again, up
     * to 20 times; review of issue 20, S7). Reads and appends are held only from here to the
     * commit, not during the insert.
     */
    private static void lockEvents(Connection connection) throws SQLException {
        long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
        for (int attempt = 1; ; attempt++) {
            Savepoint before = connection.setSavepoint();
            try {
                execute(connection, "LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
                // ATTACH copies the foreign key to streams (SHARE ROW EXCLUSIVE on it): taken
                // here, inside the savepoint, so that a wait for an append holding streams (which
                // then waits for events) ends by the lock timeout here and is tried again, keeping
                // the inserted rows, rather than failing ATTACH and the whole restore (review).
                execute(connection, "LOCK TABLE streams IN SHARE ROW EXCLUSIVE MODE");
                connection.releaseSavepoint(before);
                return;
            } catch (SQLException failed) {
                connection.rollback(before);
                if (!LOCK_NOT_AVAILABLE.equals(failed.getSQLState())
                        || System.currentTimeMillis() >= deadline) {
                    throw failed;
                }
                sleep(Math.min(250L * attempt, 2_000));
            }
        }
    }

    /**
     * Leftovers, under the advisory lock (so no write is in progress): interrupted writes' files
     * are deleted; the segments of attached ranges whose grace has passed are moved to {@code
     * <dir>/restored/}.
     */
    private void cleanUp(Path directory, boolean patient) throws IOException, SQLException {
        inTransaction(
                connection -> {
                    if (!locked(connection, patient)) {
                        return null;
                    }
                    List<SegmentName> stale = new ArrayList<>();
                    try (PreparedStatement statement =
                            connection.prepareStatement(
                                    "SELECT from_position, to_position FROM event_partitions"
                                            + " WHERE state = 'attached' AND state_changed_at <= now()"
                                            + " - make_interval(secs => ?)")) {
                        statement.setLong(1, graceSeconds);
                        try (ResultSet rows = statement.executeQuery()) {
                            while (rows.next()) {
                                stale.add(new SegmentName(rows.getLong(1), rows.getLong(2)));
                            }
                        }
                    }
                    List<SegmentName> committed = ArchiveReader.open(directory).ranges();
                    for (SegmentName name : committed) {
                        if (stale.contains(name)) {
                            moveAside(directory, name);
                        }
                    }
                    deleteInterruptedWrites(directory);
                    return null;
                });
    }

    /** Work in one transaction of the owner's pool; its result. */
    @FunctionalInterface
    private interface Transaction<T> {
        T run(Connection connection) throws IOException, SQLException;
    }

    /**
     * Runs {@code work} in one transaction of the owner's pool: committed when it returns, rolled
     * back when it throws; the connection goes back to the pool in autocommit either way. Work that
     * decides to change nothing rolls back itself ({@link #skip}) and returns.
     */
    private <T> T inTransaction(Transaction<T> work) throws IOException, SQLException {
        try (Connection connection = ownerDataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (IOException | SQLException | RuntimeException failed) {
                connection.rollback();
                throw failed;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private static final String DATA_SUFFIX = ".ndjson.gz";

    private static String manifestOf(String dataFile) {
        return dataFile.substring(0, dataFile.length() - DATA_SUFFIX.length()) + ".manifest.json";
    }

    /** {@code .partial} files, and data files without a manifest. */
    private static void deleteInterruptedWrites(Path directory) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                boolean partial = name.startsWith("events-") && name.endsWith(".partial");
                boolean orphan =
                        name.startsWith("events-")
                                && name.endsWith(DATA_SUFFIX)
                                && !Files.exists(directory.resolve(manifestOf(name)));
                if (partial || orphan) {
                    Files.deleteIfExists(file);
                    LOG.info("Removed the leftover of an interrupted archive write: " + file);
                }
            }
        }
    }

    /**
     * Moves a segment to {@code <dir>/restored/}: the manifest first, so it stops existing at once.
     */
    private static void moveAside(Path directory, SegmentName name) throws IOException {
        Path restored = Files.createDirectories(directory.resolve("restored"));
        String suffix =
                Files.exists(restored.resolve(name.manifestFile()))
                        ? "." + System.currentTimeMillis()
                        : "";
        Files.move(
                directory.resolve(name.manifestFile()),
                restored.resolve(name.manifestFile() + suffix),
                StandardCopyOption.ATOMIC_MOVE);
        Files.move(
                directory.resolve(name.dataFile()),
                restored.resolve(name.dataFile() + suffix),
                StandardCopyOption.ATOMIC_MOVE);
        LOG.info("Moved the segment " + name + " of an attached range to " + restored);
    }

    // ---- jobs ----------------------------------------------------------------------------------

    private UUID insertJob(String kind, Long position) {
        UUID jobId = UUID.randomUUID();
        try (Connection connection = ownerDataSource.getConnection();
                PreparedStatement insert =
                        connection.prepareStatement(
                                "INSERT INTO archive_jobs (job_id, kind, state, position, owner,"
                                        + " requested_at, heartbeat_at) VALUES (?, ?, 'running', ?,"
                                        + " ?, now(), clock_timestamp())")) {
            insert.setObject(1, jobId);
            insert.setString(2, kind);
            if (position == null) {
                insert.setNull(3, java.sql.Types.BIGINT);
            } else {
                insert.setLong(3, position);
            }
            insert.setString(4, owner);
            insert.executeUpdate();
            return jobId;
        } catch (SQLException failed) {
            throw new IllegalStateException("The archive job cannot be recorded", failed);
        }
    }

    private void runJob(UUID jobId, java.util.function.Supplier<Pass> work) {
        Pass pass = new Pass(0, 0, 0, 0, 0);
        String failure = null;
        Error fatal = null;
        // Its own managed thread, not a task of the scheduler: the default managed scheduled
        // executor has one thread (core-pool-size 0), which this job itself occupies, so a
        // scheduled heartbeat would wait for the job's end and the job would look abandoned.
        Thread heartbeat =
                threads.newThread(
                        () -> {
                            while (!Thread.currentThread().isInterrupted()) {
                                try {
                                    Thread.sleep(HEARTBEAT_SECONDS * 1000);
                                } catch (InterruptedException ended) {
                                    return;
                                }
                                beat(jobId);
                            }
                        });
        heartbeat.setName("arbor-archive-job-heartbeat");
        heartbeat.start();
        try {
            pass = work.get();
        } catch (Throwable failed) {
            // Throwable, not RuntimeException: an Error (out of memory in a huge line) left the job
            // 'running' for ever. It is recorded, then thrown again below.
            LOG.log(Level.WARNING, "Archive job " + jobId + " failed", failed);
            failure = failed.getClass().getSimpleName() + ": " + failed.getMessage();
            if (failed instanceof Error error) {
                fatal = error;
            }
        } finally {
            heartbeat.interrupt();
        }
        try (Connection connection = ownerDataSource.getConnection();
                PreparedStatement update =
                        connection.prepareStatement(
                                "UPDATE archive_jobs SET state = ?, finished_at = now(),"
                                        + " archived = ?, detached = ?, restored = ?, skipped = ?,"
                                        + " events = ?, failure = ? WHERE job_id = ?")) {
            update.setString(1, failure == null ? "done" : "failed");
            update.setInt(2, pass.archived());
            update.setInt(3, pass.detached());
            update.setInt(4, pass.restored());
            update.setInt(5, pass.skipped());
            update.setLong(6, pass.events());
            update.setString(7, failure);
            update.setObject(8, jobId);
            update.executeUpdate();
        } catch (SQLException failed) {
            LOG.log(Level.WARNING, "Archive job " + jobId + " could not record its end", failed);
        }
        if (fatal != null) {
            throw fatal;
        }
    }

    /** The running job's heartbeat: it is alive. */
    private void beat(UUID jobId) {
        try (Connection connection = ownerDataSource.getConnection();
                PreparedStatement update =
                        connection.prepareStatement(
                                "UPDATE archive_jobs SET heartbeat_at = clock_timestamp() WHERE"
                                        + " job_id = ? AND state = 'running'")) {
            update.setObject(1, jobId);
            update.executeUpdate();
        } catch (SQLException failed) {
            LOG.log(Level.WARNING, "Archive job " + jobId + ": heartbeat not recorded", failed);
        }
    }

    /**
     * Running jobs whose heartbeat stopped (their instance was stopped or killed: their work is
     * committed or not, transition by transition, and a new run finishes it) are failed: all of
     * them when this instance starts, and the one asked for by {@link #job}. By heartbeat, not by
     * owner: several instances may share a name (containers all called "server") and would fail
     * each other's running jobs, and a restarted instance cannot know its earlier start's id
     * (review of issue 20, S9).
     *
     * @param jobId the job, or null for every job
     */
    private void failAbandonedJobs(Connection connection, UUID jobId) throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement(
                        "UPDATE archive_jobs SET state = 'failed', finished_at = now(), failure ="
                                + " 'the instance running it stopped before the job finished; run"
                                + " it again' WHERE state = 'running' AND heartbeat_at <"
                                + " clock_timestamp() - make_interval(secs => ?) AND (?::uuid IS"
                                + " NULL OR job_id = ?::uuid)")) {
            update.setLong(1, HEARTBEAT_SECONDS * MISSED_BEATS);
            update.setObject(2, jobId);
            update.setObject(3, jobId);
            update.executeUpdate();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private Path requireDirectory() {
        return directory().orElseThrow(ArchiveNotConfiguredException::new);
    }

    /** The file in the archive directory naming the store it belongs to. */
    static final String STORE_ID_FILE = "arbor-store-id";

    /**
     * The directory, created if missing, after checking that it is this store's: it holds this
     * database's {@code archive_identity} id (written on first use), not another's. Two stores
     * sharing a directory would each take the other's segments of the same ranges for its own.
     */
    private Path ownDirectory() throws IOException, SQLException {
        Path directory = requireDirectory();
        Files.createDirectories(directory);
        String storeId;
        try (Connection connection = ownerDataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT store_id FROM archive_identity")) {
            row.next();
            storeId = row.getString(1);
        }
        Path marker = directory.resolve(STORE_ID_FILE);
        if (!Files.exists(marker)) {
            Path partial = directory.resolve(STORE_ID_FILE + ".partial");
            Files.writeString(partial, storeId + "\n");
            Files.move(partial, marker, StandardCopyOption.ATOMIC_MOVE);
        }
        String owner = Files.readString(marker).strip();
        if (!owner.equals(storeId)) {
            throw new IllegalStateException(
                    "The archive directory "
                            + directory
                            + " belongs to another store ("
                            + STORE_ID_FILE
                            + " holds "
                            + owner
                            + ", this database's archive_identity is "
                            + storeId
                            + "): give each store its own arbor.archive.dir");
        }
        return directory;
    }

    private void requireRange(long from) {
        try (Connection connection = ownerDataSource.getConnection()) {
            partitionStartingAt(connection, from);
        } catch (SQLException failed) {
            throw new IllegalStateException("The archive catalogue cannot be read", failed);
        }
    }

    private static String partitionStartingAt(Connection connection, long from)
            throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement(
                        "SELECT partition_name FROM event_partitions WHERE from_position = ?")) {
            statement.setLong(1, from);
            List<String> names = names(statement);
            if (names.isEmpty()) {
                throw new InvalidInputException(
                        "/from",
                        "No range of the events table starts at position "
                                + from
                                + " (GET /admin/archive lists the ranges)");
            }
            return names.get(0);
        }
    }

    /**
     * Takes the advisory lock (waiting up to a minute when {@code patient}) and then the catalogue
     * row, re-read under it; empty when the lock stayed busy.
     */
    private Optional<ArchiveRange> lockRow(Connection connection, String partition, boolean patient)
            throws SQLException {
        if (!locked(connection, patient)) {
            return Optional.empty();
        }
        try (PreparedStatement statement =
                connection.prepareStatement(
                        "SELECT from_position, to_position, state, state_changed_at,"
                                + " archive_events, archive_bytes, archive_sha256, max_recorded_at"
                                + " FROM event_partitions WHERE partition_name = ? FOR UPDATE")) {
            statement.setString(1, partition);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return Optional.of(
                        new ArchiveRange(
                                row.getLong(1),
                                row.getLong(2),
                                ArchiveState.of(row.getString(3)),
                                instant(row, 4),
                                (Long) row.getObject(5),
                                (Long) row.getObject(6),
                                row.getString(7),
                                instant(row, 8)));
            }
        }
    }

    /**
     * Whether the grace since the partition's last state change has passed, by the database's
     * clock, which wrote {@code state_changed_at}: an application server's clock running behind or
     * ahead would shorten the grace readers of other instances count on (review of issue 20, S10).
     */
    private boolean graceOver(Connection connection, String partition) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement(
                        "SELECT state_changed_at <= clock_timestamp() - make_interval(secs => ?)"
                                + " FROM event_partitions WHERE partition_name = ?")) {
            statement.setLong(1, graceSeconds);
            statement.setString(2, partition);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    /** {@link RangeLock}, exclusively, for the transaction (its lock timeout applies). */
    private static void lockRange(Connection connection, long from) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(RangeLock.EXCLUSIVE)) {
            statement.setLong(1, from);
            statement.execute();
        }
    }

    /** {@link EventPartitions}' advisory lock for this transaction, and its lock timeout. */
    private boolean locked(Connection connection, boolean patient) throws SQLException {
        long deadline = System.currentTimeMillis() + (patient ? PATIENCE_MILLIS : 0);
        try (PreparedStatement statement =
                connection.prepareStatement(
                        "SELECT pg_try_advisory_xact_lock(?, ?),"
                                + " set_config('lock_timeout', ?, true)")) {
            statement.setInt(1, EventPartitions.LOCK_HIGH);
            statement.setInt(2, EventPartitions.LOCK_LOW);
            statement.setString(3, lockTimeoutMillis + "ms");
            while (true) {
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    if (row.getBoolean(1)) {
                        return true;
                    }
                }
                if (System.currentTimeMillis() >= deadline) {
                    return false;
                }
                sleep(100);
            }
        }
    }

    private static boolean unhashed(Connection connection, String partition) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row =
                        statement.executeQuery(
                                "SELECT EXISTS (SELECT 1 FROM "
                                        + partition
                                        + " WHERE hash IS NULL)")) {
            row.next();
            return row.getBoolean(1);
        }
    }

    private static void skip(Connection connection, Tally tally, boolean counted)
            throws SQLException {
        connection.rollback();
        if (counted) {
            tally.skipped++;
        }
    }

    private void announce(ArchiveRange range, ArchiveState state) {
        try {
            stateChanged.fire(new ArchiveStateChanged(range.from(), range.to(), state));
        } catch (RuntimeException observerFailed) {
            // The change is committed; readers of this instance see it within grace/4 anyway.
            LOG.log(
                    Level.WARNING,
                    "An observer of the archive state change failed",
                    observerFailed);
        }
    }

    private static List<String> names(PreparedStatement statement) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        Timestamp at = row.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", interrupted);
        }
    }
}
