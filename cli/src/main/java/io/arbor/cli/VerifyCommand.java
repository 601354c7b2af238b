package io.arbor.cli;

import io.arbor.client.ArborClient;
import io.arbor.client.Direction;
import io.arbor.client.LogFilter;
import io.arbor.client.RecordedEvent;
import io.arbor.client.StreamNotFoundException;
import io.arbor.client.StreamSummary;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code arbor verify}. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Check the store's invariants through the API, reading from the database (not the"
                    + " cache): the global log's positions strictly increase and hold every event"
                    + " once; every stream's versions run 1..version without gaps; every event of a"
                    + " stream is in the global log at the same position, and vice versa.",
            "With --db-url, also compare the counts with the database's rows and check that no"
                    + " snapshot is past its stream's head.",
            "The global log is read first, up to its end P; events appended while verify runs"
                    + " (positions above P) are counted but not held against the store.",
            "Prints a summary; exits 1 on any anomaly."
        })
final class VerifyCommand implements Callable<Integer> {
    private static final int SHOW_AT_MOST = 50;

    @Mixin Common common;
    @Mixin DbOptions db;

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
        ArborClient client = ArborClient.builder(common.url).bypassCache(true).build();
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
            long head = s.version();
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
                    expectedVersion = e.version() + 1;
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
        if (db.given()) {
            compareWithDatabase(summary, end, logEvents, streams, versionSum, newer);
        }
        summary.put("anomalies", anomalyCount);
        summary.put("seconds", Math.round(progress.seconds() * 10) / 10.0);
        print(summary);
        return anomalyCount == 0 ? 0 : ArborCli.ANOMALY;
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
            long dbEvents =
                    count(
                            connection,
                            "SELECT count(*) FROM events WHERE global_position <= ?",
                            end);
            long dbStreams = count(connection, "SELECT count(*) FROM streams", -1);
            long dbVersions =
                    count(connection, "SELECT coalesce(sum(version), 0) FROM streams", -1);
            long dbSnapshots = count(connection, "SELECT count(*) FROM snapshots", -1);
            long badSnapshots =
                    count(
                            connection,
                            "SELECT count(*) FROM snapshots s JOIN streams t USING (stream_id)"
                                    + " WHERE s.version > t.version",
                            -1);
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
            if (badSnapshots > 0) {
                anomaly("database: " + badSnapshots + " snapshot(s) past their stream's head");
            }
        }
    }

    private static long count(Connection connection, String sql, long parameter)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (parameter >= 0) {
                statement.setLong(1, parameter);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
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
            common.out().println(anomalyCount == 0 ? "verify: OK" : "verify: FAILED");
        }
        common.out().flush();
    }
}
