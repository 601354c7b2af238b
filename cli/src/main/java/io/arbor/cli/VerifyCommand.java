package io.arbor.cli;

import io.arbor.archive.ArchiveReader;
import io.arbor.archive.ArchiveVerifier;
import io.arbor.archive.ArchivedEvent;
import io.arbor.archive.SegmentName;
import io.arbor.client.ArborClient;
import io.arbor.client.ArborProblemException;
import io.arbor.client.Direction;
import io.arbor.client.LogFilter;
import io.arbor.client.RecordedEvent;
import io.arbor.client.StreamInfo;
import io.arbor.client.StreamNotFoundException;
import io.arbor.client.StreamSummary;
import io.arbor.spi.EventHash;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code arbor verify}. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Check the store's invariants through the API, reading from the database (not the"
                    + " cache): the global log's positions strictly increase and hold every event"
                    + " once; every stream's versions run 1..version without gaps; every event of a"
                    + " stream is in the global log at the same position, and vice versa; every"
                    + " stream's hash chain, recomputed from its events as stored (upcast=false),"
                    + " holds (docs/tamper-evidence.md). A stream whose first versions retention"
                    + " hides (or scavenging removed) is checked from its first visible version,"
                    + " its chain seeded with the hash of the version before it, as stream info"
                    + " reports them (firstVersion, previousHash); deleted streams are not listed"
                    + " and not checked (docs/lifecycle.md).",
            "Then compares with the database (--db-url or $ARBOR_DB_URL): its event and stream"
                    + " rows against what the API served, its event rows against the streams'"
                    + " versions, the position sequence against the highest position, no"
                    + " snapshot past its stream's head, each stream row's head hash against"
                    + " its last event's hash (or its chain anchor's, when scavenging removed"
                    + " it), and each truncated stream's seed against the row of the version"
                    + " before its first (or its chain anchor); the summary counts deleted"
                    + " streams and tombstones. Without a database it refuses to run"
                    + " (exit 2) unless --no-db says to check through the API only; the summary"
                    + " then says \"database: not compared\".",
            "Ranges of the global log that the archive alone holds (docs/archive.md) are"
                    + " served by the API like the others; the database's side counts their events"
                    + " from the key table, and with --archive-dir (or $ARBOR_ARCHIVE_DIR) verify"
                    + " also checks the segments, each such range against its segment, and the"
                    + " hashes of heads and seeds that lie there.",
            "The global log is read first, up to its end P; events appended while verify runs"
                    + " (positions above P) are counted but not held against the store.",
            "Prints each anomaly and a summary; exits 1 on any anomaly, 2 for bad usage (no"
                    + " database and no --no-db), 4 when the server or the database cannot be"
                    + " reached."
        })
final class VerifyCommand implements Callable<Integer> {
    private static final int SHOW_AT_MOST = 50;

    static final String NOT_COMPARED = "not compared (give --db-url or ARBOR_DB_URL)";

    /**
     * The events only the archive holds (docs/archive.md: ranges in state {@code detached}, their
     * partitions dropped): the key table keeps one row for each, with its tenant, stream, version
     * and position, so the database's counts still cover them.
     */
    static final String ARCHIVED_KEYS =
            "SELECT k.tenant, k.stream_id, k.version, k.global_position FROM event_keys k JOIN"
                    + " event_partitions p ON p.state = 'detached' AND k.global_position >="
                    + " p.from_position AND k.global_position < p.to_position";

    /**
     * Every stored event: the rows of {@code events} and the archived ones. An archived event that
     * scavenging removed by its rule (the segment keeps its bytes, no read shows it) lies at or
     * below its stream's chain anchor and is not counted.
     */
    static final String STORED_EVENTS =
            "(SELECT tenant, stream_id, version, global_position FROM events UNION ALL SELECT"
                    + " x.tenant, x.stream_id, x.version, x.global_position FROM ("
                    + ARCHIVED_KEYS
                    + ") x WHERE NOT EXISTS (SELECT 1 FROM stream_chain_anchors a WHERE a.tenant ="
                    + " x.tenant AND a.stream_id = x.stream_id AND x.version <= a.version))";

