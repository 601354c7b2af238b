package io.arbor.infrastructure.cache;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Which database the cache describes. {@link #value()}, the incarnation: the cluster's system
 * identifier, the database's oid and the server's start time, prefixed to every cached entry of
 * stored data, so that entries of a database that was since restored from a backup (and may have
 * taken other events at the same versions) are never served: a restore restarts PostgreSQL, and
 * Arbor reads the epoch again when it starts. {@link #database()}, the identifier and the oid only,
 * for the committed heads: instances that read the epoch at different times (one restarted after a
 * PostgreSQL restart, one not) must share them, or a write on one would not reach the other's.
 */
@ApplicationScoped
public class StoreEpoch {
    @Resource(lookup = "jdbc/arbor")
    DataSource dataSource;

    private volatile String[] epoch;

    /** The incarnation: database and server start. */
    public String value() {
        return read()[1];
    }

    /** The database: cluster and oid, the same across PostgreSQL restarts. */
    public String database() {
        return read()[0];
    }

    private String[] read() {
        String[] known = epoch;
        if (known == null) {
            known = query();
            epoch = known;
        }
        return known;
    }

    private String[] query() {
        try (Connection connection = dataSource.getConnection();
                Statement query = connection.createStatement();
                ResultSet row =
                        query.executeQuery(
                                "SELECT (SELECT system_identifier FROM pg_control_system()) || '.'"
                                        + " || (SELECT oid FROM pg_database WHERE datname ="
                                        + " current_database()),"
                                        + " extract(epoch FROM pg_postmaster_start_time())")) {
            row.next();
            return new String[] {row.getString(1), row.getString(1) + '.' + row.getString(2)};
        } catch (SQLException unreachable) {
            throw new IllegalStateException(
                    "Cannot identify the database for the cache", unreachable);
        }
    }
}
