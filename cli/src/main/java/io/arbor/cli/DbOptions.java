package io.arbor.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import picocli.CommandLine.Option;

/** How to reach Arbor's PostgreSQL directly (verify's counts, the db commands). */
final class DbOptions {
    @Option(
            names = "--db-url",
            defaultValue = "${env:ARBOR_DB_URL}",
            description = "JDBC URL of Arbor's database (default: $ARBOR_DB_URL)")
    String url;

    @Option(
            names = "--db-user",
            defaultValue = "${env:ARBOR_DB_USER:-arbor}",
            description = "database user (default: $ARBOR_DB_USER or arbor)")
    String user;

    @Option(
            names = "--db-password",
            defaultValue = "${env:ARBOR_DB_PASSWORD:-arbor}",
            description = "database password (default: $ARBOR_DB_PASSWORD or arbor)")
    String password;

    boolean given() {
        return url != null && !url.isBlank();
    }

    Connection connect() throws SQLException {
        if (!given()) {
            throw new IllegalArgumentException("no database: give --db-url or set ARBOR_DB_URL");
        }
        return DriverManager.getConnection(url, user, password);
    }
}
