package io.arbor.infrastructure.migration;

import io.arbor.spi.EventHash;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Chains the events stored before hash chains existed (changeset {@code 2026-12-07-03}): every
 * stream whose row has no {@code head_hash} yet, one stream per transaction, its events read in
 * pages of {@link #EVENTS_PER_READ} versions. Run by {@link SchemaMigration} after Liquibase, as
 * the tables' owner (every tenant's rows). Resumable: what it has committed stays chained, and a
 * stream is done exactly when its row has a head hash, so an interrupted run continues where it
 * stopped on the next deploy.
 *
 * <p>Appends meanwhile stay correct (docs/tamper-evidence.md, "the migration"): an append to a
 * stream not chained yet writes NULL hashes and leaves the head hash NULL, because it has nothing
 * to chain from. This takes the stream row's lock ({@code FOR UPDATE}) before it reads the events,
 * so an append in flight has committed (its events are then read and chained) or waits for this
 * commit; and it bumps the row's {@code lock_version}, so an append that had read the row without a
 * lock (a precise expectation) loses its race, retries, and chains from the new head hash.
 */
public final class HashChainBackfill {
    static final int STREAMS_PER_READ = 100;
    static final int EVENTS_PER_READ = 1000;

    private static final Logger LOG = Logger.getLogger(HashChainBackfill.class.getName());

    private HashChainBackfill() {}

    /** Chains every stream not chained yet; the number of streams it chained. */
    public static long run(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            long chained = 0;
            String afterTenant = "";
            String afterStream = "";
            while (true) {
                List<String[]> page = unchained(connection, afterTenant, afterStream);
                connection.commit();
                for (String[] stream : page) {
                    try {
                        if (chain(connection, stream[0], stream[1])) {
                            chained++;
                        }
                        connection.commit();
                    } catch (SQLException | RuntimeException failed) {
                        connection.rollback();
                        throw failed;
                    }
                }
                if (page.size() < STREAMS_PER_READ) {
                    break;
                }
                String[] last = page.get(page.size() - 1);
                afterTenant = last[0];
                afterStream = last[1];
            }
            if (chained > 0) {
                LOG.info("Hash chains: chained the events of " + chained + " stream(s)");
            }
            return chained;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** The next streams (in key order) whose rows have no head hash (the partial index). */
    private static List<String[]> unchained(Connection connection, String tenant, String stream)
            throws SQLException {
        List<String[]> page = new ArrayList<>();
        try (PreparedStatement select =
                connection.prepareStatement(
                        "SELECT tenant, stream_id FROM streams WHERE head_hash IS NULL"
                                + " AND (tenant, stream_id) > (?, ?)"
                                + " ORDER BY tenant, stream_id LIMIT "
                                + STREAMS_PER_READ)) {
            select.setString(1, tenant);
            select.setString(2, stream);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    page.add(new String[] {rows.getString(1), rows.getString(2)});
                }
            }
        }
        return page;
    }

    /**
     * One stream, in the caller's transaction: locks its row, chains its events in version order,
     * sets its head hash. False when another run chained it first.
     */
    private static boolean chain(Connection connection, String tenant, String stream)
            throws SQLException {
        long version;
        try (PreparedStatement lock =
                connection.prepareStatement(
                        "SELECT version FROM streams WHERE tenant = ? AND stream_id = ?"
                                + " AND head_hash IS NULL FOR UPDATE")) {
            lock.setString(1, tenant);
            lock.setString(2, stream);
            try (ResultSet row = lock.executeQuery()) {
                if (!row.next()) {
                    return false;
                }
                version = row.getLong(1);
            }
        }
        byte[] previous = EventHash.GENESIS;
        long next = 1;
        while (next <= version) {
            List<Long> versions = new ArrayList<>();
            List<String> hashes = new ArrayList<>();
            try (PreparedStatement read =
                    connection.prepareStatement(
                            "SELECT event_id, version, type, schema_version, data::text,"
                                    + " metadata::text,"
                                    + " ARRAY(SELECT jsonb_array_elements_text(tags))"
                                    + " FROM events WHERE tenant = ? AND stream_id = ?"
                                    + " AND version >= ? ORDER BY version LIMIT "
                                    + EVENTS_PER_READ)) {
                read.setString(1, tenant);
                read.setString(2, stream);
                read.setLong(3, next);
                try (ResultSet rows = read.executeQuery()) {
                    while (rows.next()) {
                        long at = rows.getLong(2);
                        if (at != next) {
                            LOG.warning(
                                    "Hash chains: stream "
                                            + stream
                                            + " of tenant "
                                            + tenant
                                            + " has no version "
                                            + next
                                            + " (next stored: "
                                            + at
                                            + "); chained as stored, arbor verify reports it");
                        }
                        Array tags = rows.getArray(7);
                        previous =
                                EventHash.hash(
                                        previous,
                                        UUID.fromString(rows.getString(1)),
                                        stream,
                                        at,
                                        rows.getString(3),
                                        rows.getInt(4),
                                        rows.getString(5),
                                        rows.getString(6),
                                        Arrays.asList((String[]) tags.getArray()));
                        versions.add(at);
                        hashes.add(EventHash.toHex(previous));
                        next = at + 1;
                    }
                }
            }
            if (versions.isEmpty()) {
                break;
            }
            try (PreparedStatement update =
                    connection.prepareStatement(
                            "UPDATE events e SET hash = decode(u.h, 'hex')"
                                    + " FROM unnest(?, ?) AS u(v, h)"
                                    + " WHERE e.tenant = ? AND e.stream_id = ? AND e.version = u.v")) {
                update.setArray(1, connection.createArrayOf("bigint", versions.toArray()));
                update.setArray(2, connection.createArrayOf("text", hashes.toArray()));
                update.setString(3, tenant);
                update.setString(4, stream);
                update.executeUpdate();
            }
        }
        try (PreparedStatement head =
                connection.prepareStatement(
                        "UPDATE streams SET head_hash = ?, lock_version = lock_version + 1"
                                + " WHERE tenant = ? AND stream_id = ?")) {
            head.setBytes(1, previous);
            head.setString(2, tenant);
            head.setString(3, stream);
            head.executeUpdate();
        }
        return true;
    }
}