    /**
     * The condition "version {@code s.version} of stream {@code s.stream_id} lies in a range only
     * the archive holds", for a statement over {@code streams s}.
     */
    static final String ARCHIVED_AT =
            "EXISTS (SELECT 1 FROM ("
                    + ARCHIVED_KEYS
                    + ") x WHERE x.tenant = s.tenant AND x.stream_id = s.stream_id AND x.version ="
                    + " s.version)";

    /**
     * Of the archived events, those that the view {@code visible_events} would show by its rules by
     * version ({@code truncate_before}, {@code max_count}); those of streams with a {@code max_age}
     * rule are left out (their times are in the segments): a lower bound, exact when no stream has
     * a rule that moves.
     */
    static final String VISIBLE_ARCHIVED_EVENTS =
            "SELECT x.tenant, x.global_position FROM ("
                    + ARCHIVED_KEYS
                    + ") x WHERE NOT EXISTS (SELECT 1 FROM streams s WHERE s.has_lifecycle AND"
                    + " s.tenant = x.tenant AND s.stream_id = x.stream_id AND (x.version <"
                    + " s.truncate_before OR x.version <= s.version - s.max_count OR"
                    + " s.max_age_seconds IS NOT NULL))";

    @Mixin Common common;
    @Mixin DbOptions db;

    @Option(
            names = "--no-db",
            description =
                    "check through the API only, without the database's counts (the summary says"
                            + " \"database: not compared\")")
    boolean noDb;

    @Option(
            names = "--tenant",
            defaultValue = "default",
            description =
                    "the tenant the API shows (the token's tenant claim; default: ${DEFAULT-VALUE});"
                            + " the database's rows are counted for it alone")
    String tenant;

    @Option(
            names = "--archive-dir",
            defaultValue = "${env:ARBOR_ARCHIVE_DIR}",
            description =
                    "the archive directory (the server's arbor.archive.dir; default:"
                            + " $ARBOR_ARCHIVE_DIR). With it, the segments are verified as"
                            + " `arbor archive verify` does, each range the archive alone holds"
                            + " must have its segment with as many events as the key table has"
                            + " there, and the hash of a stream's head or seed that lies in such"
                            + " a range is read from its segment. Without it those hashes are"
                            + " not compared and the summary says so")
    Path archiveDir;

    @Spec CommandSpec spec;

    /** The archive, opened once when a hash must be read from it. */
    private ArchiveReader archive;

    /** Heads and seeds whose hash lies in the archive alone and was not compared (no dir). */
    private long archivedHashesNotCompared;

    private final List<String> anomalies = new ArrayList<>();

    /** The streams read from past version 1: what the database must anchor. */
    private final List<Seed> seeds = new ArrayList<>();

    /** A truncated stream's first visible version and the hash its chain was checked from. */
    private record Seed(String streamId, long firstVersion, String previousHash) {}

    private long anomalyCount;

    private void anomaly(String text) {
        anomalyCount++;
        if (anomalies.size() < SHOW_AT_MOST) {
            anomalies.add(text);
        }
    }

