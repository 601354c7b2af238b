package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Appends: every expected-version form, conflicts, and idempotent retries by event id. */
class AppendIT extends ArborIT {

    @Test
    void firstAppendCreatesTheStreamAtVersionOneAndAnswersWhereEventsLanded() {
        String stream = Arbor.newStream("account");
        Reply reply = arbor.append(stream, "\"no_stream\"", "Opened", "Deposited");
        assertEquals(201, reply.status(), reply::toString);
        JsonObject body = reply.json();
        assertEquals(stream, body.getString("streamId"));
        assertEquals(1, body.getInt("fromVersion"));
        assertEquals(2, body.getInt("toVersion"));
        long from = body.getJsonNumber("fromPosition").longValue();
        assertEquals(from + 1, body.getJsonNumber("toPosition").longValue());
        assertEquals(2, arbor.get("/streams/" + stream).json().getInt("version"));
    }

    @Test
    void everyExpectedVersionFormIsHonoured() {
        String stream = Arbor.newStream("forms");
        assertEquals(409, arbor.append(stream, "\"stream_exists\"", "A").status());
        assertEquals(201, arbor.append(stream, "0", "A").status());
        assertEquals(201, arbor.append(stream, "\"stream_exists\"", "B").status());
        assertEquals(409, arbor.append(stream, "\"no_stream\"", "C").status());
        assertEquals(201, arbor.append(stream, "2", "C").status());
        assertEquals(201, arbor.append(stream, "\"any\"", "D").status());
        Reply omitted =
                arbor.post(
                        "/streams/" + stream + "/events",
                        "{\"events\":[{\"type\":\"E\",\"data\":{}}]}");
        assertEquals(201, omitted.status(), omitted::toString);
        assertEquals(5, omitted.json().getInt("toVersion"));
    }

    @Test
    void appendWithStaleVersionIsRejectedAndWritesNothing() {
        String stream = Arbor.newStream("stale");
        arbor.append(stream, "0", "A", "B", "C");
        Reply conflict = arbor.append(stream, "1", "D");
        assertEquals(409, conflict.status());
        assertTrue(conflict.isProblem(), conflict::toString);
        JsonObject problem = conflict.json();
        assertEquals(1, problem.getInt("expectedVersion"));
        assertEquals(3, problem.getInt("actualVersion"));
        assertEquals(409, problem.getInt("status"));
        assertNotNull(problem.getString("type"));
        assertNotNull(problem.getString("title"));
        assertNotNull(problem.getString("detail"));
        assertEquals(3, arbor.get("/streams/" + stream).json().getInt("version"));
    }

    @Test
    void conflictOnAKeywordExpectationReportsTheKeyword() {
        String stream = Arbor.newStream("keyword");
        arbor.append(stream, "0", "A");
        JsonObject problem = arbor.append(stream, "\"no_stream\"", "B").json();
        assertEquals("no_stream", problem.getString("expectedVersion"));
        assertEquals(1, problem.getInt("actualVersion"));
    }

    @Test
    void retryOfACommittedAppendAnswers200WithTheOriginalBodyAndWritesNothing() {
        String stream = Arbor.newStream("retry");
        String body =
                "{\"expectedVersion\":0,\"events\":["
                        + Arbor.event(UUID.randomUUID(), "A", "{\"x\":1}")
                        + ","
                        + Arbor.event(UUID.randomUUID(), "B", "{\"x\":2}")
                        + "]}";
        Reply original = arbor.post("/streams/" + stream + "/events", body);
        assertEquals(201, original.status(), original::toString);
        Reply retry = arbor.post("/streams/" + stream + "/events", body);
        assertEquals(200, retry.status(), retry::toString);
        assertEquals(original.json(), retry.json());
        assertEquals(2, arbor.get("/streams/" + stream).json().getInt("version"));
    }

    @Test
    void reusingSomeStoredEventIdsIsRejectedAndWritesNothing() {
        String stream = Arbor.newStream("partial");
        UUID stored = UUID.randomUUID();
        arbor.post(
                "/streams/" + stream + "/events",
                "{\"events\":[" + Arbor.event(stored, "A", "{}") + "]}");
        Reply reuse =
                arbor.post(
                        "/streams/" + stream + "/events",
                        "{\"events\":["
                                + Arbor.event(stored, "A", "{}")
                                + ","
                                + Arbor.event(UUID.randomUUID(), "B", "{}")
                                + "]}");
        assertEquals(409, reuse.status(), reuse::toString);
        assertTrue(reuse.isProblem());
        assertEquals(1, arbor.get("/streams/" + stream).json().getInt("version"));
    }

