package io.arbor.cli;

import io.arbor.client.ArborClient;
import io.arbor.client.Direction;
import io.arbor.client.LogFilter;
import io.arbor.client.RecordedEvent;
import io.arbor.client.StreamNotFoundException;
import io.arbor.client.StreamSummary;
import io.arbor.spi.EventHash;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
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
                    + " holds (docs/tamper-evidence.md).",
            "Then compares with the database (--db-url or $ARBOR_DB_URL): its event and stream"
                    + " rows against what the API served, its event rows against the streams'"
                    + " versions, the position sequence against the highest position, no"
                    + " snapshot past its stream's head, and each stream row's head hash against"
                    + " its last event's hash. Without a database it refuses to run"
                    + " (exit 2) unless --no-db says to check through the API only; the summary"
                    + " then says \"database: not compared\".",
            "The global log is read first, up to its end P; events appended while verify runs"
                    + " (positions above P) are counted but not held against the store.",
            "Prints each anomaly and a summary; exits 1 on any anomaly, 2 for bad usage (no"
                    + " database and no --no-db), 4 when the server or the database cannot be"
                    + " reached."
        })
final class VerifyCommand implements Callable<Integer> {
    private static final int SHOW_AT_MOST = 50;

    static final String NOT_COMPARED = "not compared (give --db-url or ARBOR_DB_URL)";

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

    @Spec CommandSpec spec;

    private final List<String> anomalies = new ArrayList<>();
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
            long expectedVersion = 1;
            long previousPosition = 0;
            long head = s.version();
            byte[] previousHash = EventHash.GENESIS;
            try {
                for (RecordedEvent e :
                        (Iterable<RecordedEvent>)
                                client.readStream(s.streamId(), null, Direction.FORWARD, 1000)
                                        ::iterator) {
                    streamEvents++;
                    progress.advance(1);
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
            } catch (StreamNotFoundException listedButGone) {
                anomaly("stream " + s.streamId() + " is listed but cannot be read");
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
     * Recomputes {@code e}'s hash from its stored content and its predecessor's stored hash, and
     * returns the hash to chain the next version from: the stored one, so that each changed,
     * missing or moved event is named once, not every version after it.
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
            return e.computeHash(previous);
        }
        byte[] stored;
        try {
            stored = EventHash.fromHex(e.hash());
        } catch (IllegalArgumentException notHex) {
            stored = null;
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
            // The API shows one tenant's store: its rows are what it served.
            long dbEvents =
                    count(
                            connection,
                            "SELECT count(*) FROM events WHERE tenant = ? AND global_position <= ?",
                            tenant,
                            end);
            long dbStreams =
                    count(connection, "SELECT count(*) FROM streams WHERE tenant = ?", tenant);
            long dbVersions =
                    count(
                            connection,
                            "SELECT coalesce(sum(version), 0) FROM streams WHERE tenant = ?",
                            tenant);
            long dbSnapshots =
                    count(connection, "SELECT count(*) FROM snapshots WHERE tenant = ?", tenant);
            // One statement, one snapshot: an append writes its events and its stream row together.
            long[] rowsAndVersions =
                    counts(
                            connection,
                            "SELECT (SELECT count(*) FROM events WHERE tenant = ?),"
                                    + " (SELECT coalesce(sum(version), 0) FROM streams WHERE"
                                    + " tenant = ?)",
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
            if (dbEvents != logEvents) {
                anomaly(
                        "database: "
                                + dbEvents
                                + " event rows up to position "
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
                                + " event rows, but the streams' versions sum to "
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
                                    "SELECT s.stream_id, s.version FROM streams s LEFT JOIN events e"
                                            + " ON e.tenant = s.tenant AND e.stream_id = s.stream_id"
                                            + " AND e.version = s.version WHERE s.tenant = ?"
                                            + " AND s.head_hash IS DISTINCT FROM e.hash"
                                            + " ORDER BY s.stream_id",
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
            if (badSnapshots > 0) {
                anomaly("database: " + badSnapshots + " snapshot(s) past their stream's head");
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