    @Override
    public Integer call() throws SQLException {
        if (noDb && spec.commandLine().getParseResult().hasMatchedOption("--db-url")) {
            throw new IllegalArgumentException("verify: give --db-url or --no-db, not both");
        }
        if (!noDb && !db.given()) {
            // A verify that silently skipped the database would print OK for a store whose rows
            // disagree with what the API serves: make the operator choose.
            throw new IllegalArgumentException(
                    "verify compares the store with its database: give --db-url or set"
                            + " ARBOR_DB_URL, or --no-db to check through the API only");
        }
        if (!noDb) {
            try (Connection reachable = db.connect()) {
                // Fail now, not after walking the whole store.
            } catch (SQLException unreachable) {
                common.err().println("arbor verify: cannot use the database: " + unreachable);
                return ArborCli.UNAVAILABLE;
            }
        }
        ArborClient client = common.clientBuilder().bypassCache(true).storedForm(true).build();
        long expected = client.listStreams(null).mapToLong(StreamSummary::version).sum();
        Progress progress = new Progress(common.err(), "verify", 2 * expected);

        // 1. The global log, to its end P: increasing positions, each event once.
        Map<UUID, Long> inLog = new HashMap<>();
        long logEvents = 0;
        long end = 0;
        for (RecordedEvent e :
                (Iterable<RecordedEvent>) client.readAll(0, LogFilter.ALL)::iterator) {
            logEvents++;
            if (e.globalPosition() <= end) {
                anomaly(
                        "global log: position "
                                + e.globalPosition()
                                + " after "
                                + end
                                + " (event "
                                + e.eventId()
                                + ")");
            }
            end = Math.max(end, e.globalPosition());
            if (inLog.put(e.eventId(), e.globalPosition()) != null) {
                anomaly("global log: event " + e.eventId() + " appears twice");
            }
            progress.advance(1);
        }

        // 2. Every stream: versions 1..head without gaps, each event in the log at its position.
        long streams = 0;
        long streamEvents = 0;
        long newer = 0;
        long versionSum = 0;
        for (StreamSummary s : (Iterable<StreamSummary>) client.listStreams(null)::iterator) {
            streams++;
            long previousPosition = 0;
            long head = s.version();
            long expectedVersion = 1;
            byte[] previousHash = null;
            boolean first = true;
            try {
                // Where the stream's visible events start and the hash their chain continues
                // (docs/lifecycle.md): retention hides a prefix, scavenging removes it.
                StreamInfo info = client.streamInfo(s.streamId());
                expectedVersion = info.firstVersion();
                for (RecordedEvent e :
                        (Iterable<RecordedEvent>)
                                client.readStream(s.streamId(), null, Direction.FORWARD, 1000)
                                        ::iterator) {
                    streamEvents++;
                    progress.advance(1);
                    if (first) {
                        first = false;
                        if (e.version() > info.firstVersion()) {
                            // maxAge (or maxCount under an append) hid more since the info was
                            // read: the info read now must start where the stream read did.
                            info = client.streamInfo(s.streamId());
                            expectedVersion = info.firstVersion();
                        }
                        previousHash = seed(info);
                    }
                    if (e.version() != expectedVersion) {
                        anomaly(
                                "stream "
                                        + s.streamId()
                                        + ": version "
                                        + e.version()
                                        + " where "
                                        + expectedVersion
                                        + " was due (gap or disorder)");
                    }
                    if (e.globalPosition() <= previousPosition) {
                        // Each append takes positions above every earlier one of its stream, so
                        // the global log (and an export) must hold a stream in version order.
                        anomaly(
                                "stream "
                                        + s.streamId()
                                        + " v"
                                        + e.version()
                                        + ": at position "
                                        + e.globalPosition()
                                        + ", not after the previous version's position "
                                        + previousPosition
                                        + " (the global log reorders the stream)");
                    }
                    previousPosition = Math.max(previousPosition, e.globalPosition());
                    expectedVersion = e.version() + 1;
                    previousHash = checkHash(s.streamId(), e, previousHash);
                    if (!e.streamId().equals(s.streamId())) {
                        anomaly("stream " + s.streamId() + ": holds an event of " + e.streamId());
                    }
                    if (e.globalPosition() > end) {
                        newer++;
                        continue;
                    }
                    Long position = inLog.remove(e.eventId());
                    if (position == null) {
                        anomaly(
                                "stream "
                                        + s.streamId()
                                        + " v"
                                        + e.version()
                                        + ": event "
                                        + e.eventId()
                                        + " is not in the global log (or is in two streams)");
                    } else if (position != e.globalPosition()) {
                        anomaly(
                                "stream "
                                        + s.streamId()
                                        + " v"
                                        + e.version()
                                        + ": at position "
                                        + e.globalPosition()
                                        + " in the stream but "
                                        + position
                                        + " in the global log");
                    }
                    head = Math.max(head, e.version());
                }
                if (first) {
                    // No visible event: retention hides them all (or the stream is empty).
                    seed(info);
                }
            } catch (StreamNotFoundException listedButGone) {
                anomaly("stream " + s.streamId() + " is listed but cannot be read");
            } catch (ArborProblemException listedButDeleted) {
                if (listedButDeleted.status() != 410) {
                    throw listedButDeleted;
                }
                anomaly("stream " + s.streamId() + " is listed but hard-deleted (410)");
            }
            if (expectedVersion - 1 != head) {
                anomaly(
                        "stream "
                                + s.streamId()
                                + ": version is "
                                + head
                                + " but its events end at "
                                + (expectedVersion - 1));
            }
            versionSum += head;
        }
        for (Map.Entry<UUID, Long> orphan : inLog.entrySet()) {
            anomaly(
                    "global log: event "
                            + orphan.getKey()
                            + " at position "
                            + orphan.getValue()
                            + " belongs to no listed stream");
        }
        progress.total(progress.done());
        progress.finish();

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("streams", streams);
        summary.put("truncatedStreams", (long) seeds.size());
        summary.put("streamEvents", streamEvents);
        summary.put("globalLogEvents", logEvents);
        summary.put("globalLogEnd", end);
        summary.put("appendedDuringVerify", newer);
        if (noDb) {
            summary.put("database", NOT_COMPARED);
        } else {
            summary.put("database", "compared");
            compareWithDatabase(summary, end, logEvents, streams, versionSum, newer);
        }
        summary.put("anomalies", anomalyCount);
        summary.put("seconds", Math.round(progress.seconds() * 10) / 10.0);
        print(summary);
        return anomalyCount == 0 ? 0 : ArborCli.ANOMALY;
    }

