package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every read path other than the stream read hides, at once, the events a stream lifecycle rule
 * hides (docs/lifecycle.md; docs/subscriptions.md and docs/consumer-groups.md, "When a rule hides
 * events"): for each rule (maxCount, maxAge, truncateBefore, soft and hard delete) set through the
 * API, the requests right after its answer find none of its events in {@code GET /events}, {@code
 * POST /events/query}, {@code GET /events?tag=}, {@code GET /events/{id}} (404), a global
 * subscription's history, a consumer group (events already in its window, one leased whose lease
 * then expires, one parked and replayed), and an append condition no longer matches them; the
 * events the rule keeps and a witness stream's event stay everywhere, and the group's lag reaches 0
 * (the hidden events are skipped, not stuck).
 */
class RetentionVisibilityIT extends ArborIT {
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String type = "Kept" + run;
    private final String tag = "ret:" + run;
    private final String category = Arbor.newCategory();
    private final Groups groups = new Groups(arbor);

    /** One stream's four events (versions 1…4) and a witness stream's one, by id. */
    private record Appended(String stream, List<String> ids, String witness, long before) {}

    @Test
    void maxCountHidesTheOlderEventsFromEveryReadAtOnce() throws Exception {
        hidesFromEveryRead(s -> put(s, "{\"maxCount\":1}"), 3); // versions 1-3 hidden, 4 kept
    }

    @Test
    void truncateBeforeHidesTheEventsBelowItFromEveryReadAtOnce() throws Exception {
        hidesFromEveryRead(s -> put(s, "{\"truncateBefore\":4}"), 3);
    }

    @Test
    void maxAgeHidesTheExpiredEventsFromEveryReadAtOnce() throws Exception {
        hidesFromEveryRead(
                s -> {
                    sleep(1_500); // every event older than a second
                    put(s, "{\"maxAge\":1}");
                },
                4);
    }

    @Test
    void softDeleteHidesTheStreamsEventsFromEveryReadAtOnce() throws Exception {
        hidesFromEveryRead(s -> delete(s, ""), 4);
    }

    @Test
    void hardDeleteHidesTheStreamsEventsFromEveryReadAtOnce() throws Exception {
        hidesFromEveryRead(s -> delete(s, "?mode=hard"), 4);
    }

    /**
     * Appends the stream's events, puts the first into a group's lease, the second into its parked
     * list, the rest into its window; applies {@code rule}; then checks every read path: the first
     * {@code hiddenCount} versions are gone, the rest and the witness stay.
     */
    private void hidesFromEveryRead(Rule rule, int hiddenCount) throws Exception {
        String group = Groups.newGroup();
        groups.create(
                group,
                "{\"filter\":{\"type\":\""
                        + type
                        + "\"},\"startFrom\":\"end\",\"ackTimeoutSeconds\":1}");
        Appended appended = appendEvents();
        List<String> hidden = appended.ids().subList(0, hiddenCount);
        List<String> kept = new ArrayList<>(appended.ids().subList(hiddenCount, 4));
        kept.add(appended.witness());

        // Before the rule: version 1 leased (and never acked), version 2 parked, the rest pending.
        List<JsonObject> first = groups.fetch(group, "c1", 2, 0);
        assertEquals(appended.ids().subList(0, 2), ids(first));
        Reply parked = groups.nack(group, "c1", List.of(appended.ids().get(1)), "park");
        assertEquals(200, parked.status(), parked::toString);

        rule.apply(appended.stream());

        // The global log, a query by type and by tag, the log filtered by tag.
        assertSeesOnly(kept, hidden, ids(arbor.get("/events?after=" + appended.before())));
        assertSeesOnly(
                kept,
                hidden,
                ids(
                        arbor.post(
                                "/events/query",
                                "{\"items\":[{\"types\":[\"" + type + "\"]}],\"after\":0}")));
        assertSeesOnly(
                kept,
                hidden,
                ids(
                        arbor.post(
                                "/events/query",
                                "{\"items\":[{\"tags\":[\"" + tag + "\"]}],\"after\":0}")));
        assertSeesOnly(
                kept,
                hidden,
                ids(
                        arbor.post(
                                "/events/query",
                                "{\"items\":[{\"types\":[\""
                                        + type
                                        + "\"],\"tags\":[\""
                                        + tag
                                        + "\"]}],\"after\":0}")));
        assertSeesOnly(kept, hidden, ids(arbor.get("/events?after=0&tag=" + tag)));
        for (String id : hidden) {
            Reply byId = arbor.get("/events/" + id);
            assertEquals(404, byId.status(), byId::toString);
        }
        for (String id : kept) {
            Reply byId = arbor.get("/events/" + id);
            assertEquals(200, byId.status(), byId::toString);
        }

        // A global subscription's history.
        try (SseSubscriber subscriber =
                SseSubscriber.open(
                        "/events/subscribe?after=" + appended.before() + "&type=" + type)) {
            subscriber.await(frame -> "caught-up".equals(frame.name()), 30, "caught-up");
            assertSeesOnly(kept, hidden, new ArrayList<>(subscriber.eventIds()));
        }

        // An append condition no longer matches a hidden event (only hidden ones carry its tag).
        String hiddenTag = "ev:1-" + run;
        Reply conditional =
                arbor.post(
                        "/events",
                        AppendConditionIT.conditional(
                                Arbor.newStream(category),
                                TagsIT.tagged("Other" + run, "[]"),
                                AppendConditionIT.condition(0, new String[0], hiddenTag)));
        assertEquals(201, conditional.status(), conditional::toString);

        // The group: the lease of version 1 expires; the window's hidden events, the expired
        // lease and the replayed parked event are skipped, never delivered.
        sleep(1_500);
        Reply replay = groups.replayParked(group);
        assertEquals(200, replay.status(), replay::toString);
        List<String> delivered = new ArrayList<>();
        for (int attempt = 0; attempt < 5; attempt++) {
            List<String> fetched = ids(groups.fetch(group, "c2", 10, 0));
            delivered.addAll(fetched);
            if (!fetched.isEmpty()) {
                Reply ack = groups.ack(group, "c2", fetched);
                assertEquals(200, ack.status(), ack::toString);
            }
        }
        assertSeesOnly(kept, hidden, delivered);
        assertEquals(new HashSet<>(kept), new HashSet<>(delivered), "each kept event once");
        assertEquals(kept.size(), delivered.size(), "each kept event once");
        JsonObject status = groups.status(group);
        assertEquals(0, status.getJsonNumber("parked").longValue(), status::toString);
        assertEquals(0, status.getJsonNumber("inFlight").longValue(), status::toString);
        assertEquals(0, status.getJsonNumber("lag").longValue(), status::toString);
        Reply parkedList = groups.parked(group, "");
        assertEquals(200, parkedList.status(), parkedList::toString);
        assertEquals(0, parkedList.json().getJsonArray("events").size(), parkedList::toString);
        groups.delete(group);
    }