    @Test
    void reusingAnEventIdStoredOnAnotherStreamIsRejectedAndCreatesNothing() {
        String first = Arbor.newStream("owner");
        String second = Arbor.newStream("thief");
        UUID id = UUID.randomUUID();
        arbor.post(
                "/streams/" + first + "/events",
                "{\"events\":[" + Arbor.event(id, "A", "{}") + "]}");
        Reply reuse =
                arbor.post(
                        "/streams/" + second + "/events",
                        "{\"events\":[" + Arbor.event(id, "A", "{}") + "]}");
        assertEquals(409, reuse.status(), reuse::toString);
        assertEquals(404, arbor.get("/streams/" + second).status());
    }

    /**
     * Ten events whose sixth reuses {@code stolen}, an id stored on another stream: the five before
     * it are valid, and may well have been inserted when the sixth fails.
     */
    private static List<UUID> batchFailingAtIndexFive(UUID stolen) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(i == 5 ? stolen : UUID.randomUUID());
        }
        return ids;
    }

    private static String body(String expectedVersion, List<UUID> ids) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            events.add(Arbor.event(ids.get(i), "Batched", "{\"i\":" + i + "}"));
        }
        return "{\"expectedVersion\":"
                + expectedVersion
                + ",\"events\":["
                + String.join(",", events)
                + "]}";
    }

    /** How many of {@code ids} are stored, on any stream. */
    private static long stored(List<UUID> ids) throws Exception {
        return Database.queryLong(
                "SELECT count(*) FROM events WHERE event_id IN ("
                        + ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","))
                        + ")");
    }

    @Test
    void aBatchFailingAtItsSixthEventCreatesNoStreamAndWritesNoneOfItsEvents() throws Exception {
        String owner = Arbor.newStream("owner");
        UUID stolen = UUID.randomUUID();
        assertEquals(
                201,
                arbor.post(
                                "/streams/" + owner + "/events",
                                "{\"events\":[" + Arbor.event(stolen, "A", "{}") + "]}")
                        .status());
        String stream = Arbor.newStream("batch");
        List<UUID> ids = batchFailingAtIndexFive(stolen);

        Reply refused = arbor.post("/streams/" + stream + "/events", body("\"any\"", ids));

        assertEquals(409, refused.status(), refused::toString);
        assertTrue(refused.isProblem(), refused::toString);
        assertEquals(404, arbor.get("/streams/" + stream).status());
        assertEquals(
                0,
                Database.queryLong(
                        "SELECT count(*) FROM streams WHERE stream_id = '" + stream + "'"));
        assertEquals(
                0,
                Database.queryLong(
                        "SELECT count(*) FROM events WHERE stream_id = '" + stream + "'"));
        List<UUID> others = new ArrayList<>(ids);
        others.remove(stolen);
        assertEquals(0, stored(others), "events of the refused batch are stored");
        // The id it reused is still the owner's one event, nowhere else.
        assertEquals(1, stored(List.of(stolen)));
        assertEquals(1, arbor.get("/streams/" + owner).json().getInt("version"));
    }

    @Test
    void aBatchFailingAtItsSixthEventLeavesAnExistingStreamAtItsVersion() throws Exception {
        String owner = Arbor.newStream("owner");
        UUID stolen = UUID.randomUUID();
        assertEquals(
                201,
                arbor.post(
                                "/streams/" + owner + "/events",
                                "{\"events\":[" + Arbor.event(stolen, "A", "{}") + "]}")
                        .status());
        String stream = Arbor.newStream("batch");
        assertEquals(201, arbor.append(stream, "0", "A", "B").status());
        JsonObject before = arbor.get("/streams/" + stream).json();
        List<UUID> ids = batchFailingAtIndexFive(stolen);

        Reply refused = arbor.post("/streams/" + stream + "/events", body("2", ids));

        assertEquals(409, refused.status(), refused::toString);
        assertTrue(refused.isProblem(), refused::toString);
        assertEquals(before, arbor.get("/streams/" + stream).json());
        assertEquals(
                2,
                Database.queryLong(
                        "SELECT count(*) FROM events WHERE stream_id = '" + stream + "'"));
        assertEquals(
                2,
                Database.queryLong(
                        "SELECT version FROM streams WHERE stream_id = '" + stream + "'"));
        List<UUID> others = new ArrayList<>(ids);
        others.remove(stolen);
        assertEquals(0, stored(others), "events of the refused batch are stored");
        // Versions 3 and on are still free: the same batch without the stolen id takes them.
        List<UUID> fixed = new ArrayList<>(ids);
        fixed.set(5, UUID.randomUUID());
        Reply retried = arbor.post("/streams/" + stream + "/events", body("2", fixed));
        assertEquals(201, retried.status(), retried::toString);
        assertEquals(3, retried.json().getInt("fromVersion"));
        assertEquals(12, retried.json().getInt("toVersion"));
    }

    @Test
    void serverGeneratesEventIdsAndKeepsDataAndMetadataAsSent() {
        String stream = Arbor.newStream("generated");
        Reply reply =
                arbor.post(
                        "/streams/" + stream + "/events",
                        "{\"events\":[{\"type\":\"T\",\"data\":{\"amount\":12.50,\"tags\":[\"a\",\"ü\"],"
                                + "\"big\":123456789012345678901234567890},"
                                + "\"metadata\":{\"by\":\"cli\"},\"schemaVersion\":1}]}");
        assertEquals(201, reply.status(), reply::toString);
        JsonObject event =
                arbor.get("/streams/" + stream + "/events")
                        .json()
                        .getJsonArray("events")
                        .getJsonObject(0);
        UUID.fromString(event.getString("eventId"));
        assertEquals("T", event.getString("type"));
        // T has no registered schema: version 1 is the only one it takes (SchemaRegistryIT).
        assertEquals(1, event.getInt("schemaVersion"));
        assertEquals(
                "12.50",
                event.getJsonObject("data")
                        .getJsonNumber("amount")
                        .bigDecimalValue()
                        .toPlainString());
        assertEquals("ü", event.getJsonObject("data").getJsonArray("tags").getString(1));
        assertEquals(
                "123456789012345678901234567890",
                event.getJsonObject("data").getJsonNumber("big").bigIntegerValue().toString());
        assertEquals("cli", event.getJsonObject("metadata").getString("by"));
        assertTrue(event.getString("recordedAt").endsWith("Z"));
    }

    /**
     * A batch's types, data and metadata travel to PostgreSQL as one array parameter per column
     * (EventRows.insert): every element must come back as sent, whatever array syntax or escaping
     * it holds (quotes, backslashes, braces, commas, the word NULL, control and non-BMP characters,
     * JSON nulls), and in its own event.
     */
    @Test
    void everyEventOfABatchKeepsItsTypeDataAndMetadataCharacterForCharacter() {
        String stream = Arbor.newStream("arrays");
        String[] types = {"a\"b", "c\\d", "NULL", "{x,y}", " spaced ", "Ünïcode 𝄞"};
        String[] data = {
            "{\"q\":\"say \\\"hi\\\" \\\\ back\"}",
            "{\"s\":\"{,}\\\"NULL\\\"\",\"n\":null}",
            "{\"u\":\"é中😀\\u0001\\n\\t\"}",
            "{}",
            "{\"NULL\":\"NULL\",\"a\":[null,\"\",\"\\\\\"]}",
            "{\"x\":{\"y\":[1,2.5,-3,true,false]}}"
        };
        String[] metadata = {
            "{\"by\":null}",
            "{}",
            "{\"n\":[null]}",
            "{\"q\":\"\\\"\"}",
            "{\"b\":\"\\\\\"}",
            "{\"k\":\"}{\"}"
        };
        List<String> events = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            events.add(
                    "{\"type\":"
                            + Json.createValue(types[i])
                            + ",\"data\":"
                            + data[i]
                            + ",\"metadata\":"
                            + metadata[i]
                            + "}");
        }
        Reply reply =
                arbor.post(
                        "/streams/" + stream + "/events",
                        "{\"events\":[" + String.join(",", events) + "]}");
        assertEquals(201, reply.status(), reply::toString);
        JsonArray stored =
                arbor.get("/streams/" + stream + "/events").json().getJsonArray("events");
        assertEquals(types.length, stored.size());
        for (int i = 0; i < types.length; i++) {
            JsonObject event = stored.getJsonObject(i);
            assertEquals(i + 1, event.getInt("version"));
            assertEquals(types[i], event.getString("type"), "type of event " + i);
            assertEquals(parse(data[i]), event.getJsonObject("data"), "data of event " + i);
            assertEquals(
                    parse(metadata[i]), event.getJsonObject("metadata"), "metadata of event " + i);
        }
    }

    private static JsonObject parse(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }
}
