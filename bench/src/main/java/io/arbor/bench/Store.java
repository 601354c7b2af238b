package io.arbor.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Arbor's database, reached directly: settings and sizes for the report, and seeding millions of
 * events with SQL (generate_series) where going through the REST API would take hours. Seeded rows
 * are what Arbor itself writes: a stream row at the head version, events at consecutive versions,
 * positions reserved through {@code reserve_global_positions} like an append's, and event ids that
 * are unique (derived from the position), all in the tenant {@value #TENANT}, where the benchmark's
 * token (no tenant claim) writes and reads.
 *
 * <p>Two connections (issue 16): the tables' owner seeds, counts, empties and vacuums them (it
 * bypasses row-level security, under which the application's role sees no rows outside a tenant's
 * transaction, and only the owner may truncate or vacuum); the application's role reads
 * pg_stat_statements, which shows a role the text of its own statements only.
 */
final class Store implements AutoCloseable {
    /** Events written per transaction while seeding. */
    private static final int CHUNK = 250_000;

    static final String TENANT = "default";

    private static final String INSERT_EVENTS =
            "INSERT INTO events (tenant, global_position, event_id, stream_id, version, category,"
                    + " type, data, metadata, recorded_at)"
                    + " SELECT '"
                    + TENANT
                    + "', ?::bigint + g,"
                    + " ('b0000000-0000-4000-8000-' || lpad(to_hex(?::bigint + g), 12, '0'))::uuid,"
                    + " %s, %s, ?, 'Deposited',"
                    + " jsonb_build_object('amount', g, 'currency', 'EUR'), '{}'::jsonb, now()"
                    + " FROM generate_series(0, ?::bigint - 1) g";

    /** The tables' owner: seeding, sizes, reset, vacuum. */
    private final Connection connection;

    /** The application's role: its statements' counters, and the raw-SQL query by tag. */
    private final Connection application;

    /** {@link #queryByTag}'s statements on {@link #application}, prepared once. */
    private PreparedStatement tenantSetting;

    private PreparedStatement matchingByTag;
    private PreparedStatement eventsAt;