    /**
     * The hash a stream's chain starts from: genesis at version 1, else the hash of the version
     * before its first visible one, as stream info reports it (remembered for the database's
     * check); null when the server does not know it (then the first visible event is not checked).
     */
    private byte[] seed(StreamInfo info) {
        if (info.firstVersion() == 1) {
            return EventHash.GENESIS;
        }
        seeds.add(new Seed(info.streamId(), info.firstVersion(), info.previousHash()));
        byte[] seed = null;
        try {
            seed = info.previousHash() == null ? null : EventHash.fromHex(info.previousHash());
        } catch (IllegalArgumentException notHex) {
            // named below
        }
        if (seed == null || seed.length != 32) {
            anomaly(
                    "stream "
                            + info.streamId()
                            + ": its first visible version is "
                            + info.firstVersion()
                            + " but the hash of version "
                            + (info.firstVersion() - 1)
                            + " is unknown ("
                            + info.previousHash()
                            + "): versions before it are gone without a chain anchor");
            return null;
        }
        return seed;
    }

    /**
     * Recomputes {@code e}'s hash from its stored content and its predecessor's stored hash, and
     * returns the hash to chain the next version from: the stored one, so that each changed,
     * missing or moved event is named once, not every version after it. With no {@code previous}
     * (an unknown seed, already named) the event's stored hash is taken as it is.
     */
    private byte[] checkHash(String stream, RecordedEvent e, byte[] previous) {
        if (e.hash() == null) {
            anomaly(
                    "stream "
                            + stream
                            + " v"
                            + e.version()
                            + ": no hash (the event is not chained: see"
                            + " docs/tamper-evidence.md, the migration)");
            return previous == null ? null : e.computeHash(previous);
        }
        byte[] stored;
        try {
            stored = EventHash.fromHex(e.hash());
        } catch (IllegalArgumentException notHex) {
            stored = null;
        }
        if (previous == null) {
            return stored;
        }
        byte[] computed = e.computeHash(previous);
        if (stored == null || !Arrays.equals(stored, computed)) {
            anomaly(
                    "stream "
                            + stream
                            + " v"
                            + e.version()
                            + ": hash chain broken: the event's hash "
                            + e.hash()
                            + " is not "
                            + EventHash.toHex(computed)
                            + ", the hash of its content after the previous version's"
                            + " (changed, removed or reordered events)");
        }
        return stored == null || stored.length != 32 ? computed : stored;
    }

