package io.arbor.it;

import java.sql.Connection;
import java.util.Map;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

/** Arbor's Liquibase changelog applied to, or rolled back on, a scratch schema of the database. */
final class Changelog {
    private static final String CHANGELOG = "db/changelog.xml";

    private Changelog() {}

    static void update(Connection connection, String schema) throws Exception {
        Scope.child(
                Map.of("liquibase.analytics.enabled", false),
                () -> liquibase(connection, schema).update(new Contexts(), new LabelExpression()));
        autocommit(connection);
    }

    /** Rolls back the last {@code count} changesets ({@link Integer#MAX_VALUE}: all). */
    static void rollback(Connection connection, String schema, int count) throws Exception {
        Scope.child(
                Map.of("liquibase.analytics.enabled", false),
                () -> liquibase(connection, schema).rollback(count, (String) null));
        autocommit(connection);
    }

    /**
     * Liquibase leaves the connection out of autocommit: a statement after it would run in a
     * transaction that the next Liquibase call rolls back.
     */
    private static void autocommit(Connection connection) throws Exception {
        connection.setAutoCommit(true);
    }

    private static Liquibase liquibase(Connection connection, String schema) throws Exception {
        Database database =
                DatabaseFactory.getInstance()
                        .findCorrectDatabaseImplementation(new JdbcConnection(connection));
        database.setDefaultSchemaName(schema);
        database.setLiquibaseSchemaName(schema);
        return new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(), database);
    }
}
