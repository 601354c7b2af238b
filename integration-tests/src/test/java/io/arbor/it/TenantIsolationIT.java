package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two tenants on one store (api.md, "Authentication, roles, tenants"): the same stream id is two
 * streams; neither tenant can read, append to, snapshot, subscribe to, find in its log, or learn
 * the existence of the other's streams, events, schemas or consumer groups: every such request
 * answers as if the thing did not exist. Each tenant acts through a development token with its
 * {@code tenant} claim ({@link Tokens#tenantAdmin}).
 */
class TenantIsolationIT extends ArborIT {
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final Arbor a = Tokens.tenantAdmin("iso-a-" + suffix, "alice-" + suffix);
    private final Arbor b = Tokens.tenantAdmin("iso-b-" + suffix, "bob-" + suffix);

    @Test
    void theSameStreamIdInTwoTenantsHoldsDifferentEvents() {
        String stream = Arbor.newStream("iso");
        assertEquals(201, a.append(stream, "\"no_stream\"", "A1", "A2").status());
        assertEquals(201, b.append(stream, "\"no_stream\"", "B1").status());
        assertEquals(List.of("A1", "A2"), types(a.get("/streams/" + stream + "/events")));
        assertEquals(List.of("B1"), types(b.get("/streams/" + stream + "/events")));
        assertEquals(2, a.get("/streams/" + stream).json().getInt("version"));
        assertEquals(1, b.get("/streams/" + stream).json().getInt("version"));
        // The same answers from the database, past the hot cache and the committed heads.
        assertEquals(List.of("B1"), types(noCache(b, "/streams/" + stream + "/events")));
    }

    @Test
    void anotherTenantsStreamAnswersAsIfItDidNotExist() {
        String stream = Arbor.newStream("iso");
        assertEquals(201, b.append(stream, "\"no_stream\"", "B1").status());
        snapshot(b, stream, 201);
        assertEquals(404, a.get("/streams/" + stream).status());
        assertEquals(404, a.get("/streams/" + stream + "/events").status());
        assertEquals(404, noCache(a, "/streams/" + stream + "/events").status());
        assertEquals(404, a.get("/streams/" + stream + "/snapshot").status());
        snapshot(a, stream, 404);
        Reply append = a.append(stream, "1", "A1");
        assertEquals(409, append.status(), append::toString);
        assertEquals(0, append.json().getInt("actualVersion"), append::toString);
        assertEquals(404, a.get("/streams/" + stream + "/subscribe").status());
        assertFalse(
                a.get("/streams?category=iso&limit=1000").body().contains(stream),
                "A lists B's stream");
        // B's stream is untouched by all of it.
        assertEquals(List.of("B1"), types(b.get("/streams/" + stream + "/events")));
    }

    @Test
    void anotherTenantsEventIdIsNeitherFoundNorTaken() {
        String stream = Arbor.newStream("iso");
        UUID id = UUID.randomUUID();
        assertEquals(201, append(b, stream, id, "B1").status());
        assertEquals(200, b.get("/events/" + id).status());
        assertEquals(404, a.get("/events/" + id).status());
        // A 409 duplicate-event-id would tell A that the id exists elsewhere.
        Reply mine = append(a, Arbor.newStream("iso"), id, "A1");
        assertEquals(201, mine.status(), mine::toString);
        assertEquals("A1", a.get("/events/" + id).json().getString("type"));
        assertEquals("B1", b.get("/events/" + id).json().getString("type"));
    }

    @Test
    void aTenantsGlobalLogHasOnlyItsOwnEvents() {
        long start = b.lastPosition(0);
        String category = Arbor.newCategory();
        String stream = category + "-1";
        assertEquals(201, a.append(stream, "\"any\"", "A1").status());
        assertEquals(201, b.append(stream, "\"any\"", "B1").status());
        assertEquals(201, a.append(stream, "\"any\"", "A2").status());
        List<JsonObject> seenByB = b.readAllAfter(start, null);
        assertTrue(seenByB.stream().noneMatch(e -> e.getString("type").startsWith("A")));
        assertEquals(
                List.of("B1"),
                b.readAllAfter(start, "category=" + category).stream()
                        .map(e -> e.getString("type"))
                        .toList());
        assertEquals(
                List.of("A1", "A2"),
                a.readAllAfter(start, "category=" + category).stream()
                        .map(e -> e.getString("type"))
                        .toList());
    }

    @Test
    void aLiveSubscriptionDeliversOnlyItsTenantsEvents() throws Exception {
        String category = Arbor.newCategory();
        long start = a.lastPosition(0);
        try (SseSubscriber log =
                        SseSubscriber.open(
                                "/events/subscribe?after=" + start + "&category=" + category,
                                a.ownHeaders());
                SseSubscriber other =
                        SseSubscriber.open(
                                "/events/subscribe?after=" + start + "&category=" + category,
                                b.ownHeaders())) {
            log.await(f -> f.name().equals("caught-up"), 10, "caught-up");
            other.await(f -> f.name().equals("caught-up"), 10, "caught-up");
            assertEquals(201, b.append(category + "-1", "\"any\"", "B1").status());
            assertEquals(201, a.append(category + "-1", "\"any\"", "A1").status());
            log.await(
                    f -> f.name().equals("event") && f.json().getString("type").equals("A1"),
                    10,
                    "A's event");
            other.await(
                    f -> f.name().equals("event") && f.json().getString("type").equals("B1"),
                    10,
                    "B's event");
            assertEquals(
                    List.of("A1"), log.events().stream().map(e -> e.getString("type")).toList());
            assertEquals(
                    List.of("B1"), other.events().stream().map(e -> e.getString("type")).toList());
        }
    }

    @Test
    void schemaRegistriesAreSeparate() {
        String type = "IsoType" + suffix;
        String schema = "{\"type\":\"object\",\"required\":[\"a\"]}";
        String otherSchema = "{\"type\":\"object\",\"required\":[\"b\"]}";
        assertEquals(201, a.put("/schemas/" + type + "/versions/1", schema).status());
        assertEquals(404, b.get("/schemas/" + type).status());
        assertFalse(b.get("/schemas").body().contains(type), "B lists A's type");
        // B's own version 1 of the same type, with another schema: no conflict with A's.
        assertEquals(201, b.put("/schemas/" + type + "/versions/1", otherSchema).status());
        // A's registry validates A's appends only: B's event without "a" is valid for B.
        String stream = Arbor.newStream("iso");
        assertEquals(
                201,
                b.post(
                                "/streams/" + stream + "/events",
                                "{\"events\":[{\"type\":\"" + type + "\",\"data\":{\"b\":1}}]}")
                        .status());
        assertEquals(
                400,
                a.post(
                                "/streams/" + stream + "/events",
                                "{\"events\":[{\"type\":\"" + type + "\",\"data\":{\"b\":1}}]}")
                        .status());
    }

    @Test
    void consumerGroupsAreSeparate() {
        String group = Groups.newGroup();
        Groups groupsOfA = new Groups(a);
        Groups groupsOfB = new Groups(b);
        groupsOfA.create(group, "{\"startFrom\":\"beginning\"}");
        assertEquals(404, groupsOfB.get(group).status());
        assertEquals(404, groupsOfB.delete(group).status());
        assertEquals(404, groupsOfB.fetchReply(group, "c-1", 10, 0).status());
        assertEquals(404, b.get("/subscriptions/" + group + "/parked").status());
        assertFalse(groupsOfB.list().body().contains(group), "B lists A's group");
        // B's own group of that name, and its fetch delivers none of A's events.
        String stream = Arbor.newStream("iso");
        assertEquals(201, a.append(stream, "\"any\"", "A1").status());
        groupsOfB.create(group, "{\"startFrom\":\"beginning\"}");
        Reply fetched = groupsOfB.fetchReply(group, "c-1", 1000, 0);
        assertEquals(200, fetched.status(), fetched::toString);
        assertFalse(fetched.body().contains(stream), "B's group delivered A's event");
        assertEquals(200, groupsOfA.get(group).status());
    }

    @Test
    void anotherTenantsGroupCannotBeAckedNackedResetReplayedOrReconfigured() {
        String group = Groups.newGroup();
        Groups groupsOfA = new Groups(a);
        Groups groupsOfB = new Groups(b);
        String stream = Arbor.newStream("iso");
        assertEquals(201, a.append(stream, "\"no_stream\"", "A1", "A2").status());
        groupsOfA.create(
                group,
                "{\"startFrom\":\"beginning\",\"filter\":{\"streamId\":\"" + stream + "\"}}");
        List<JsonObject> leased = groupsOfA.fetch(group, "c-a", 1, 0);
        assertEquals(1, leased.size(), leased::toString);
        String leasedId = leased.get(0).getString("eventId");
        JsonObject before = groupsOfA.status(group);
        // Every write to A's group, by B with A's event ids: "does not exist".
        assertEquals(404, groupsOfB.ack(group, "c-a", List.of(leasedId)).status());
        assertEquals(404, groupsOfB.nack(group, "c-a", List.of(leasedId), "park").status());
        assertEquals(404, groupsOfB.reset(group, "\"end\"").status());
        assertEquals(404, groupsOfB.replayParked(group).status());
        assertEquals(404, groupsOfB.parked(group, "").status());
        // A PUT by B creates B's own group of that name; A's settings and position stay.
        Reply created = groupsOfB.put(group, "{\"startFrom\":\"end\",\"maxRetries\":1}");
        assertEquals(201, created.status(), created::toString);
        JsonObject after = groupsOfA.status(group);
        assertEquals(before.get("maxRetries"), after.get("maxRetries"), after::toString);
        assertEquals(before.get("checkpoint"), after.get("checkpoint"), after::toString);
        assertEquals(1, after.getInt("inFlight"), after::toString);
        // B's group knows nothing of A's lease: the ack acknowledges nothing.
        Reply acked = groupsOfB.ack(group, "c-a", List.of(leasedId));
        assertTrue(acked.status() != 200 || acked.json().getInt("acked") == 0, acked::toString);
        // A's own ack still works.
        Reply own = groupsOfA.ack(group, "c-a", List.of(leasedId));
        assertEquals(200, own.status(), own::toString);
        assertEquals(1, own.json().getInt("acked"), own::toString);
    }

    @Test
    void anotherTenantsTypeCannotBeReconfiguredOrGivenAnUpcaster() {
        String type = "IsoReg" + suffix;
        assertEquals(
                201, a.put("/schemas/" + type + "/versions/1", "{\"type\":\"object\"}").status());
        assertEquals(
                201, a.put("/schemas/" + type + "/versions/2", "{\"type\":\"object\"}").status());
        JsonObject before = a.get("/schemas/" + type).json();
        // B names A's type: either it does not exist for B, or B gets its own; A's stays.
        Reply compatibility =
                b.put("/schemas/" + type + "/compatibility", "{\"compatibility\":\"NONE\"}");
        assertTrue(
                compatibility.status() == 404 || compatibility.status() == 200,
                compatibility::toString);
        Reply upcaster =
                b.put(
                        "/schemas/" + type + "/upcasters/1",
                        "{\"operations\":[{\"op\":\"add\",\"path\":\"/b\",\"value\":1}]}");
        assertTrue(upcaster.status() >= 400 && upcaster.status() < 500, upcaster::toString);
        JsonObject after = a.get("/schemas/" + type).json();
        assertEquals(before.get("compatibility"), after.get("compatibility"), after::toString);
        assertEquals(0, after.getJsonArray("upcasters").size(), after::toString);
        assertEquals(before, after);
    }

    @Test
    void eachEventSaysWhoWroteIt() {
        String stream = Arbor.newStream("iso");
        assertEquals(201, a.append(stream, "\"no_stream\"", "A1").status());
        JsonObject event =
                a.get("/streams/" + stream + "/events")
                        .json()
                        .getJsonArray("events")
                        .getJsonObject(0);
        assertEquals("alice-" + suffix, event.getString("writtenBy"), event::toString);
        // From the database and from the cache alike.
        JsonObject stored =
                noCache(a, "/streams/" + stream + "/events")
                        .json()
                        .getJsonArray("events")
                        .getJsonObject(0);
        assertEquals("alice-" + suffix, stored.getString("writtenBy"), stored::toString);
        assertEquals(
                "alice-" + suffix,
                a.get("/events/" + event.getString("eventId")).json().getString("writtenBy"));
    }

    private static Reply append(Arbor as, String stream, UUID id, String type) {
        return as.post(
                "/streams/" + stream + "/events",
                "{\"events\":[" + Arbor.event(id, type, "{}") + "]}");
    }

    private static void snapshot(Arbor as, String stream, int status) {
        Reply saved =
                as.put(
                        "/streams/" + stream + "/snapshot",
                        "{\"version\":1,\"type\":\"State\",\"data\":{}}");
        assertEquals(status, saved.status(), saved::toString);
    }

    private static Reply noCache(Arbor as, String path) {
        return as.send("GET", path, null, null, List.of("Cache-Control", "no-cache"));
    }

    private static List<String> types(Reply page) {
        assertEquals(200, page.status(), page::toString);
        return page.json().getJsonArray("events").stream()
                .map(e -> e.asJsonObject().getString("type"))
                .collect(Collectors.toList());
    }
}
