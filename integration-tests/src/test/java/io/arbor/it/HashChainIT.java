package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.infrastructure.migration.HashChainBackfill;
import io.arbor.spi.EventHash;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Per-stream hash chains (docs/tamper-evidence.md) on the real server and PostgreSQL: the hash an
 * append stores is the one a client recomputes from the {@code ?upcast=false} answer, whatever text
 * of the JSON the writer sent and whatever text {@code jsonb} gives back; every read carries it;
 * the migration's backfill chains a store's older events and an append meanwhile.
 */
class HashChainIT extends ArborIT {

    /** JSON that jsonb stores as another text: reordered keys, numbers in other notations. */
    private static final String ODD_DATA =
            "{ \"z\" : 1.50, \"a\" : [1e2, -0, 15E-1, 0.000, -1e-3, 1E+2],"
                    + " \"big\": 123456789012345678901234567890.123456789012345678900,"
                    + " \"huge\": 1e400, \"tiny\": 1e-400,"
                    + " \"esc\": \"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001 \\/ \\u00e9 \\ud83d\\ude00 \\u2028\","
                    + " \"é\": {\"\\uFB01\": true, \"\\ud83d\\ude00\": null, \"B\": false, \"A\": {}},"
                    + " \"empty\": [], \"nested\": {\"y\": [{\"b\": 2, \"a\": 1}], \"x\": \"\"} }";

    @Test
    void theStoredHashIsTheOneAClientRecomputesFromTheStoredForm() throws Exception {
        String stream = Arbor.newStream("hash");
        String first =
                "{\"expectedVersion\":\"no_stream\",\"events\":["
                        + Arbor.event(UUID.randomUUID(), "Odd", ODD_DATA)
                        + ",{\"type\":\"Plain\",\"data\":{},\"metadata\":{\"k\":\"v\",\"a\":[1.0]}}]}";
        assertEquals(201, arbor.post("/streams/" + stream + "/events", first).status());
        assertEquals(
                201,
                arbor.post(
                                "/streams/" + stream + "/events",
                                "{\"expectedVersion\":2,\"events\":["
                                        + Arbor.event(UUID.randomUUID(), "Third", "{\"n\":3}")
                                        + "]}")
                        .status());
        assertEquals(201, arbor.append(stream, "\"any\"", "Fourth", "Fifth").status());

        List<JsonObject> events = storedForm(stream);
        assertEquals(5, events.size());
        byte[] previous = EventHash.GENESIS;
        for (JsonObject event : events) {
            byte[] recomputed = recompute(previous, event);
            assertEquals(EventHash.toHex(recomputed), event.getString("hash"), event.toString());
            previous = recomputed;
        }
        assertEquals(EventHash.toHex(previous), headHash(stream));

        // Every read that shows an event carries the same hash.
        JsonObject v1 = events.get(0);
        String id = v1.getString("eventId");
        assertEquals(v1.getString("hash"), arbor.get("/events/" + id).json().getString("hash"));
        assertEquals(
                v1.getString("hash"),
                arbor.get("/streams/" + stream + "/events?from=1&limit=1")
                        .json()
                        .getJsonArray("events")
                        .getJsonObject(0)
                        .getString("hash"));
        long position = v1.getJsonNumber("globalPosition").longValue();
        assertEquals(
                v1.getString("hash"),
                arbor.get("/events?limit=1&after=" + (position - 1))
                        .json()
                        .getJsonArray("events")
                        .getJsonObject(0)
                        .getString("hash"));
    }