    private void compareWithDatabase(
            Map<String, Object> summary,
            long end,
            long logEvents,
            long streams,
            long versionSum,
            long newer)
            throws SQLException {
        try (Connection connection = db.connect()) {
            // The API shows one tenant's store: its visible rows are what it served. An event
            // that maxAge hid while verify ran was served but is no longer visible, so with maxAge
            // rules the log may hold more than the view shows now, never more than the rows.
            long[] visibleAndStored =
                    counts(
                            connection,
                            "SELECT (SELECT count(*) FROM visible_events WHERE tenant = ? AND"
                                    + " global_position <= ?) + (SELECT count(*) FROM ("
                                    + VISIBLE_ARCHIVED_EVENTS
                                    + ") v WHERE v.tenant = ? AND v.global_position <= ?),"
                                    + " (SELECT count(*) FROM "
                                    + STORED_EVENTS
                                    + " r WHERE r.tenant = ? AND r.global_position <= ?)",
                            tenant,
                            end,
                            tenant,
                            end,
                            tenant,
                            end);
            long dbEvents = visibleAndStored[0];
            // Rules that hide more as time passes (maxAge) or as the stream grows (maxCount): an
            // event the log served may be hidden by the time the rows are counted.
            boolean rulesMove =
                    count(
                                    connection,
                                    "SELECT count(*) FROM streams WHERE tenant = ? AND"
                                            + " (max_age_seconds IS NOT NULL OR max_count IS NOT"
                                            + " NULL)",
                                    tenant)
                            > 0;
            // Deleted streams leave the listing; their rows stay (a hard-deleted one forever).
            long dbStreams =
                    count(
                            connection,
                            "SELECT count(*) FROM streams WHERE tenant = ? AND deleted IS NULL",
                            tenant);
            long dbVersions =
                    count(
                            connection,
                            "SELECT coalesce(sum(version), 0) FROM streams WHERE tenant = ?"
                                    + " AND deleted IS NULL",
                            tenant);
            long softDeleted =
                    count(
                            connection,
                            "SELECT count(*) FROM streams WHERE tenant = ? AND deleted = 'soft'",
                            tenant);
            long tombstones =
                    count(
                            connection,
                            "SELECT count(*) FROM streams WHERE tenant = ? AND deleted = 'hard'",
                            tenant);
            long anchors =
                    count(
                            connection,
                            "SELECT count(*) FROM stream_chain_anchors WHERE tenant = ?",
                            tenant);
            long dbSnapshots =
                    count(connection, "SELECT count(*) FROM snapshots WHERE tenant = ?", tenant);
            // One statement, one snapshot: an append writes its events and its stream row together,
            // and scavenging deletes rows and moves their stream's chain anchor together, so each
            // stream holds the rows of versions anchor+1..version.
            long[] rowsAndVersions =
                    counts(
                            connection,
                            "SELECT (SELECT count(*) FROM "
                                    + STORED_EVENTS
                                    + " r WHERE r.tenant = ?),"
                                    + " (SELECT coalesce(sum(s.version - coalesce(a.version, 0)),"
                                    + " 0) FROM streams s LEFT JOIN stream_chain_anchors a USING"
                                    + " (tenant, stream_id) WHERE s.tenant = ?)",
                            tenant,
                            tenant);
            // The sequence is read live, after the snapshot: it can only be ahead of the rows.
            long[] highestAndHandedOut =
                    counts(
                            connection,
                            "SELECT (SELECT coalesce(max(global_position), 0) FROM events),"
                                    + " (SELECT CASE WHEN is_called THEN last_value"
                                    + " ELSE last_value - 1 END FROM events_global_position_seq)");
            long badSnapshots =
                    count(
                            connection,
                            "SELECT count(*) FROM snapshots s JOIN streams t USING (tenant,"
                                    + " stream_id) WHERE s.tenant = ? AND s.version > t.version",
                            tenant);
            summary.put("dbEvents", dbEvents);
            summary.put("dbStreams", dbStreams);
            summary.put("dbSnapshots", dbSnapshots);
            summary.put("softDeletedStreams", softDeleted);
            summary.put("tombstones", tombstones);
            summary.put("chainAnchors", anchors);
            boolean logMatchesRows =
                    rulesMove
                            ? dbEvents <= logEvents && logEvents <= visibleAndStored[1]
                            : dbEvents == logEvents;
            if (!logMatchesRows) {
                anomaly(
                        "database: "
                                + dbEvents
                                + " visible event rows up to position "
                                + end
                                + ", the global log served "
                                + logEvents);
            }
            if (newer == 0 && dbStreams != streams) {
                anomaly("database: " + dbStreams + " stream rows, the listing served " + streams);
            }
            if (newer == 0 && dbVersions != versionSum) {
                anomaly(
                        "database: stream versions sum to "
                                + dbVersions
                                + ", the streams read hold "
                                + versionSum
                                + " events");
            }
            if (rowsAndVersions[0] != rowsAndVersions[1]) {
                anomaly(
                        "database: "
                                + rowsAndVersions[0]
                                + " event rows, but the streams' versions (less the versions"
                                + " scavenging removed) sum to "
                                + rowsAndVersions[1]
                                + " (event rows missing, extra or renumbered)");
            }
            if (highestAndHandedOut[0] > highestAndHandedOut[1]) {
                anomaly(
                        "database: events reach position "
                                + highestAndHandedOut[0]
                                + " but the position sequence has handed out only "
                                + highestAndHandedOut[1]
                                + ": the global log hides the events above it and appends will"
                                + " collide (a restore without the sequence?)");
            }
            try (PreparedStatement heads =
                            prepare(
                                    connection,
                                    // A scavenged head (a tombstone's, a stream truncated to
                                    // its head) has no row: its chain anchor holds its hash.
                                    "SELECT s.stream_id, s.version FROM streams s LEFT JOIN events e"
                                            + " ON e.tenant = s.tenant AND e.stream_id = s.stream_id"
                                            + " AND e.version = s.version LEFT JOIN"
                                            + " stream_chain_anchors a ON a.tenant = s.tenant AND"
                                            + " a.stream_id = s.stream_id AND a.version = s.version"
                                            + " WHERE s.tenant = ? AND s.version > 0 AND s.head_hash"
                                            + " IS DISTINCT FROM CASE WHEN e.event_id IS NULL THEN"
                                            + " a.hash ELSE e.hash END AND NOT (e.event_id IS NULL"
                                            + " AND "
                                            + ARCHIVED_AT
                                            + ") ORDER BY s.stream_id",
                                    tenant);
                    ResultSet rows = heads.executeQuery()) {
                while (rows.next()) {
                    anomaly(
                            "stream "
                                    + rows.getString(1)
                                    + ": the stream row's head hash is not the hash of its version "
                                    + rows.getLong(2)
                                    + " (the stream was cut off or its row changed)");
                }
            }
            compareArchivedHeads(connection);
            if (badSnapshots > 0) {
                anomaly("database: " + badSnapshots + " snapshot(s) past their stream's head");
            }
            for (Seed seed : seeds) {
                compareSeed(connection, seed);
            }
            compareArchive(connection, summary);
        }
    }