    /**
     * Four events of a new stream (type {@link #type}, tag {@link #tag}, the first also {@code
     * ev:1-run}), then one of a witness stream; and the log's position just before them.
     */
    private Appended appendEvents() {
        String stream = Arbor.newStream(category);
        StringBuilder events = new StringBuilder();
        for (int v = 1; v <= 4; v++) {
            if (v > 1) {
                events.append(',');
            }
            String tags = v == 1 ? "[\"" + tag + "\",\"ev:1-" + run + "\"]" : "[\"" + tag + "\"]";
            events.append(TagsIT.tagged(type, tags));
        }
        Reply reply = arbor.post("/streams/" + stream + "/events", "{\"events\":[" + events + "]}");
        assertEquals(201, reply.status(), reply::toString);
        List<String> ids = ids(arbor.get("/streams/" + stream + "/events"));
        String witnessStream = Arbor.newStream(category);
        Reply witness =
                arbor.post(
                        "/streams/" + witnessStream + "/events",
                        "{\"events\":[" + TagsIT.tagged(type, "[\"" + tag + "\"]") + "]}");
        assertEquals(201, witness.status(), witness::toString);
        String witnessId = ids(arbor.get("/streams/" + witnessStream + "/events")).get(0);
        return new Appended(stream, ids, witnessId, position(ids.get(0)) - 1);
    }

    private long position(String eventId) {
        return arbor.get("/events/" + eventId).json().getJsonNumber("globalPosition").longValue();
    }

    private void put(String stream, String metadata) {
        Reply reply = arbor.put("/streams/" + stream + "/metadata", metadata);
        assertEquals(200, reply.status(), reply::toString);
    }

    private void delete(String stream, String mode) {
        Reply reply = arbor.send("DELETE", "/streams/" + stream + mode, null, null);
        assertEquals(204, reply.status(), reply::toString);
    }

    private static void assertSeesOnly(List<String> kept, List<String> hidden, List<String> seen) {
        for (String id : hidden) {
            assertFalse(seen.contains(id), () -> "hidden event " + id + " was read: " + seen);
        }
        Set<String> all = new HashSet<>(seen);
        for (String id : kept) {
            assertTrue(all.contains(id), () -> "kept event " + id + " missing: " + seen);
        }
    }

    private static List<String> ids(Reply reply) {
        assertEquals(200, reply.status(), reply::toString);
        return ids(
                reply.json().getJsonArray("events").stream().map(JsonValue::asJsonObject).toList());
    }

    private static List<String> ids(List<JsonObject> events) {
        return events.stream().map(event -> event.getString("eventId")).toList();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    /** A lifecycle rule set on a stream through the API. */
    @FunctionalInterface
    private interface Rule {
        void apply(String stream) throws Exception;
    }
}