    @Test
    void anUpcastReadCarriesTheStoredEventsHash() {
        String type = "Hashed" + UUID.randomUUID().toString().replace("-", "");
        String schema =
                "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\"}";
        assertEquals(201, arbor.put("/schemas/" + type + "/versions/1", schema).status());
        String stream = Arbor.newStream("hash");
        assertEquals(
                201,
                arbor.post(
                                "/streams/" + stream + "/events",
                                "{\"events\":["
                                        + Arbor.event(UUID.randomUUID(), type, "{\"old\":1}")
                                        + "]}")
                        .status());
        assertEquals(201, arbor.put("/schemas/" + type + "/versions/2", schema).status());
        assertEquals(
                201,
                arbor.put(
                                "/schemas/" + type + "/upcasters/1",
                                "{\"operations\":[{\"op\":\"rename\",\"path\":\"/old\",\"to\":\"new\"}]}")
                        .status());
        JsonObject upcast =
                arbor.get("/streams/" + stream + "/events")
                        .json()
                        .getJsonArray("events")
                        .getJsonObject(0);
        JsonObject stored = storedForm(stream).get(0);
        assertEquals(2, upcast.getInt("schemaVersion"));
        assertEquals(1, stored.getInt("schemaVersion"));
        assertEquals(stored.getString("hash"), upcast.getString("hash"));
        assertEquals(
                EventHash.toHex(recompute(EventHash.GENESIS, stored)), stored.getString("hash"));
    }

    /**
     * A store from before hash chains: events without hashes and stream rows without a head hash
     * (as the changeset leaves them). An append to such a stream before the backfill runs writes
     * NULL hashes; the backfill then chains every event, that append's included, and later appends
     * chain on. (An append while the backfill holds the stream's row is not tested here: it waits
     * for the row, or loses its race to the backfill's version bump and is retried;
     * docs/tamper-evidence.md argues it.)
     */
    @Test
    void theBackfillChainsAStoreFromBeforeIncludingAnAppendBeforeItRan() throws Exception {
        String stream = Arbor.newStream("hash");
        assertEquals(201, arbor.append(stream, "\"no_stream\"", "A", "B", "C").status());
        List<String> chained = hashes(storedForm(stream));
        Database.execute("UPDATE events SET hash = NULL WHERE stream_id = '" + stream + "'");
        Database.execute("UPDATE streams SET head_hash = NULL WHERE stream_id = '" + stream + "'");

        assertEquals(201, arbor.append(stream, "3", "D").status());
        List<JsonObject> before = storedForm(stream);
        for (JsonObject event : before) {
            assertEquals(JsonValue.NULL, event.get("hash"), "not chained yet: " + event);
        }

        try (Connection owner = Database.connect()) {
            assertTrue(HashChainBackfill.run(owner) >= 1);
            assertEquals(0, HashChainBackfill.run(owner), "resumable: nothing left to do");
        }
        assertEquals(201, arbor.append(stream, "4", "E").status());
        List<JsonObject> after = storedForm(stream);
        assertEquals(chained, hashes(after).subList(0, 3), "the same hashes as on append");
        byte[] previous = EventHash.GENESIS;
        for (JsonObject event : after) {
            byte[] recomputed = recompute(previous, event);
            assertEquals(EventHash.toHex(recomputed), event.getString("hash"), event.toString());
            previous = recomputed;
        }
        assertEquals(EventHash.toHex(previous), headHash(stream));
    }

