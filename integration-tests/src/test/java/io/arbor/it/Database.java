package io.arbor.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Direct access to Arbor's PostgreSQL, for tests that must see what was (not) written. */
public final class Database {
    private Database() {}

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(
                System.getProperty("arbor.db.url"),
                System.getProperty("arbor.db.user"),
                System.getProperty("arbor.db.password"));
    }

    /** Arbor's database name, from its JDBC URL. */
    public static String name() {
        String url = System.getProperty("arbor.db.url");
        String afterHost = url.substring(url.indexOf("//") + 2);
        String path = afterHost.substring(afterHost.indexOf('/') + 1);
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    /** A connection to the server's maintenance database, as Arbor's user (who owns Arbor's). */
    public static Connection connectToMaintenanceDatabase() throws SQLException {
        String url =
                System.getProperty("arbor.db.url")
                        .replaceFirst("/" + name() + "(\\?|$)", "/postgres$1");
        return DriverManager.getConnection(
                url, System.getProperty("arbor.db.user"), System.getProperty("arbor.db.password"));
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
}
