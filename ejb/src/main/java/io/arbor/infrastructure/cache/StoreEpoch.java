package io.arbor.infrastructure.cache;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Which database incarnation the cache describes: the cluster's system identifier, the database's
 * oid and the server's start time. Prefixed to every cache key, so that entries of a database that
 * was since restored from a backup (and may have taken other events at the same versions) are never
 * served: a restore restarts PostgreSQL, and Arbor reads the epoch again when it starts.
 */
@ApplicationScoped
public class StoreEpoch {
    @Resource(lookup = "jdbc/arbor")
    DataSource dataSource;

    private volatile String epoch;

    public String value() {
        String known = epoch;
        if (known == null) {
            known = read();
            epoch = known;
        }
        return known;
    }

    private String read() {
        try (Connection connection = dataSource.getConnection();
                Statement query = connection.createStatement();
                ResultSet row =
                        query.executeQuery(
                                "SELECT (SELECT system_identifier FROM pg_control_system()) || '.'"
                                        + " || (SELECT oid FROM pg_database WHERE datname ="
                                        + " current_database()) || '.'"
                                        + " || extract(epoch FROM pg_postmaster_start_time())")) {
            row.next();
            return row.getString(1);
        } catch (SQLException unreachable) {
            throw new IllegalStateException(
                    "Cannot identify the database for the cache", unreachable);
        }
    }
}
