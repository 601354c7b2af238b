package io.arbor.faults;

import io.arbor.client.ArborException;
import io.arbor.client.GlobalLogPage;
import io.arbor.client.RecordedEvent;
import io.arbor.client.StreamPage;
import jakarta.json.JsonObject;
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
import java.util.function.Supplier;

/**
 * What the store holds for one scenario's category, read back after the load: every stream and the
 * category's global log through the REST API (the hot cache may answer), and the rows of the events
 * table read directly over JDBC.
 *
 * @param streams each stream's events in the order the stream read returned them
 * @param globalLog the category's global log, paged as a subscriber pages it
 * @param rows the events table's rows of the category, by position (null: not read)
 */
public record StoreImage(Map<String, List<Ev>> streams, List<Ev> globalLog, List<Ev> rows) {

    /**
     * One stored event.
     *
     * @param op the op id and {@code index} the position in its append, from the event's data
     */
    public record Ev(
            UUID eventId, String stream, long version, long position, long op, int index) {}

    /** Reads the store back; retries each read until the server answers (it may be recovering). */
    public static StoreImage read(
            Api api, Collection<String> streamIds, String category, Control control)
            throws SQLException {
        Map<String, List<Ev>> streams = new LinkedHashMap<>();
        for (String s : streamIds) {
            streams.put(s, readStream(api, s));
        }
        List<Ev> log = new ArrayList<>();
        long after = 0;
        while (true) {
            long from = after;
            GlobalLogPage page = answered(() -> api.globalLog(from, 1000, category));
            for (RecordedEvent e : page.events()) {
                log.add(ev(e));
                after = Math.max(after, e.globalPosition());
            }
            if (page.events().isEmpty()) {
                break;
            }
            after = Math.max(after, page.lastPosition());
        }
        List<Ev> rows = control == null ? null : readRows(control, category);
        return new StoreImage(streams, log, rows);
    }

    private static List<Ev> readStream(Api api, String stream) {
        List<Ev> out = new ArrayList<>();
        long from = 1;
        while (true) {
            long first = from;
            StreamPage page = answered(() -> api.stream(stream, first, 1000));
            if (page == null) {
                return out;
            }
            for (RecordedEvent e : page.events()) {
                out.add(ev(e));
            }
            if (page.next().isEmpty()) {
                return out;
            }
            from = page.next().getAsLong();
        }
    }

    /** Retries a read for up to two minutes while the server does not answer it. */
    private static <T> T answered(Supplier<T> read) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            try {
                return read.get();
            } catch (ArborException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("read-back kept failing: " + e, e);
                }
                Load.sleep(500);
            }
        }
    }

    static Ev ev(RecordedEvent e) {
        JsonObject data = e.data();
        return new Ev(
                e.eventId(),
                e.streamId(),
                e.version(),
                e.globalPosition(),
                data.containsKey("op") ? data.getJsonNumber("op").longValue() : -1,
                data.containsKey("i") ? data.getInt("i") : -1);
    }

    private static List<Ev> readRows(Control control, String category) throws SQLException {
        List<Ev> rows = new ArrayList<>();
        try (Connection c = control.connectStoreWide();
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
