package io.arbor.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Direct access to Arbor's PostgreSQL, for tests that must see what was (not) written. {@link
 * #connect} is the tables' owner, which bypasses row-level security: it sees every tenant's rows
 * and may change the schema (test-only triggers, scratch schemas). {@link #connectAsApplication} is
 * the role Arbor's application connects as, under row-level security (docs/security.md).
 */
public final class Database {
    private Database() {}

    /** As the tables' owner: every tenant's rows. */
    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(
                System.getProperty("arbor.db.url"), ownerUser(), ownerPassword());
    }

    /** As Arbor's application role: only the rows its transaction's tenant setting allows. */
    public static Connection connectAsApplication() throws SQLException {
        return DriverManager.getConnection(
                System.getProperty("arbor.db.url"),
                System.getProperty("arbor.db.user"),
                System.getProperty("arbor.db.password"));
    }

    /** The owner's user name ({@code arbor db} and the like take it). */
    public static String ownerUser() {
        return System.getProperty("arbor.db.owner.user", "arbor_owner");
    }

    public static String ownerPassword() {
        return System.getProperty("arbor.db.owner.password", "arbor_owner");
    }

    /** Arbor's database name, from its JDBC URL. */
    public static String name() {
        String url = System.getProperty("arbor.db.url");
        String afterHost = url.substring(url.indexOf("//") + 2);
        String path = afterHost.substring(afterHost.indexOf('/') + 1);
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    /** A connection to the server's maintenance database, as the owner of Arbor's. */
    public static Connection connectToMaintenanceDatabase() throws SQLException {
        return DriverManager.getConnection(maintenanceUrl(), ownerUser(), ownerPassword());
    }

    /**
     * A connection to the server's maintenance database as Arbor's application role (which may end
     * its own sessions).
     */
    public static Connection connectToMaintenanceDatabaseAsApplication() throws SQLException {
        return DriverManager.getConnection(
                maintenanceUrl(),
                System.getProperty("arbor.db.user"),
                System.getProperty("arbor.db.password"));
    }

    private static String maintenanceUrl() {
        return System.getProperty("arbor.db.url")
                .replaceFirst("/" + name() + "(\\?|$)", "/postgres$1");
    }

    public static void execute(String sql) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    public static long queryLong(String sql) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The first column of the first row of {@code sql}'s result, as a number. */
    public static long number(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    /** The first column of every row of {@code sql}'s result, as text. */
    public static List<String> rows(Connection db, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    public static void execute(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.execute(sql);
        }
    }
}