    Store(String url, String user, String password, String owner, String ownerPassword)
            throws SQLException {
        connection = DriverManager.getConnection(url, owner, ownerPassword);
        try {
            application = DriverManager.getConnection(url, user, password);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    String setting(String name) throws SQLException {
        return text("SHOW " + name);
    }

    String text(String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    long events() throws SQLException {
        return Long.parseLong(text("SELECT count(*) FROM events"));
    }

    /** The highest global position stored, 0 when none: where a live subscriber starts. */
    long head() throws SQLException {
        return Long.parseLong(text("SELECT coalesce(max(global_position), 0) FROM events"));
    }

    /**
     * Calls per statement of this database from pg_stat_statements (cluster-wide counters, taken
     * for this database only, without this program's own look-ups), or why they cannot be read.
     */
    Statements statements() {
        Map<String, Long> calls = new HashMap<>();
        try (Statement statement = application.createStatement();
                ResultSet rows =
                        statement.executeQuery(
                                "SELECT left(regexp_replace(s.query, '\\s+', ' ', 'g'), 160),"
                                        + " sum(s.calls) FROM pg_stat_statements s"
                                        + " JOIN pg_database d ON d.oid = s.dbid"
                                        + " WHERE d.datname = current_database()"
                                        + " AND s.query NOT LIKE '%pg_stat_statements%'"
                                        + " AND s.query NOT LIKE '%max(global_position)%'"
                                        + " GROUP BY 1")) {
            while (rows.next()) {
                calls.put(rows.getString(1), rows.getLong(2));
            }
            return new Statements(calls, null);
        } catch (SQLException unavailable) {
            return new Statements(
                    Map.of(), unavailable.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** pg_stat_statements' calls by statement text at one moment; {@code missing} says why none. */
    record Statements(Map<String, Long> calls, String missing) {
        /** Calls of each statement since {@code before}, most first. */
        List<Map.Entry<String, Long>> since(Statements before) {
            List<Map.Entry<String, Long>> delta = new ArrayList<>();
            calls.forEach(
                    (query, n) -> {
                        long d = n - before.calls.getOrDefault(query, 0L);
                        if (d > 0) {
                            delta.add(Map.entry(query, d));
                        }
                    });
            delta.sort(Map.Entry.<String, Long>comparingByValue().reversed());
            return delta;
        }
    }

    /** One statement's calls and execution time over a window, from pg_stat_statements. */
    record Timing(String query, long calls, double millis) {}

    /** Calls and execution time per statement at one moment (empty when unavailable). */
    record Timings(Map<String, Timing> byQuery) {
        /** Each statement's calls and time since {@code before}, most time first. */
        List<Timing> since(Timings before) {
            List<Timing> delta = new ArrayList<>();
            byQuery.forEach(
                    (query, t) -> {
                        Timing b = before.byQuery.getOrDefault(query, new Timing(query, 0, 0));
                        if (t.calls() > b.calls()) {
                            delta.add(
                                    new Timing(
                                            query, t.calls() - b.calls(), t.millis() - b.millis()));
                        }
                    });
            delta.sort(java.util.Comparator.comparingDouble(Timing::millis).reversed());
            return delta;
        }
    }

    /**
     * Calls and total execution time per statement of this database from pg_stat_statements
     * (without this program's own look-ups); empty when the extension is not there.
     */
    Timings timings() {
        Map<String, Timing> byQuery = new HashMap<>();
        try (Statement statement = application.createStatement();
                ResultSet rows =
                        statement.executeQuery(
                                "SELECT left(regexp_replace(s.query, '\\s+', ' ', 'g'), 2000),"
                                        + " sum(s.calls), sum(s.total_exec_time)"
                                        + " FROM pg_stat_statements s"
                                        + " JOIN pg_database d ON d.oid = s.dbid"
                                        + " WHERE d.datname = current_database()"
                                        + " AND s.query NOT LIKE '%pg_stat_statements%'"
                                        + " GROUP BY 1")) {
            while (rows.next()) {
                byQuery.put(
                        rows.getString(1),
                        new Timing(rows.getString(1), rows.getLong(2), rows.getDouble(3)));
            }
        } catch (SQLException unavailable) {
            // no pg_stat_statements: the report says so
        }
        return new Timings(byQuery);
    }

    /**
     * Empties the store (streams, events and their tags, snapshots); the position sequence carries
     * on.
     */
    void reset() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE snapshots, event_tags, events, streams");
        }
    }

    /** One stream {@code stream} of {@code count} events (category {@code category}). */
    void seedStream(String stream, String category, long count) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement head =
                        connection.prepareStatement(
                                "INSERT INTO streams (tenant, stream_id, category, version,"
                                        + " lock_version, created_at, updated_at)"
                                        + " VALUES ('"
                                        + TENANT
                                        + "', ?, ?, 0, 1, now(), now())");
                PreparedStatement insert =
                        connection.prepareStatement(
                                String.format(INSERT_EVENTS, "?", "?::bigint + g"));
                PreparedStatement advance =
                        connection.prepareStatement(
                                "UPDATE streams SET version = version + ?, lock_version = lock_version"
                                        + " + 1, updated_at = now() WHERE tenant = '"
                                        + TENANT
                                        + "' AND stream_id = ?")) {
            head.setString(1, stream);
            head.setString(2, category);
            head.executeUpdate();
            connection.commit();
            long started = System.nanoTime();
            for (long done = 0; done < count; ) {
                long n = Math.min(CHUNK, count - done);
                long first = reserve(n);
                insert.setLong(1, first);
                insert.setLong(2, first);
                insert.setString(3, stream);
                insert.setLong(4, done + 1);
                insert.setString(5, category);
                insert.setLong(6, n);
                insert.executeUpdate();
                advance.setLong(1, n);
                advance.setString(2, stream);
                advance.executeUpdate();
                connection.commit();
                done += n;
                progress("seeding stream " + stream, done, count, started);
            }
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * {@code count} events in streams {@code prefix-0, prefix-1, …} of {@code perStream} events
     * each (category: the prefix up to its first dash).
     */
    void seedStreams(String prefix, String category, long count, int perStream)
            throws SQLException {
        connection.setAutoCommit(false);
        long chunk = Math.max(perStream, CHUNK / perStream * perStream);
        try (PreparedStatement streams =
                        connection.prepareStatement(
                                "INSERT INTO streams (tenant, stream_id, category, version,"
                                        + " lock_version, created_at, updated_at) SELECT '"
                                        + TENANT
                                        + "', ? || k, ?, ?, 1, now(), now()"
                                        + " FROM generate_series(?::bigint, ?::bigint) k");
                PreparedStatement insert =
                        connection.prepareStatement(
                                String.format(
                                        INSERT_EVENTS,
                                        "? || ((?::bigint + g) / " + perStream + ")",
                                        "(g % " + perStream + ") + 1"))) {
            long started = System.nanoTime();
            for (long done = 0; done < count; ) {
                long n = Math.min(chunk, count - done);
                long firstStream = done / perStream;
                long streamCount = n / perStream;
                streams.setString(1, prefix);
                streams.setString(2, category);
                streams.setLong(3, perStream);
                streams.setLong(4, firstStream);
                streams.setLong(5, firstStream + streamCount - 1);
                streams.executeUpdate();
                long first = reserve(n);
                insert.setLong(1, first);
                insert.setLong(2, first);
                insert.setString(3, prefix);
                insert.setLong(4, done);
                insert.setString(5, category);
                insert.setLong(6, n);
                insert.executeUpdate();
                connection.commit();
                done += n;
                progress("seeding " + prefix + "*", done, count, started);
            }
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * Hides every event of the streams whose id starts with {@code prefix}, as a soft delete does
     * ({@code truncate_before = version + 1}: the retention rule of issue 19, written directly);
     * returns the streams changed.
     */
    long hideStreams(String prefix) throws SQLException {
        try (PreparedStatement hide =
                connection.prepareStatement(
                        "UPDATE streams SET truncate_before = version + 1 WHERE tenant = '"
                                + TENANT
                                + "' AND left(stream_id, length(?)) = ?")) {
            hide.setString(1, prefix);
            hide.setString(2, prefix);
            return hide.executeUpdate();
        }
    }

    /** The rows of {@code events} in {@code category}, hidden or not. */
    long categoryEvents(String category) throws SQLException {
        return count("SELECT count(*) FROM events WHERE tenant = ? AND category = ?", category);
    }

    /**
     * {@code count} tagged events in streams {@code prefix-0, prefix-1, …} of {@code perStream}
     * events each, written as Arbor's tagged append writes them (EventRows' insert: the events'
     * insert a data-modifying CTE, one {@code event_tags} row per returned tag): every event
     * carries its stream's tag ({@code prefix-k}, as an application tags an entity's events), and
     * {@code matching} of them, spread evenly over the whole range, also carry {@code tag}.
     */
    void seedTaggedStreams(String prefix, long count, int perStream, String tag, long matching)
            throws SQLException {
        connection.setAutoCommit(false);
        long chunk = Math.max(perStream, CHUNK / perStream * perStream);
        long every = Math.max(1, count / matching);
        String category = prefix.substring(0, prefix.indexOf('-'));
        try (PreparedStatement streams =
                        connection.prepareStatement(
                                "INSERT INTO streams (tenant, stream_id, category, version,"
                                        + " lock_version, created_at, updated_at) SELECT '"
                                        + TENANT
                                        + "', ? || k, ?, ?, 1, now(), now()"
                                        + " FROM generate_series(?::bigint, ?::bigint) k");
                PreparedStatement insert =
                        connection.prepareStatement(
                                "WITH written AS ("
                                        + String.format(
                                                        INSERT_EVENTS,
                                                        "? || ((?::bigint + g) / "
                                                                + perStream
                                                                + ")",
                                                        "(g % " + perStream + ") + 1")
                                                .replace(" recorded_at)", " recorded_at, tags)")
                                                .replace(
                                                        " now() FROM",
                                                        " now(), CASE WHEN (?::bigint + g) % ?"
                                                                + " = ? AND (?::bigint + g) / ? < ?"
                                                                + " THEN jsonb_build_array(? ||"
                                                                + " ((?::bigint + g) / "
                                                                + perStream
                                                                + "), ?::text) ELSE"
                                                                + " jsonb_build_array(? ||"
                                                                + " ((?::bigint + g) / "
                                                                + perStream
                                                                + ")) END FROM")
                                        + " RETURNING tenant, global_position, tags)"
                                        + " INSERT INTO event_tags (tenant, tag, global_position)"
                                        + " SELECT w.tenant, t.tag, w.global_position FROM written"
                                        + " w, jsonb_array_elements_text(w.tags) t(tag)")) {
            long started = System.nanoTime();
            for (long done = 0; done < count; ) {
                long n = Math.min(chunk, count - done);
                long firstStream = done / perStream;
                streams.setString(1, prefix);
                streams.setString(2, category);
                streams.setLong(3, perStream);
                streams.setLong(4, firstStream);
                streams.setLong(5, firstStream + n / perStream - 1);
                streams.executeUpdate();
                long first = reserve(n);
                int i = 0;
                insert.setLong(++i, first);
                insert.setLong(++i, first);
                insert.setString(++i, prefix);
                insert.setLong(++i, done);
                insert.setString(++i, category);
                // the measured tag on every {@code every}-th event of the seeded range, the middle
                // one of each stretch, {@code matching} of them
                insert.setLong(++i, done);
                insert.setLong(++i, every);
                insert.setLong(++i, every / 2);
                insert.setLong(++i, done);
                insert.setLong(++i, every);
                insert.setLong(++i, matching);
                insert.setString(++i, prefix);
                insert.setLong(++i, done);
                insert.setString(++i, tag);
                insert.setString(++i, prefix);
                insert.setLong(++i, done);
                insert.setLong(++i, n);
                insert.executeUpdate();
                connection.commit();
                done += n;
                progress("seeding " + prefix + "* (tagged)", done, count, started);
            }
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** How many of the tenant's events carry {@code tag}. */
    long tagged(String tag) throws SQLException {
        return count("SELECT count(*) FROM event_tags WHERE tenant = ? AND tag = ?", tag);
    }

    /** The count {@code sql} answers for the tenant (its first parameter) and {@code value}. */
    private long count(String sql, String value) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement(sql)) {
            count.setString(1, TENANT);
            count.setString(2, value);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /**
     * The raw-SQL side of a query by one tag, as the application's role in one transaction of the
     * tenant: the positions of the first {@code limit} events carrying {@code tag} after {@code
     * after} (MatchingStatement's shape for a one-tag item), then those events, every column read;
     * returns the last position read, or {@code after} when none matched, and counts the events in
     * {@code read[0]}.
     */
    long queryByTag(String tag, long after, int limit, long[] read) throws SQLException {
        if (matchingByTag == null) {
            tenantSetting =
                    application.prepareStatement("SELECT set_config('arbor.tenant', ?, true)");
            matchingByTag =
                    application.prepareStatement(
                            "SELECT p, min(item) FROM ((SELECT t.global_position AS p, 0 AS item"
                                    + " FROM event_tags t WHERE t.tenant = ? AND t.tag = ? AND"
                                    + " t.global_position > ? ORDER BY t.global_position LIMIT"
                                    + " ?)) m GROUP BY p ORDER BY p LIMIT ?");
            eventsAt =
                    application.prepareStatement(
                            "SELECT * FROM events WHERE tenant = ? AND global_position = ANY (?)"
                                    + " ORDER BY global_position");
        }
        application.setAutoCommit(false);
        try {
            tenantSetting.setString(1, TENANT);
            tenantSetting.executeQuery().close();
            List<Long> positions = new ArrayList<>(limit);
            matchingByTag.setString(1, TENANT);
            matchingByTag.setString(2, tag);
            matchingByTag.setLong(3, after);
            matchingByTag.setInt(4, limit);
            matchingByTag.setInt(5, limit);
            try (ResultSet rows = matchingByTag.executeQuery()) {
                while (rows.next()) {
                    positions.add(rows.getLong(1));
                }
            }
            long last = after;
            long count = 0;
            if (!positions.isEmpty()) {
                eventsAt.setString(1, TENANT);
                eventsAt.setArray(2, application.createArrayOf("bigint", positions.toArray()));
                try (ResultSet rows = eventsAt.executeQuery()) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int c = 1; c <= columns; c++) {
                            rows.getString(c);
                        }
                        last = rows.getLong("global_position");
                        count++;
                    }
                }
            }
            application.commit();
            read[0] += count;
            return last;
        } catch (SQLException failed) {
            application.rollback();
            throw failed;
        } finally {
            application.setAutoCommit(true);
        }
    }

    /** VACUUM ANALYZE after seeding: fresh statistics, and no autovacuum storm mid-measurement. */
    void settle() throws SQLException {
        long started = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
            statement.execute("VACUUM (ANALYZE) streams, events, event_tags");
        }
        System.out.printf(
                Locale.ROOT,
                "    .. VACUUM ANALYZE took %.1f s%n",
                (System.nanoTime() - started) / 1e9);
    }

    private long reserve(long count) throws SQLException {
        try (PreparedStatement reserve =
                connection.prepareStatement("SELECT reserve_global_positions(?)")) {
            reserve.setInt(1, Math.toIntExact(count));
            try (ResultSet rows = reserve.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static void progress(String what, long done, long count, long started) {
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "    .. %s: %,d / %,d events (%,.0f events/s)%n",
                what,
                done,
                count,
                done / seconds);
    }

    @Override
    public void close() throws SQLException {
        try (application) {
            connection.close();
        }
    }
}
