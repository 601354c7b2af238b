package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.it.upcasters.CelsiusToKelvin;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The event type registry (issue 6): registration, compatibility modes, validation on append, and
 * upcasting on read. Every test uses event types of its own.
 */
class SchemaRegistryIT extends ArborIT {
    private static final String AMOUNT_V1 =
            """
            {"type":"object","required":["amount"],
             "properties":{"amount":{"type":"integer","minimum":1}}}""";

    private static String newType() {
        return "T" + UUID.randomUUID().toString().replace("-", "");
    }

    private Reply register(String type, int version, String schema) {
        return arbor.put("/schemas/" + type + "/versions/" + version, schema);
    }

    private Reply compatibility(String type, String mode) {
        return arbor.put(
                "/schemas/" + type + "/compatibility", "{\"compatibility\":\"" + mode + "\"}");
    }

    private static JsonObject parse(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    private static void assertProblem(int status, String type, Reply reply) {
        assertEquals(status, reply.status(), reply::toString);
        assertTrue(reply.isProblem(), reply::toString);
        assertEquals("urn:arbor:problem:" + type, reply.json().getString("type"), reply::toString);
    }

    @Test
    void registeringIsCreatedThenIdenticalIsOkAndDifferentIsConflict() {
        String type = newType();
        Reply created = register(type, 1, AMOUNT_V1);
        assertEquals(201, created.status(), created::toString);
        assertEquals(parse(AMOUNT_V1), created.json().getJsonObject("schema"));

        // The same schema, keys in another order and other spacing: the same document.
        Reply again =
                register(
                        type,
                        1,
                        "{ \"properties\": {\"amount\": {\"minimum\": 1, \"type\": \"integer\"}},"
                                + " \"required\": [\"amount\"], \"type\": \"object\" }");
        assertEquals(200, again.status(), again::toString);

        Reply different =
                register(type, 1, "{\"type\":\"object\",\"required\":[\"amount\",\"currency\"]}");
        assertProblem(409, "schema-conflict", different);

        Reply read = arbor.get("/schemas/" + type + "/versions/1");
        assertEquals(200, read.status(), read::toString);
        assertEquals(parse(AMOUNT_V1), read.json().getJsonObject("schema"));
        JsonObject described = arbor.get("/schemas/" + type).json();
        assertEquals(1, described.getInt("latestVersion"));
        assertEquals("BACKWARD", described.getString("compatibility"));
        JsonArray types = arbor.get("/schemas").json().getJsonArray("types");
        assertTrue(
                types.stream()
                        .map(JsonValue::asJsonObject)
                        .anyMatch(
                                t ->
                                        t.getString("type").equals(type)
                                                && t.getInt("latestVersion") == 1),
                types::toString);
    }

    @Test
    void versionsStartAtOneWithoutGapsAndUnknownOnesAre404() {
        String type = newType();
        assertProblem(400, "invalid-request", register(type, 2, AMOUNT_V1));
        assertProblem(400, "invalid-request", register(type, 0, AMOUNT_V1));
        assertProblem(404, "event-type-not-found", arbor.get("/schemas/" + type));
        assertEquals(201, register(type, 1, AMOUNT_V1).status());
        assertProblem(400, "invalid-request", register(type, 3, AMOUNT_V1));
        assertProblem(404, "event-type-not-found", arbor.get("/schemas/" + type + "/versions/2"));
    }

    @Test
    void aDocumentThatIsNotADraft2020SchemaIs400() {
        String type = newType();
        assertProblem(400, "invalid-request", register(type, 1, "{\"type\":\"strnig\"}"));
        assertProblem(
                400,
                "invalid-request",
                register(type, 1, "{\"$schema\":\"http://json-schema.org/draft-07/schema#\"}"));
        assertProblem(
                400,
                "invalid-request",
                register(type, 1, "{\"$ref\":\"http://example.com/elsewhere.json\"}"));
        assertProblem(400, "invalid-request", register(type, 1, "[1]"));
        assertProblem(404, "event-type-not-found", arbor.get("/schemas/" + type));
    }

    @Test
    void backwardAcceptsAnOptionalFieldAndAWiderTypeButNotANewRequiredField() {
        String type = newType();
        assertEquals(201, register(type, 1, AMOUNT_V1).status());
        Reply required =
                register(
                        type,
                        2,
                        """
                        {"type":"object","required":["amount","currency"],
                         "properties":{"amount":{"type":"integer","minimum":1},
                                       "currency":{"type":"string"}}}""");
        assertProblem(409, "incompatible-schema", required);
        JsonObject problem = required.json();
        assertEquals("BACKWARD", problem.getString("compatibility"));
        assertEquals(
                List.of("/currency"), pointers(problem.getJsonArray("breaks")), problem::toString);

        Reply narrowed =
                register(
                        type,
                        2,
                        """
                        {"type":"object","required":["amount"],
                         "properties":{"amount":{"type":"integer","minimum":10}}}""");
        assertProblem(409, "incompatible-schema", narrowed);
        assertEquals(List.of("/amount"), pointers(narrowed.json().getJsonArray("breaks")));

        Reply optional =
                register(
                        type,
                        2,
                        """
                        {"type":"object","required":["amount"],
                         "properties":{"amount":{"type":"number"},
                                       "currency":{"type":"string"}}}""");
        assertEquals(201, optional.status(), optional::toString);
    }

    @Test
    void backwardRefusesARemovedEnumValueAndAClosedObjectTheWriterOpened() {
        String type = newType();
        String v1 =
                """
                {"type":"object","additionalProperties":true,
                 "properties":{"kind":{"enum":["card","cash"]}}}""";
        assertEquals(201, register(type, 1, v1).status());
        Reply enumShrunk =
                register(
                        type,
                        2,
                        """
                        {"type":"object","additionalProperties":true,
                         "properties":{"kind":{"enum":["card"]}}}""");
        assertProblem(409, "incompatible-schema", enumShrunk);
        assertEquals(List.of("/kind"), pointers(enumShrunk.json().getJsonArray("breaks")));
        Reply closed =
                register(
                        type,
                        2,
                        """
                        {"type":"object","additionalProperties":false,
                         "properties":{"kind":{"enum":["card","cash"]}}}""");
        assertProblem(409, "incompatible-schema", closed);
        Reply enumGrown =
                register(
                        type,
                        2,
                        """
                        {"type":"object","additionalProperties":true,
                         "properties":{"kind":{"enum":["card","cash","voucher"]}}}""");
        assertEquals(201, enumGrown.status(), enumGrown::toString);
    }

    @Test
    void forwardAcceptsANewRequiredFieldButNotARemovedOneOrAWiderType() {
        String type = newType();
        assertEquals(200, compatibility(type, "FORWARD").status());
        assertEquals(201, register(type, 1, AMOUNT_V1).status());
        assertProblem(
                409,
                "incompatible-schema",
                register(type, 2, "{\"type\":\"object\",\"properties\":{\"amount\":{}}}"));
        assertProblem(
                409,
                "incompatible-schema",
                register(
                        type,
                        2,
                        """
                        {"type":"object","required":["amount"],
                         "properties":{"amount":{"type":"number","minimum":1}}}"""));
        Reply added =
                register(
                        type,
                        2,
                        """
                        {"type":"object","required":["amount","currency"],
                         "properties":{"amount":{"type":"integer","minimum":1},
                                       "currency":{"type":"string"}}}""");
        assertEquals(201, added.status(), added::toString);
        assertEquals("FORWARD", arbor.get("/schemas/" + type).json().getString("compatibility"));
    }

    @Test
    void fullAcceptsOnlyChangesBothWays() {
        String type = newType();
        assertEquals(200, compatibility(type, "FULL").status());
        assertEquals(201, register(type, 1, AMOUNT_V1).status());
        Reply required =
                register(
                        type,
                        2,
                        """
                        {"type":"object","required":["amount","currency"],
                         "properties":{"amount":{"type":"integer","minimum":1},
                                       "currency":{"type":"string"}}}""");
        assertProblem(409, "incompatible-schema", required);
        Reply removed = register(type, 2, "{\"type\":\"object\",\"properties\":{\"amount\":{}}}");
        assertProblem(409, "incompatible-schema", removed);
        Reply optional =
                register(
                        type,
                        2,
                        """
                        {"type":"object","required":["amount"],
                         "properties":{"amount":{"type":"integer","minimum":1},
                                       "note":{"type":"string"}}}""");
        assertEquals(201, optional.status(), optional::toString);
    }

    @Test
    void noneAcceptsAnyChangeAndAnUnknownModeIs400() {
        String type = newType();
        assertProblem(400, "invalid-request", compatibility(type, "SIDEWAYS"));
        assertEquals(200, compatibility(type, "NONE").status());
        assertEquals(201, register(type, 1, AMOUNT_V1).status());
        Reply anything =
                register(
                        type,
                        2,
                        "{\"type\":\"object\",\"required\":[\"total\"],"
                                + "\"properties\":{\"total\":{\"type\":\"string\"}}}");
        assertEquals(201, anything.status(), anything::toString);
    }

    @Test
    void invalidEventsFailTheWholeAppendListingEachViolationAndTheStreamIsNotCreated()
            throws Exception {
        String type = newType();
        assertEquals(201, register(type, 1, AMOUNT_V1).status());
        String stream = Arbor.newStream("validated");
        Reply refused =
                arbor.post(
                        "/streams/" + stream + "/events",
                        "{\"expectedVersion\":\"no_stream\",\"events\":["
                                + event(type, "{\"amount\":5}")
                                + ","
                                + event(type, "{\"amount\":0}")
                                + ","
                                + event(type, "{\"amount\":\"5\"}")
                                + ","
                                + event(type, "{}")
                                + "]}");
        assertProblem(400, "invalid-event-data", refused);
        JsonArray violations = refused.json().getJsonArray("violations");
        assertEquals(
                List.of("1 /events/1/data/amount", "2 /events/2/data/amount", "3 /events/3/data"),
                violations.stream()
                        .map(JsonValue::asJsonObject)
                        .map(v -> v.getInt("eventIndex") + " " + v.getString("pointer"))
                        .sorted()
                        .collect(Collectors.toList()),
                violations::toString);
        violations.forEach(v -> assertTrue(!v.asJsonObject().getString("message").isBlank()));
        assertEquals(404, arbor.get("/streams/" + stream).status());
        assertEquals(
                0,
                Database.queryLong(
                        "SELECT count(*) FROM streams WHERE stream_id = '" + stream + "'"));
        assertEquals(
                0,
                Database.queryLong(
                        "SELECT count(*) FROM events WHERE stream_id = '" + stream + "'"));
    }

    @Test
    void eachStoredEventRecordsTheSchemaVersionItFollows() throws Exception {
        String type = newType();
        assertEquals(201, register(type, 1, AMOUNT_V1).status());
        assertEquals(
                201,
                register(
                                type,
                                2,
                                """
                                {"type":"object","required":["amount"],
                                 "properties":{"amount":{"type":"integer","minimum":1},
                                               "currency":{"type":"string"}}}""")
                        .status());
        String stream = Arbor.newStream("versions");
        Reply stored =
                arbor.post(
                        "/streams/" + stream + "/events",
                        "{\"events\":["
                                + event(type, "{\"amount\":5,\"currency\":\"EUR\"}")
                                + ",{\"type\":\""
                                + type
                                + "\",\"schemaVersion\":1,\"data\":{\"amount\":7}}"
                                + ",{\"type\":\"Unregistered"
                                + type
                                + "\",\"data\":{\"anything\":true}}]}");
        assertEquals(201, stored.status(), stored::toString);
        List<Integer> versions =
                arbor.get("/streams/" + stream + "/events").json().getJsonArray("events").stream()
                        .map(e -> e.asJsonObject().getInt("schemaVersion"))
                        .toList();
        assertEquals(List.of(2, 1, 1), versions);
        assertEquals(
                3,
                Database.queryLong(
                        "SELECT sum(schema_version) FROM events WHERE stream_id = '"
                                + stream
                                + "' AND type = '"
                                + type
                                + "'"));

        Reply unknownVersion =
                arbor.post(
                        "/streams/" + stream + "/events",
                        "{\"events\":[{\"type\":\""
                                + type
                                + "\",\"schemaVersion\":3,\"data\":{\"amount\":7}}]}");
        assertProblem(400, "invalid-event-data", unknownVersion);
        assertEquals(
                "/events/0/schemaVersion",
                unknownVersion
                        .json()
                        .getJsonArray("violations")
                        .getJsonObject(0)
                        .getString("pointer"));
    }

    @Test
    void anEventOfAnUnregisteredTypeTakesOnlySchemaVersionOneAndAnotherWritesNothing()
            throws Exception {
        String type = "Unregistered" + newType();
        String stream = Arbor.newStream("unregistered");
        Reply refused =
                arbor.post(
                        "/streams/" + stream + "/events",
                        "{\"events\":["
                                + event(type, "{\"n\":1}")
                                + ",{\"type\":\""
                                + type
                                + "\",\"schemaVersion\":2,\"data\":{\"n\":2}}]}");
        assertProblem(400, "invalid-event-data", refused);
        assertEquals(
                "/events/1/schemaVersion",
                refused.json().getJsonArray("violations").getJsonObject(0).getString("pointer"),
                refused::toString);
        assertEquals(404, arbor.get("/streams/" + stream).status());
        assertEquals(
                0,
                Database.queryLong(
                        "SELECT count(*) FROM events WHERE stream_id = '" + stream + "'"));

        Reply stored =
                arbor.post(
                        "/streams/" + stream + "/events",
                        "{\"events\":[{\"type\":\""
                                + type
                                + "\",\"schemaVersion\":1,\"data\":{\"n\":1}}]}");
        assertEquals(201, stored.status(), stored::toString);
    }

    @Test
    void aChainOfTwoUpcastersAppliesOnStreamReadsAndTheGlobalLogButNotToRawReads() {
        String type = newType();
        // Renaming a field breaks every mode; upcasters are how such a change is made safely.
        assertEquals(200, compatibility(type, "NONE").status());
        assertEquals(
                201,
                register(
                                type,
                                1,
                                "{\"type\":\"object\",\"required\":[\"name\"],"
                                        + "\"properties\":{\"name\":{\"type\":\"string\"},"
                                        + "\"legacy\":{}}}")
                        .status());
        assertEquals(
                201,
                register(
                                type,
                                2,
                                "{\"type\":\"object\",\"required\":[\"customer\"],"
                                        + "\"properties\":{\"customer\":{\"type\":\"object\","
                                        + "\"required\":[\"fullName\"]}}}")
                        .status());
        assertEquals(
                201,
                register(type, 3, "{\"type\":\"object\",\"required\":[\"customer\",\"currency\"]}")
                        .status());
        String oneToTwo =
                "{\"operations\":[{\"op\":\"rename\",\"path\":\"/name\",\"to\":\"fullName\"},"
                        + "{\"op\":\"move\",\"from\":\"/fullName\",\"path\":\"/customer/fullName\"},"
                        + "{\"op\":\"remove\",\"path\":\"/legacy\"}]}";
        Reply first = arbor.put("/schemas/" + type + "/upcasters/1", oneToTwo);
        assertEquals(201, first.status(), first::toString);
        assertEquals(200, arbor.put("/schemas/" + type + "/upcasters/1", oneToTwo).status());
        assertProblem(
                409,
                "schema-conflict",
                arbor.put(
                        "/schemas/" + type + "/upcasters/1",
                        "{\"operations\":[{\"op\":\"remove\",\"path\":\"/name\"}]}"));
        assertEquals(
                201,
                arbor.put(
                                "/schemas/" + type + "/upcasters/2",
                                "{\"operations\":[{\"op\":\"add\",\"path\":\"/currency\","
                                        + "\"value\":\"EUR\"}]}")
                        .status());
        assertProblem(
                409,
                "schema-conflict",
                arbor.put(
                        "/schemas/" + type + "/upcasters/3",
                        "{\"operations\":[{\"op\":\"remove\",\"path\":\"/x\"}]}"));

        String stream = Arbor.newStream("upcast");
        Reply appended =
                arbor.post(
                        "/streams/" + stream + "/events",
                        "{\"events\":[{\"type\":\""
                                + type
                                + "\",\"schemaVersion\":1,\"data\":{\"name\":\"Ada\",\"legacy\":1}},"
                                + "{\"type\":\""
                                + type
                                + "\",\"schemaVersion\":2,\"data\":{\"customer\":{\"fullName\":\"Bob\"}}},"
                                + "{\"type\":\""
                                + type
                                + "\",\"data\":{\"customer\":{\"fullName\":\"Cy\"},\"currency\":\"USD\"}}]}");
        assertEquals(201, appended.status(), appended::toString);
        long after = appended.json().getJsonNumber("fromPosition").longValue() - 1;

        List<JsonObject> expected =
                List.of(
                        parse("{\"customer\":{\"fullName\":\"Ada\"},\"currency\":\"EUR\"}"),
                        parse("{\"customer\":{\"fullName\":\"Bob\"},\"currency\":\"EUR\"}"),
                        parse("{\"customer\":{\"fullName\":\"Cy\"},\"currency\":\"USD\"}"));
        // A miss fills the cache, a hit is served from it, no-cache bypasses it: all upcast alike.
        for (List<String> headers :
                List.of(
                        List.<String>of(),
                        List.<String>of(),
                        List.of("Cache-Control", "no-cache"))) {
            JsonArray events =
                    arbor.send("GET", "/streams/" + stream + "/events", null, null, headers)
                            .json()
                            .getJsonArray("events");
            assertEquals(expected, data(events), events::toString);
            assertEquals(List.of(3, 3, 3), schemaVersions(events));
        }
        List<JsonObject> logged = arbor.readAllAfter(after, "type=" + type);
        assertEquals(expected, logged.stream().map(e -> e.getJsonObject("data")).toList());
        assertEquals(
                List.of(3, 3, 3), logged.stream().map(e -> e.getInt("schemaVersion")).toList());

        JsonArray raw =
                arbor.get("/streams/" + stream + "/events?upcast=false")
                        .json()
                        .getJsonArray("events");
        assertEquals(
                List.of(
                        parse("{\"name\":\"Ada\",\"legacy\":1}"),
                        parse("{\"customer\":{\"fullName\":\"Bob\"}}"),
                        parse("{\"customer\":{\"fullName\":\"Cy\"},\"currency\":\"USD\"}")),
                data(raw));
        assertEquals(List.of(1, 2, 3), schemaVersions(raw));
        JsonArray rawLog =
                arbor.get("/events?upcast=false&type=" + type + "&after=" + after)
                        .json()
                        .getJsonArray("events");
        assertEquals(List.of(1, 2, 3), schemaVersions(rawLog));
        assertProblem(400, "invalid-request", arbor.get("/events?upcast=maybe"));

        // One event by id leaves the server like every other read: upcast unless upcast=false.
        for (int i = 0; i < raw.size(); i++) {
            String eventId = raw.getJsonObject(i).getString("eventId");
            Reply byId = arbor.get("/events/" + eventId);
            assertEquals(200, byId.status(), byId::toString);
            assertEquals(expected.get(i), byId.json().getJsonObject("data"), byId::toString);
            assertEquals(3, byId.json().getInt("schemaVersion"), byId::toString);
            Reply rawById = arbor.get("/events/" + eventId + "?upcast=false");
            assertEquals(200, rawById.status(), rawById::toString);
            assertEquals(
                    raw.getJsonObject(i).getJsonObject("data"),
                    rawById.json().getJsonObject("data"),
                    rawById::toString);
            assertEquals(i + 1, rawById.json().getInt("schemaVersion"), rawById::toString);
        }
        assertProblem(
                400,
                "invalid-request",
                arbor.get(
                        "/events/" + raw.getJsonObject(0).getString("eventId") + "?upcast=maybe"));

        JsonArray upcasters = arbor.get("/schemas/" + type).json().getJsonArray("upcasters");
        assertEquals(2, upcasters.size(), upcasters::toString);
    }

    @Test
    void aJavaUpcasterDeployedAsACdiBeanAppliesOnReadAndExcludesADeclarativeOne() {
        String type = CelsiusToKelvin.TYPE;
        assertEquals(200, compatibility(type, "NONE").status());
        // Fixed schemas for the fixed type: created on the first run, identical (200) after.
        int first = register(type, 1, "{\"type\":\"object\",\"required\":[\"celsius\"]}").status();
        assertTrue(first == 201 || first == 200, "status " + first);
        int second = register(type, 2, "{\"type\":\"object\",\"required\":[\"kelvin\"]}").status();
        assertTrue(second == 201 || second == 200, "status " + second);
        assertProblem(
                409,
                "schema-conflict",
                arbor.put(
                        "/schemas/" + type + "/upcasters/1",
                        "{\"operations\":[{\"op\":\"remove\",\"path\":\"/celsius\"}]}"));

        String stream = Arbor.newStream("java");
        Reply appended =
                arbor.post(
                        "/streams/" + stream + "/events",
                        "{\"events\":[{\"type\":\""
                                + type
                                + "\",\"schemaVersion\":1,\"data\":{\"celsius\":20}}]}");
        assertEquals(201, appended.status(), appended::toString);
        JsonObject event =
                arbor.get("/streams/" + stream + "/events")
                        .json()
                        .getJsonArray("events")
                        .getJsonObject(0);
        assertEquals(2, event.getInt("schemaVersion"));
        assertEquals(293.15, event.getJsonObject("data").getJsonNumber("kelvin").doubleValue());
        JsonObject upcaster =
                arbor.get("/schemas/" + type).json().getJsonArray("upcasters").getJsonObject(0);
        assertEquals("java", upcaster.getString("kind"));
        assertEquals(CelsiusToKelvin.class.getName(), upcaster.getString("class"));
    }

    private static String event(String type, String data) {
        return Arbor.event(UUID.randomUUID(), type, data);
    }

    private static List<String> pointers(JsonArray breaks) {
        return breaks.stream()
                .map(b -> b.asJsonObject().getString("pointer"))
                .distinct()
                .sorted()
                .toList();
    }

    private static List<JsonObject> data(JsonArray events) {
        return events.stream().map(e -> e.asJsonObject().getJsonObject("data")).toList();
    }

    private static List<Integer> schemaVersions(JsonArray events) {
        return events.stream().map(e -> e.asJsonObject().getInt("schemaVersion")).toList();
    }
}