    /**
     * Each stream row's head hash against its head event's hash, where only the archive holds that
     * event: read from its segment (or, without the archive directory, counted as not compared).
     */
    private void compareArchivedHeads(Connection connection) throws SQLException {
        try (PreparedStatement heads =
                        prepare(
                                connection,
                                "SELECT s.stream_id, s.version, s.head_hash FROM streams s WHERE"
                                        + " s.tenant = ? AND s.version > 0 AND NOT EXISTS (SELECT"
                                        + " 1 FROM events e WHERE e.tenant = s.tenant AND"
                                        + " e.stream_id = s.stream_id AND e.version = s.version)"
                                        + " AND "
                                        + ARCHIVED_AT
                                        + " ORDER BY s.stream_id",
                                tenant);
                ResultSet rows = heads.executeQuery()) {
            while (rows.next()) {
                String stream = rows.getString(1);
                long version = rows.getLong(2);
                byte[] headHash = rows.getBytes(3);
                Optional<String> archived = archivedHash(stream, version);
                if (archived == null) {
                    continue;
                }
                String head = headHash == null ? null : EventHash.toHex(headHash);
                if (!Objects.equals(head, archived.orElse(null))) {
                    anomaly(
                            "stream "
                                    + stream
                                    + ": the stream row's head hash is not the hash of its version "
                                    + version
                                    + " in the archive (the stream was cut off or its row changed)");
                }
            }
        }
    }