    /**
     * {@code arbor verify} against the real store: one changed byte of stored data, a deleted row,
     * two versions' contents swapped, two events' versions swapped. Each is undone before the next,
     * so the shared database stays clean for the other suites (CliIT verifies it).
     */
    @Test
    void verifyNamesAChangedByteADeletedRowAndSwappedVersions() throws Exception {
        String stream = Arbor.newStream("tamper");
        assertEquals(201, arbor.append(stream, "\"no_stream\"", "A", "B", "C", "D").status());
        String where = " WHERE tenant = 'default' AND stream_id = '" + stream + "'";

        tampered(
                "UPDATE events SET data = data || '{\"tampered\":1}'" + where + " AND version = 2",
                "UPDATE events SET data = data - 'tampered'" + where + " AND version = 2",
                List.of("stream " + stream + " v2: hash chain broken"));
        try (Connection owner = Database.connect()) {
            owner.createStatement()
                    .execute(
                            "CREATE TEMP TABLE removed AS SELECT * FROM events"
                                    + where
                                    + " AND version = 2");
            owner.createStatement().execute("DELETE FROM events" + where + " AND version = 2");
            try {
                List<String> anomalies = verifyAnomalies();
                assertTrue(
                        anomalies.contains(
                                "stream "
                                        + stream
                                        + ": version 3 where 2 was due (gap or disorder)"),
                        anomalies.toString());
                assertTrue(
                        anomalies.stream()
                                .anyMatch(
                                        a ->
                                                a.startsWith(
                                                        "stream "
                                                                + stream
                                                                + " v3: hash chain broken")),
                        anomalies.toString());
            } finally {
                owner.createStatement().execute("INSERT INTO events SELECT * FROM removed");
            }
        }
        tampered(
                "UPDATE events e SET data = o.data FROM events o WHERE e.tenant = o.tenant AND e.stream_id = o.stream_id"
                        + " AND e.stream_id = '"
                        + stream
                        + "' AND e.version + o.version = 7 AND e.version IN (3, 4)",
                "UPDATE events e SET data = o.data FROM events o WHERE e.tenant = o.tenant AND e.stream_id = o.stream_id"
                        + " AND e.stream_id = '"
                        + stream
                        + "' AND e.version + o.version = 7 AND e.version IN (3, 4)",
                List.of(
                        "stream " + stream + " v3: hash chain broken",
                        "stream " + stream + " v4: hash chain broken"));
        String swap =
                "UPDATE events SET version = 1000003"
                        + where
                        + " AND version = 3; UPDATE events SET version = 3"
                        + where
                        + " AND version = 4; UPDATE events SET version = 4"
                        + where
                        + " AND version = 1000003";
        tampered(swap, swap, List.of("stream " + stream + " v3: hash chain broken"));
        assertEquals(List.of(), verifyAnomalies(), "undone: the store verifies clean");
    }

    /** Runs {@code change}, requires verify to name each of {@code named}, runs {@code undo}. */
    private static void tampered(String change, String undo, List<String> named) throws Exception {
        Database.execute(change);
        try {
            List<String> anomalies = verifyAnomalies();
            for (String name : named) {
                assertTrue(
                        anomalies.stream().anyMatch(a -> a.startsWith(name)),
                        name + " in " + anomalies);
            }
        } finally {
            Database.execute(undo);
        }
    }

    private static List<String> verifyAnomalies() {
        CliIT.Run run = CliIT.arborDb("verify", "--json");
        JsonObject summary = run.jsonLines().get(0);
        List<String> anomalies =
                summary.getJsonArray("anomalyList").getValuesAs(JsonString.class).stream()
                        .map(JsonString::getString)
                        .toList();
        assertEquals(anomalies.isEmpty() ? 0 : 1, run.status(), run::toString);
        return anomalies;
    }

    private List<JsonObject> storedForm(String stream) {
        List<JsonObject> events = new ArrayList<>();
        for (JsonValue event :
                arbor.get("/streams/" + stream + "/events?limit=1000&upcast=false")
                        .json()
                        .getJsonArray("events")) {
            events.add(event.asJsonObject());
        }
        return events;
    }

    private static List<String> hashes(List<JsonObject> events) {
        return events.stream().map(e -> e.getString("hash")).toList();
    }

    /** The hash from the API's answer alone, as docs/tamper-evidence.md tells a client to. */
    static byte[] recompute(byte[] previous, JsonObject event) {
        List<String> tags =
                event.containsKey("tags")
                        ? event.getJsonArray("tags").getValuesAs(JsonString.class).stream()
                                .map(JsonString::getString)
                                .toList()
                        : List.of();
        return EventHash.hash(
                previous,
                UUID.fromString(event.getString("eventId")),
                event.getString("streamId"),
                event.getJsonNumber("version").longValue(),
                event.getString("type"),
                event.getInt("schemaVersion"),
                event.get("data").toString(),
                event.get("metadata").toString(),
                tags);
    }

    private static String headHash(String stream) throws Exception {
        try (Connection owner = Database.connect();
                PreparedStatement select =
                        owner.prepareStatement(
                                "SELECT encode(head_hash, 'hex') FROM streams WHERE stream_id = ?")) {
            select.setString(1, stream);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next());
                String hash = row.getString(1);
                assertFalse(hash == null, "a head hash");
                return hash;
            }
        }
    }
}
