package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The partitioned events table's migration (changeset 2026-12-09-01) and its rollback keep every
 * row: on a scratch schema brought to the schema before it (update, then roll it and the archive
 * states changeset 2026-12-10-01 after it back), 50,000 hash-chained, tagged events are seeded with
 * the same SQL as the 1,000,000-event run (server-config/tests/seed-chained-events.sql); every
 * event (all its columns), tag row and stream row reads the same after the migration, after one
 * more event that lands in the default partition, after the rollback and after the migration again.
 * The store-level comparison through `arbor export` and `arbor verify` at 1,000,000 events is
 * server-config/tests/partition-migration.sh (docs/operations.md).
 */
class PartitionMigrationIT {
    private static final int EVENTS = 50_000;

    /** Every stored row that a migration must keep, in a fixed order, as text. */
    private static final String CONTENT =
            "SELECT md5(string_agg(r, E'\\n' ORDER BY k)) || ':' || count(*) FROM ("
                    + "SELECT 'e' || lpad(global_position::text, 20, '0') AS k,"
                    + " concat_ws('|', tenant, global_position, event_id, stream_id, version,"
                    + " category, type, schema_version, data, metadata, recorded_at, written_by,"
                    + " tags, encode(hash, 'hex')) AS r FROM events"
                    + " UNION ALL SELECT 't' || tenant || tag || lpad(global_position::text, 20, '0'),"
                    + " concat_ws('|', tenant, tag, global_position) FROM event_tags"
                    + " UNION ALL SELECT 's' || tenant || stream_id, concat_ws('|', tenant,"
                    + " stream_id, category, version, encode(head_hash, 'hex')) FROM streams) rows";

    @Test
    void theMigrationAndItsRollbackKeepEveryEventTagAndHash() throws Exception {
        String schema = "scratch_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection db = Database.connect()) {
            Database.execute(db, "CREATE SCHEMA " + schema);
            db.setSchema(schema);
            try {
                Changelog.update(db, schema);
                Changelog.rollback(db, schema, 2);
                assertEquals(List.of("r"), Database.rows(db, relkind("events")));
                Database.execute(db, seed());
                String before = Database.rows(db, CONTENT).get(0);
                assertEquals(EVENTS, Database.number(db, "SELECT count(*) FROM events"));

                Changelog.update(db, schema);
                assertEquals(List.of("p"), Database.rows(db, relkind("events")));
                assertEquals(before, Database.rows(db, CONTENT).get(0));
                assertEquals(
                        List.of("events_p0:0-" + (EVENTS + 1)),
                        Database.rows(
                                db,
                                "SELECT partition_name || ':' || from_position || '-' ||"
                                        + " to_position FROM event_partitions"));
                assertEquals(EVENTS, Database.number(db, "SELECT count(*) FROM event_keys"));
                assertEquals(EVENTS, Database.number(db, "SELECT count(*) FROM events_p0"));

                // one event past the first partition: the default partition holds it
                Database.execute(
                        db,
                        "INSERT INTO events (tenant, global_position, event_id, stream_id, version,"
                                + " category, type, data, metadata, recorded_at) SELECT tenant,"
                                + " nextval('events_global_position_seq'), gen_random_uuid(),"
                                + " stream_id, version + 1, category, type, data, metadata,"
                                + " recorded_at FROM events WHERE global_position = "
                                + EVENTS);
                assertEquals(1, Database.number(db, "SELECT count(*) FROM events_default"));
                String withDefault = Database.rows(db, CONTENT).get(0);

                Changelog.rollback(db, schema, 2);
                assertEquals(List.of("r"), Database.rows(db, relkind("events")));
                assertEquals(withDefault, Database.rows(db, CONTENT).get(0));

                Changelog.update(db, schema);
                assertEquals(withDefault, Database.rows(db, CONTENT).get(0));
                assertEquals(EVENTS + 1, Database.number(db, "SELECT count(*) FROM event_keys"));
            } finally {
                Database.execute(db, "DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private static String relkind(String table) {
        return "SELECT relkind::text FROM pg_class WHERE oid = '" + table + "'::regclass";
    }

    /** The seeding script with its psql variables filled in and psql's own commands left out. */
    private static String seed() throws Exception {
        String script =
                Files.readString(
                        Path.of(
                                System.getProperty("arbor.checkout", ".."),
                                "server-config/tests/seed-chained-events.sql"));
        return script.lines()
                .filter(line -> !line.startsWith("\\"))
                .map(
                        line ->
                                line.replace(":events", Integer.toString(EVENTS))
                                        .replace(":per_stream", "10")
                                        .replace(":'run'", "'ci'"))
                .reduce("", (all, line) -> all + line + "\n");
    }
}