    /**
     * The hash of the archived event at {@code version} of {@code stream}, read from its segment:
     * empty when the archive does not hold it or holds it unhashed; null when it was not compared
     * (no archive directory: counted for the summary). A segment that cannot be read is an anomaly
     * here and in the archive's own check.
     */
    private Optional<String> archivedHash(String stream, long version) {
        if (archiveDir == null) {
            archivedHashesNotCompared++;
            return null;
        }
        try {
            if (archive == null) {
                archive = ArchiveReader.open(archiveDir);
            }
            return archive.readStream(tenant, stream, version, 1).stream()
                    .filter(e -> e.version() == version)
                    .findFirst()
                    .map(ArchivedEvent::hash);
        } catch (IOException | RuntimeException unreadable) {
            anomaly(
                    "stream "
                            + stream
                            + " v"
                            + version
                            + ": its archived event cannot be read: "
                            + unreadable.getMessage());
            return null;
        }
    }

    /**
     * The archive against the catalogue: with the directory, its segments are verified as {@code
     * arbor archive verify} does, and each range only the archive holds must have its segment,
     * holding as many events as the key table has in the range (every tenant's). Without it, the
     * summary says what was not compared.
     */
    private void compareArchive(Connection connection, Map<String, Object> summary)
            throws SQLException {
        List<long[]> detached = new ArrayList<>();
        try (PreparedStatement ranges =
                        prepare(
                                connection,
                                "SELECT p.from_position, p.to_position, (SELECT count(*) FROM"
                                        + " event_keys k WHERE k.global_position >="
                                        + " p.from_position AND k.global_position <"
                                        + " p.to_position) FROM event_partitions p WHERE p.state ="
                                        + " 'detached' ORDER BY p.from_position");
                ResultSet rows = ranges.executeQuery()) {
            while (rows.next()) {
                detached.add(new long[] {rows.getLong(1), rows.getLong(2), rows.getLong(3)});
            }
        }
        summary.put("archivedRanges", (long) detached.size());
        if (archiveDir == null) {
            summary.put(
                    "archive",
                    detached.isEmpty()
                            ? "none"
                            : "not compared (give --archive-dir or ARBOR_ARCHIVE_DIR): "
                                    + archivedHashesNotCompared
                                    + " archived head or seed hash(es) not checked");
            return;
        }
        if (!Files.isDirectory(archiveDir)) {
            // No segment was ever written (the server makes the directory on its first run).
            if (!detached.isEmpty()) {
                anomaly(
                        "archive: "
                                + detached.size()
                                + " range(s) are dropped from the database but "
                                + archiveDir
                                + " is not a directory");
            }
            summary.put("archive", detached.isEmpty() ? "none (no directory)" : "missing");
            return;
        }
        try {
            ArchiveVerifier.Report report = ArchiveVerifier.verify(archiveDir);
            report.anomalies().forEach(a -> anomaly("archive: " + a));
            for (long i = report.anomalies().size(); i < report.anomalyCount(); i++) {
                anomaly("archive: (one more anomaly, see arbor archive verify)");
            }
            ArchiveReader reader = ArchiveReader.open(archiveDir);
            for (long[] range : detached) {
                SegmentName name = new SegmentName(range[0], range[1]);
                if (!reader.ranges().contains(name)) {
                    anomaly(
                            "archive: the range "
                                    + name
                                    + " is dropped from the database but has no segment in "
                                    + archiveDir);
                } else if (reader.manifest(name).events() != range[2]) {
                    anomaly(
                            "archive: the segment "
                                    + name
                                    + " holds "
                                    + reader.manifest(name).events()
                                    + " events, the key table "
                                    + range[2]);
                }
            }
            summary.put("archive", "compared (" + report.segments() + " segments)");
        } catch (IOException unreadable) {
            anomaly("archive: " + archiveDir + " cannot be read: " + unreadable.getMessage());
            summary.put("archive", "unreadable");
        }
    }

