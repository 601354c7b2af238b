package io.arbor.cli;

import io.arbor.client.ArborClient;
import io.arbor.spi.EventHash;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A stream's lifecycle as an export carries it (format 2, docs/lifecycle.md): its version, where
 * its visible events start and the hash their chain continues from, its retention metadata and its
 * delete state. Export reads it from the database, because deleted streams are not in the API (they
 * leave {@code GET /streams}, their reads answer 404 or 410); import recreates it.
 *
 * @param streamId the stream
 * @param version its version (a deleted or fully truncated stream's numbering, kept)
 * @param firstVersion its first version in the file ({@code version + 1} when it has none there)
 * @param previousHash the hex hash of version {@code firstVersion - 1}, the chain's seed (64 zeros
 *     at version 1; null when the store never chained it)
 * @param metadata {@code {"maxAge","maxCount","truncateBefore","custom"}}, as the metadata API
 *     answers it
 * @param deleted "soft", "hard" or null
 */
record LifecycleRecord(
        String streamId,
        long version,
        long firstVersion,
        String previousHash,
        JsonObject metadata,
        String deleted) {

    /** The member of a format-2 line that makes it a lifecycle record (an event has none). */
    static final String MEMBER = "stream";

    /** Whether a stream with this metadata has a rule or custom metadata to set again. */
    boolean hasMetadata() {
        return !metadata.isNull("maxAge")
                || !metadata.isNull("maxCount")
                || !metadata.isNull("truncateBefore")
                || !metadata.getJsonObject("custom").isEmpty();
    }

    JsonObject toJson() {
        JsonObjectBuilder stream =
                Json.createObjectBuilder()
                        .add("streamId", streamId)
                        .add("version", version)
                        .add("firstVersion", firstVersion);
        nullable(stream, "previousHash", previousHash);
        stream.add("metadata", metadata);
        nullable(stream, "deleted", deleted);
        return Json.createObjectBuilder().add(MEMBER, stream).build();
    }

    /**
     * The record of a line {@link #toJson} wrote.
     *
     * @throws IllegalArgumentException when it is not one
     */
    static LifecycleRecord fromJson(JsonObject line) {
        try {
            JsonObject s = line.getJsonObject(MEMBER);
            JsonObject metadata = s.getJsonObject("metadata");
            for (String rule : List.of("maxAge", "maxCount", "truncateBefore")) {
                if (!metadata.isNull(rule) && metadata.getJsonNumber(rule).longValue() < 1) {
                    throw new IllegalArgumentException(rule + " below 1");
                }
            }
            metadata.getJsonObject("custom"); // an object, or the ClassCastException below
            String deleted = s.isNull("deleted") ? null : s.getString("deleted");
            if (deleted != null && !deleted.equals("soft") && !deleted.equals("hard")) {
                throw new IllegalArgumentException("deleted is neither soft nor hard");
            }
            String previousHash = s.isNull("previousHash") ? null : s.getString("previousHash");
            if (previousHash != null) {
                EventHash.fromHex(previousHash);
            }
            LifecycleRecord record =
                    new LifecycleRecord(
                            s.getString("streamId"),
                            s.getJsonNumber("version").longValueExact(),
                            s.getJsonNumber("firstVersion").longValueExact(),
                            previousHash,
                            metadata,
                            deleted);
            if (record.firstVersion < 1 || record.firstVersion > record.version + 1) {
                throw new IllegalArgumentException(
                        "firstVersion "
                                + record.firstVersion
                                + " outside 1.."
                                + (record.version + 1));
            }
            return record;
        } catch (RuntimeException bad) { // NullPointerException, ClassCastException, …
            throw new IllegalArgumentException("not a stream lifecycle record: " + bad, bad);
        }
    }

    /**
     * The lifecycle records of the tenant's streams that need one, read in one transaction: every
     * stream with a rule or a delete state, with a chain anchor (scavenged), or whose first
     * exported event is past version 1 ({@code firstExported}, stream id to that version; the
     * file's own events decide where a stream starts in it, since maxAge can hide more between the
     * event pass and this read).
     *
     * @param category only streams of this category (null: all)
     * @param archive where a seed hash that only the archive holds is read (docs/archive.md)
     */
    static List<LifecycleRecord> read(
            Connection connection,
            String tenant,
            String category,
            Map<String, Long> firstExported,
            ArchiveHashes archive)
            throws SQLException {
        List<String> startingLate =
                firstExported.entrySet().stream()
                        .filter(e -> e.getValue() > 1)
                        .map(Map.Entry::getKey)
                        .toList();
        List<LifecycleRecord> records = new ArrayList<>();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (PreparedStatement statement =
                connection.prepareStatement(
                        "SELECT s.stream_id, s.version, s.max_age_seconds, s.max_count,"
                                + " s.truncate_before, s.custom_metadata::text, s.deleted,"
                                + " a.version, a.hash, (SELECT min(v.version) FROM visible_events"
                                + " v WHERE v.tenant = s.tenant AND v.stream_id = s.stream_id),"
                                + " (SELECT count(*) FROM event_keys k WHERE k.tenant = s.tenant"
                                + " AND k.stream_id = s.stream_id AND k.version = ?::bigint),"
                                + " (SELECT e.hash FROM events e WHERE e.tenant = s.tenant AND"
                                + " e.stream_id = s.stream_id AND e.version = ?::bigint),"
                                + " (SELECT count(*) FROM events e WHERE e.tenant = s.tenant AND"
                                + " e.stream_id = s.stream_id AND e.version = ?::bigint)"
                                + " FROM streams s LEFT JOIN stream_chain_anchors a USING"
                                + " (tenant, stream_id) WHERE s.tenant = ? AND s.stream_id = ?")) {
            for (String id : candidates(connection, tenant, category, startingLate)) {
                records.add(one(statement, tenant, id, firstExported.get(id), archive));
            }
            connection.commit();
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        return records;
    }

    private static List<String> candidates(
            Connection connection, String tenant, String category, Collection<String> startingLate)
            throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement(
                        "SELECT s.stream_id FROM streams s WHERE s.tenant = ? AND (? IS NULL OR"
                                + " s.category = ?) AND (s.has_lifecycle OR EXISTS (SELECT 1 FROM"
                                + " stream_chain_anchors a WHERE a.tenant = s.tenant AND"
                                + " a.stream_id = s.stream_id) OR s.stream_id = ANY (?))"
                                + " ORDER BY s.stream_id")) {
            statement.setString(1, tenant);
            statement.setString(2, category);
            statement.setString(3, category);
            statement.setArray(4, connection.createArrayOf("varchar", startingLate.toArray()));
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        }
    }

    /**
     * One stream's record: it starts at its first exported version, else (no event of it in the
     * file) at its first visible one, else after its head; the seed is the hash of the version
     * before: that version's row, its event in the archive when only a segment holds it (its key is
     * still in {@code event_keys}), or the chain anchor once scavenging removed it.
     */
    private static LifecycleRecord one(
            PreparedStatement statement,
            String tenant,
            String id,
            Long firstExported,
            ArchiveHashes archive)
            throws SQLException {
        // The first version is needed in the statement (the row before it): read the row once
        // to know it, then again with it. Both reads are in one repeatable-read snapshot.
        long version;
        Long firstVisible;
        statement.setLong(1, 0);
        statement.setLong(2, 0);
        statement.setLong(3, 0);
        statement.setString(4, tenant);
        statement.setString(5, id);
        try (ResultSet row = statement.executeQuery()) {
            row.next();
            version = row.getLong(2);
            firstVisible = row.getObject(10) == null ? null : row.getLong(10);
        }
        long first =
                firstExported != null
                        ? firstExported
                        : firstVisible != null ? firstVisible : version + 1;
        statement.setLong(1, first - 1);
        statement.setLong(2, first - 1);
        statement.setLong(3, first - 1);
        try (ResultSet row = statement.executeQuery()) {
            row.next();
            JsonObjectBuilder metadata = Json.createObjectBuilder();
            nullable(metadata, "maxAge", (Long) row.getObject(3));
            nullable(metadata, "maxCount", (Long) row.getObject(4));
            nullable(metadata, "truncateBefore", (Long) row.getObject(5));
            String custom = row.getString(6);
            metadata.add(
                    "custom",
                    custom == null
                            ? JsonValue.EMPTY_JSON_OBJECT
                            : Json.createReader(new StringReader(custom)).readObject());
            String deleted = row.getString(7);
            long anchorVersion = row.getLong(8);
            boolean anchored = !row.wasNull();
            byte[] anchorHash = row.getBytes(9);
            boolean hasKeyBefore = row.getLong(11) > 0;
            byte[] rowHash = row.getBytes(12);
            boolean hasRowBefore = row.getLong(13) > 0;
            byte[] seed;
            if (first == 1) {
                seed = EventHash.GENESIS;
            } else if (hasRowBefore) {
                seed = rowHash;
            } else if (hasKeyBefore) {
                // Stored, not in events: its range is archived and detached; its segment has it.
                seed = archive.hash(tenant, id, first - 1);
            } else if (anchored && anchorVersion == first - 1) {
                seed = anchorHash;
            } else {
                seed = null; // gone without an anchor: import refuses to start the stream here
            }
            return new LifecycleRecord(
                    id,
                    version,
                    first,
                    seed == null ? null : EventHash.toHex(seed),
                    metadata.build(),
                    deleted);
        }
    }

    /**
     * Creates the row of a stream that starts past version 1 in the target, as scavenging would
     * have left it: at version {@code firstVersion - 1}, its head hash the seed, truncated before
     * {@code firstVersion} (so it is ruled from its first moment: the data grid never trusts its
     * head, docs/lifecycle.md), with its chain anchor; the file's events are then appended through
     * the API, chaining from the row as every append does. Returns false when the row was there
     * already with that very anchor (an import run again); throws when it is another stream.
     */
    static boolean createAnchoredRow(Connection connection, String tenant, LifecycleRecord record)
            throws SQLException, IllegalStateException {
        long anchor = record.firstVersion - 1;
        byte[] hash = EventHash.fromHex(record.previousHash);
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            try (PreparedStatement existing =
                    connection.prepareStatement(
                            "SELECT s.version, a.version, a.hash, (SELECT e.hash FROM events e"
                                    + " WHERE e.tenant = s.tenant AND e.stream_id = s.stream_id"
                                    + " AND e.version = ?) FROM streams s LEFT JOIN"
                                    + " stream_chain_anchors a USING (tenant, stream_id) WHERE"
                                    + " s.tenant = ? AND s.stream_id = ? FOR UPDATE OF s")) {
                existing.setLong(1, anchor);
                existing.setString(2, tenant);
                existing.setString(3, record.streamId);
                try (ResultSet row = existing.executeQuery()) {
                    if (row.next()) {
                        long anchorThere = row.getLong(2);
                        boolean anchoredThere = !row.wasNull();
                        // Already there: anchored at that version with that hash (an import run
                        // again), or holding the row of that version with that hash (the file's
                        // own store, truncated but not scavenged).
                        if ((anchoredThere
                                        && anchorThere == anchor
                                        && Arrays.equals(row.getBytes(3), hash))
                                || Arrays.equals(row.getBytes(4), hash)) {
                            connection.commit();
                            return false;
                        }
                        throw new IllegalStateException(
                                "stream "
                                        + record.streamId
                                        + " exists here (version "
                                        + row.getLong(1)
                                        + ") and does not start at version "
                                        + record.firstVersion
                                        + " from the file's seed");
                    }
                }
            }
            try (PreparedStatement insert =
                            connection.prepareStatement(
                                    "INSERT INTO streams (tenant, stream_id, category, version,"
                                            + " lock_version, created_at, updated_at, head_hash,"
                                            + " truncate_before) VALUES (?, ?, ?, ?, 0, now(),"
                                            + " now(), ?, ?)");
                    PreparedStatement anchorRow =
                            connection.prepareStatement(
                                    "INSERT INTO stream_chain_anchors (tenant, stream_id,"
                                            + " version, hash) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, tenant);
                insert.setString(2, record.streamId);
                insert.setString(3, ArborClient.categoryOf(record.streamId));
                insert.setLong(4, anchor);
                insert.setBytes(5, hash);
                insert.setLong(6, record.firstVersion);
                insert.executeUpdate();
                anchorRow.setString(1, tenant);
                anchorRow.setString(2, record.streamId);
                anchorRow.setLong(3, anchor);
                anchorRow.setBytes(4, hash);
                anchorRow.executeUpdate();
            }
            connection.commit();
            return true;
        } catch (SQLException | RuntimeException failed) {
            connection.rollback();
            throw failed;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static void nullable(JsonObjectBuilder json, String name, String value) {
        if (value == null) {
            json.addNull(name);
        } else {
            json.add(name, value);
        }
    }

    private static void nullable(JsonObjectBuilder json, String name, Long value) {
        if (value == null) {
            json.addNull(name);
        } else {
            json.add(name, value);
        }
    }
}
