package io.arbor.faults;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the store holds for one scenario's category, read back after the load: every stream read
 * from PostgreSQL ({@code Cache-Control: no-cache}) and through the cache, the global log of the
 * category, and the rows of the events table read directly over JDBC.
 *
 * @param streams each stream's events in the order the stream read returned them
 * @param cachedStreams the same streams read normally (the hot cache may answer)
 * @param globalLog the category's global log, paged as a subscriber pages it
 * @param rows the events table's rows of the category, by position (null: not read)
 */
public record StoreImage(
        Map<String, List<Ev>> streams,
        Map<String, List<Ev>> cachedStreams,
        List<Ev> globalLog,
        List<Ev> rows) {

    /**
     * One stored event.
     *
     * @param op the op id and {@code index} the position in its append, from the event's data
     */
    public record Ev(
            UUID eventId, String stream, long version, long position, long op, int index) {}

    /** Reads the store back; retries each read until the server answers (it may be recovering). */
    public static StoreImage read(
            ArborHttp http, Collection<String> streamIds, String category, Control control)
            throws SQLException {
        Map<String, List<Ev>> streams = new LinkedHashMap<>();
        Map<String, List<Ev>> cached = new LinkedHashMap<>();
        for (String s : streamIds) {
            streams.put(s, readStream(http, s, true));
            cached.put(s, readStream(http, s, false));
        }
        List<Ev> log = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonObject page =
                    getJson(http, "events?after=" + after + "&limit=1000&category=" + category);
            JsonArray events = page.getJsonArray("events");
            for (JsonValue v : events) {
                Ev e = ev(v.asJsonObject());
                log.add(e);
                after = Math.max(after, e.position());
            }
            if (events.isEmpty()) {
                break;
            }
            after = Math.max(after, page.getJsonNumber("lastPosition").longValue());
        }
        List<Ev> rows = control == null ? null : readRows(control, category);
        return new StoreImage(streams, cached, log, rows);
    }

    private static List<Ev> readStream(ArborHttp http, String stream, boolean bypassCache) {
        List<Ev> out = new ArrayList<>();
        long from = 1;
        while (true) {
            String path = "streams/" + stream + "/events?from=" + from + "&limit=1000";
            ArborHttp.Answer a = answered(http, path, bypassCache);
            if (a.status() == 404) {
                return out;
            }
            JsonObject page = Load.object(a.body());
            for (JsonValue v : page.getJsonArray("events")) {
                out.add(ev(v.asJsonObject()));
            }
            JsonValue next = page.get("next");
            if (!(next instanceof JsonNumber n)) {
                return out;
            }
            from = n.longValue();
        }
    }

    private static JsonObject getJson(ArborHttp http, String path) {
        return Load.object(answered(http, path, true).body());
    }

    /** A 200 or 404 answer; anything else is retried for up to two minutes. */
    private static ArborHttp.Answer answered(ArborHttp http, String path, boolean bypassCache) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            ArborHttp.Answer a = http.get(path, bypassCache);
            if ((a.status() == 200 && Load.object(a.body()) != null) || a.status() == 404) {
                return a;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "read-back of " + path + " kept failing: " + a.status() + " " + a.body());
            }
            Load.sleep(500);
        }
    }

    static Ev ev(JsonObject e) {
        JsonObject data = e.getJsonObject("data");
        return new Ev(
                UUID.fromString(e.getString("eventId")),
                e.getString("streamId"),
                e.getJsonNumber("version").longValue(),
                e.getJsonNumber("globalPosition").longValue(),
                data.containsKey("op") ? data.getJsonNumber("op").longValue() : -1,
                data.containsKey("i") ? data.getInt("i") : -1);
    }

    private static List<Ev> readRows(Control control, String category) throws SQLException {
        List<Ev> rows = new ArrayList<>();
        try (Connection c = control.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT event_id, stream_id, version, global_position,"
                                        + " (data->>'op')::bigint, (data->>'i')::int"
                                        + " FROM events WHERE category = ? ORDER BY global_position")) {
            ps.setString(1, category);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    rows.add(
                            new Ev(
                                    (UUID) r.getObject(1),
                                    r.getString(2),
                                    r.getLong(3),
                                    r.getLong(4),
                                    r.getLong(5),
                                    r.getInt(6)));
                }
            }
        }
        return rows;
    }
}
