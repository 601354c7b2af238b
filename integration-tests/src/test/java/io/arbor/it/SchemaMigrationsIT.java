package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every changeset has a working rollback: on a scratch schema of the real PostgreSQL, update → roll
 * everything back → update leaves the same schema as the first update, and the rollback leaves
 * nothing of Arbor's behind.
 */
class SchemaMigrationsIT {
    @Test
    void updateRollbackUpdateLeavesTheSameSchema() throws Exception {
        String schema = "scratch_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = io.arbor.it.Database.connect()) {
            execute(connection, "CREATE SCHEMA " + schema);
            connection.setSchema(schema);
            try {
                Changelog.update(connection, schema);
                String afterFirstUpdate = describe(connection, schema);
                assertEquals(
                        "archive_identity,archive_jobs,consumer_group_consumers,consumer_group_events,"
                                + "consumer_group_parked,consumer_groups,event_keys,event_partitions,event_schemas,"
                                + "event_tags,event_types,event_upcasters,events,events_default,"
                                + "events_p0,scavenge_jobs,schema_registry,"
                                + "snapshots,stream_chain_anchors,streams,visible_events|"
                                + "events_global_position_seq|"
                                + "global_log_horizon,lock_append_keys,record_event_keys,"
                                + "remove_event_keys,reserve_global_positions,"
                                + "truncate_event_keys,update_event_keys",
                        objectsOf(connection, schema));

                Changelog.rollback(connection, schema, Integer.MAX_VALUE);
                assertEquals("||", objectsOf(connection, schema));

                Changelog.update(connection, schema);
                assertEquals(afterFirstUpdate, describe(connection, schema));
            } finally {
                execute(connection, "DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    /**
     * Arbor's tables and views, sequences and functions in the schema (Liquibase's own tables
     * aside).
     */
    private static String objectsOf(Connection connection, String schema) throws SQLException {
        return list(
                        connection,
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = '"
                                + schema
                                + "' AND table_name NOT LIKE 'databasechangelog%' ORDER BY 1")
                + "|"
                + list(
                        connection,
                        "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = '"
                                + schema
                                + "' ORDER BY 1")
                + "|"
                + list(
                        connection,
                        "SELECT routine_name FROM information_schema.routines WHERE routine_schema = '"
                                + schema
                                + "' ORDER BY 1");
    }

    /** Columns, constraints and indexes: enough to tell two schemas apart. */
    private static String describe(Connection connection, String schema) throws SQLException {
        return list(
                        connection,
                        "SELECT table_name || '.' || column_name || ':' || data_type || ':' || is_nullable"
                                + " FROM information_schema.columns WHERE table_schema = '"
                                + schema
                                + "' AND table_name NOT LIKE 'databasechangelog%' ORDER BY 1")
                + "|"
                + list(
                        connection,
                        "SELECT indexname || ':' || replace(indexdef, '"
                                + schema
                                + ".', '') FROM pg_indexes"
                                + " WHERE schemaname = '"
                                + schema
                                + "' AND tablename NOT LIKE 'databasechangelog%' ORDER BY 1");
    }

    private static String list(Connection connection, String sql) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                out.append(out.length() == 0 ? "" : ",").append(rows.getString(1));
            }
        }
        return out.toString();
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
