package io.arbor.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import picocli.CommandLine.Option;

/**
 * How to reach Arbor's PostgreSQL directly (verify's counts, the db commands): as the tables' owner
 * by default ({@code $ARBOR_DB_OWNER_USER}, locally {@code arbor_owner}). The application's role
 * would not do: it has no privilege on Liquibase's tables, and under row-level security it sees no
 * row without a tenant set (docs/security.md).
 */
final class DbOptions {
    @Option(
            names = "--db-url",
            defaultValue = "${env:ARBOR_DB_URL}",
            description = "JDBC URL of Arbor's database (default: $ARBOR_DB_URL)")
    String url;

    @Option(
            names = "--db-user",
            defaultValue = "${env:ARBOR_DB_OWNER_USER:-arbor_owner}",
            description =
                    "database user, the tables' owner (default: $ARBOR_DB_OWNER_USER or"
                            + " arbor_owner)")
    String user;

    @Option(
            names = "--db-password",
            defaultValue = "${env:ARBOR_DB_OWNER_PASSWORD:-arbor_owner}",
            description = "the owner's password (default: $ARBOR_DB_OWNER_PASSWORD or arbor_owner)")
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