    /**
     * A truncated stream's chain was checked from the hash stream info gave for the version before
     * its first: that version's row (hidden, not scavenged yet) or, once scavenging removed it, the
     * stream's chain anchor must hold that very hash. Anything else means rows were removed or
     * changed outside scavenging, and the chain verify checked starts from nowhere.
     */
    private void compareSeed(Connection connection, Seed seed) throws SQLException {
        long before = seed.firstVersion() - 1;
        try (PreparedStatement statement =
                        prepare(
                                connection,
                                "SELECT (SELECT count(*) FROM events WHERE tenant = ? AND"
                                        + " stream_id = ? AND version = ?), (SELECT hash FROM"
                                        + " events WHERE tenant = ? AND stream_id = ? AND version"
                                        + " = ?), (SELECT version FROM stream_chain_anchors WHERE"
                                        + " tenant = ? AND stream_id = ?), (SELECT hash FROM"
                                        + " stream_chain_anchors WHERE tenant = ? AND stream_id"
                                        + " = ?), (SELECT count(*) FROM ("
                                        + ARCHIVED_KEYS
                                        + ") x WHERE x.tenant = ? AND x.stream_id = ? AND"
                                        + " x.version = ?)",
                                tenant,
                                seed.streamId(),
                                before,
                                tenant,
                                seed.streamId(),
                                before,
                                tenant,
                                seed.streamId(),
                                tenant,
                                seed.streamId(),
                                tenant,
                                seed.streamId(),
                                before);
                ResultSet row = statement.executeQuery()) {
            row.next();
            boolean hasRow = row.getLong(1) > 0;
            byte[] rowHash = row.getBytes(2);
            long anchorVersion = row.getLong(3);
            boolean hasAnchor = !row.wasNull();
            byte[] anchorHash = row.getBytes(4);
            boolean archived = row.getLong(5) > 0;
            String held;
            byte[] expected;
            if (hasRow) {
                held = "its row of version " + before;
                expected = rowHash;
            } else if (archived) {
                Optional<String> archivedHex = archivedHash(seed.streamId(), before);
                if (archivedHex == null) {
                    return;
                }
                held = "its archived event of version " + before;
                expected = archivedHex.map(EventHash::fromHex).orElse(null);
            } else if (hasAnchor && anchorVersion == before) {
                held = "its chain anchor (version " + before + ")";
                expected = anchorHash;
            } else {
                anomaly(
                        "stream "
                                + seed.streamId()
                                + ": its first version is "
                                + seed.firstVersion()
                                + " but the database has neither the row of version "
                                + before
                                + " nor a chain anchor at it"
                                + (hasAnchor
                                        ? " (the anchor is at version " + anchorVersion + ")"
                                        : "")
                                + ": events were removed outside scavenging");
                return;
            }
            String expectedHex = expected == null ? null : EventHash.toHex(expected);
            if (expectedHex == null || !expectedHex.equals(seed.previousHash())) {
                anomaly(
                        "stream "
                                + seed.streamId()
                                + ": its chain was checked from "
                                + seed.previousHash()
                                + " (stream info) but "
                                + held
                                + " holds "
                                + expectedHex);
            }
        }
    }

    /** The two numbers of a one-row, two-column query. */
    private static long[] counts(Connection connection, String sql, Object... parameters)
            throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return new long[] {rows.getLong(1), rows.getLong(2)};
        }
    }

    private static long count(Connection connection, String sql, Object... parameters)
            throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static PreparedStatement prepare(
            Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }

    private void print(Map<String, Object> summary) {
        if (common.json) {
            JsonObjectBuilder json = Json.createObjectBuilder();
            summary.forEach(
                    (k, v) -> {
                        if (v instanceof Long l) {
                            json.add(k, l);
                        } else if (v instanceof Double d) {
                            json.add(k, d);
                        } else {
                            json.add(k, String.valueOf(v));
                        }
                    });
            var list = Json.createArrayBuilder();
            anomalies.forEach(list::add);
            json.add("anomalyList", list);
            common.out().println(json.build());
        } else {
            anomalies.forEach(a -> common.out().println("ANOMALY " + a));
            if (anomalyCount > anomalies.size()) {
                common.out().println("… and " + (anomalyCount - anomalies.size()) + " more");
            }
            Table table = new Table("CHECK", "VALUE");
            summary.forEach(table::row);
            table.print(common.out());
            common.out()
                    .println(
                            (anomalyCount == 0 ? "verify: OK" : "verify: FAILED")
                                    + (noDb ? " (database not compared)" : ""));
        }
        common.out().flush();
    }
}
