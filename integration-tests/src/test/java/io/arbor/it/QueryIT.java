package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Queries by tags and types (api.md, "Tags, queries, …"): {@code POST /events/query} and {@code GET
 * /events?tag=}: items OR'd, tags AND'd within an item, types optional; paged by position; one
 * tenant's events only; gap-safe like the log.
 */
class QueryIT extends ArborIT {
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String course = "course:" + run;
    private final String s1 = "student:1-" + run;
    private final String s2 = "student:2-" + run;
    private final String typeA = "A" + run;
    private final String typeB = "B" + run;

    @AfterEach
    void release() throws Exception {
        LateCommit.release();
    }

    /** Appends, in this order: e1 A[course,s1] e2 B[course] e3 A[s1] e4 B[] e5 A[course,s2]. */
    private List<String> fiveEvents() {
        List<String> ids = new ArrayList<>();
        ids.add(append(typeA, course, s1));
        ids.add(append(typeB, course));
        ids.add(append(typeA, s1));
        ids.add(append(typeB));
        ids.add(append(typeA, course, s2));
        return ids;
    }

    private String append(String type, String... tags) {
        String stream = Arbor.newStream("query");
        Reply reply =
                arbor.post(
                        "/streams/" + stream + "/events",
                        "{\"events\":[" + TagsIT.tagged(type, TagsIT.quoted(List.of(tags))) + "]}");
        assertEquals(201, reply.status(), reply::toString);
        return arbor.get("/streams/" + stream + "/events")
                .json()
                .getJsonArray("events")
                .getJsonObject(0)
                .getString("eventId");
    }

    private static String item(List<String> types, List<String> tags) {
        List<String> fields = new ArrayList<>();
        if (types != null) {
            fields.add("\"types\":" + TagsIT.quoted(types));
        }
        if (tags != null) {
            fields.add("\"tags\":" + TagsIT.quoted(tags));
        }
        return "{" + String.join(",", fields) + "}";
    }

    private List<String> query(String... items) {
        return ids(queryPage(0, 1000, items));
    }

    private JsonObject queryPage(long after, int limit, String... items) {
        Reply reply =
                arbor.post(
                        "/events/query",
                        "{\"items\":["
                                + String.join(",", items)
                                + "],\"after\":"
                                + after
                                + ",\"limit\":"
                                + limit
                                + "}");
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    private static List<String> ids(JsonObject page) {
        List<String> ids = new ArrayList<>();
        for (JsonValue event : page.getJsonArray("events")) {
            ids.add(event.asJsonObject().getString("eventId"));
        }
        return ids;
    }

    @Test
    void itemsAreOrTagsWithinAnItemAreAndTypesAreOptional() {
        List<String> e = fiveEvents();
        assertEquals(List.of(e.get(0), e.get(1), e.get(4)), query(item(null, List.of(course))));
        assertEquals(List.of(e.get(0)), query(item(null, List.of(course, s1))));
        assertEquals(List.of(e.get(0)), query(item(null, List.of(s1, course))));
        assertEquals(List.of(e.get(0), e.get(4)), query(item(List.of(typeA), List.of(course))));
        assertEquals(
                List.of(e.get(0), e.get(2), e.get(4)),
                query(item(List.of(typeA), List.of(course)), item(null, List.of(s1))));
        assertEquals(List.of(e.get(1), e.get(3)), query(item(List.of(typeB), null)));
        assertEquals(
                List.of(e.get(1), e.get(3), e.get(4)),
                query(item(List.of(typeB), null), item(null, List.of(s2))));
        assertEquals(
                List.of(e.get(0), e.get(1), e.get(2), e.get(3), e.get(4)),
                query(item(List.of(typeA, typeB), null)));
        assertEquals(List.of(), query(item(List.of(typeB), List.of(s1))));
        assertEquals(List.of(), query(item(null, List.of("nobody-" + run))));

        // The one-item form, with and without a type.
        assertEquals(
                List.of(e.get(0), e.get(1), e.get(4)),
                ids(arbor.get("/events?tag=" + course).json()));
        assertEquals(
                List.of(e.get(0)), ids(arbor.get("/events?tag=" + course + "&tag=" + s1).json()));
        assertEquals(
                List.of(e.get(1)),
                ids(arbor.get("/events?type=" + typeB + "&tag=" + course).json()));
        JsonObject event =
                arbor.get("/events?tag=" + s2).json().getJsonArray("events").getJsonObject(0);
        assertEquals(List.of(course, s2), TagsIT.strings(event));
    }

    @Test
    void pagingByPositionWithSmallLimitsGivesWhatOneBigPageGives() {
        for (int i = 0; i < 4; i++) {
            fiveEvents();
        }
        String[] items = {item(List.of(typeA), List.of(course)), item(List.of(typeB), null)};
        List<String> all = ids(queryPage(0, 1000, items));
        assertEquals(16, all.size());
        for (int limit : new int[] {1, 3, 7}) {
            List<String> paged = new ArrayList<>();
            long after = 0;
            while (true) {
                JsonObject page = queryPage(after, limit, items);
                List<String> ids = ids(page);
                assertTrue(ids.size() <= limit);
                paged.addAll(ids);
                after = page.getJsonNumber("lastPosition").longValue();
                if (ids.isEmpty()) {
                    break;
                }
            }
            assertEquals(all, paged, "limit " + limit);
        }
        // The GET form pages the same way.
        List<String> byTag = new ArrayList<>();
        long after = 0;
        List<String> ids;
        do {
            JsonObject page = arbor.get("/events?limit=2&tag=" + course + "&after=" + after).json();
            ids = ids(page);
            byTag.addAll(ids);
            after = page.getJsonNumber("lastPosition").longValue();
        } while (!ids.isEmpty());
        assertEquals(ids(queryPage(0, 1000, item(null, List.of(course)))), byTag);
        assertEquals(12, byTag.size());
    }

    @Test
    void anotherTenantsEventsNeverAppear() {
        Arbor other = Tokens.tenantAdmin("query-" + run, "q-" + run);
        String stream = Arbor.newStream("query");
        Reply theirs =
                other.post(
                        "/streams/" + stream + "/events",
                        "{\"events\":["
                                + TagsIT.tagged(typeA, TagsIT.quoted(List.of(course)))
                                + "]}");
        assertEquals(201, theirs.status(), theirs::toString);
        String mine = append(typeA, course);
        assertEquals(List.of(mine), query(item(null, List.of(course))));
        assertEquals(List.of(mine), query(item(List.of(typeA), null)));
        assertEquals(List.of(mine), ids(arbor.get("/events?tag=" + course).json()));
        Reply fromOther =
                other.post("/events/query", "{\"items\":[" + item(null, List.of(course)) + "]}");
        assertEquals(1, ids(fromOther.json()).size());
        assertTrue(!ids(fromOther.json()).contains(mine));
    }

    @Test
    void badQueriesAre400WithAPointerOrParameter() {
        assertBad("{}", "/items");
        assertBad("{\"items\":[]}", "/items");
        assertBad("{\"items\":{}}", "/items");
        assertBad("{\"items\":[{}]}", "/items/0");
        assertBad("{\"items\":[{\"tags\":[]}]}", "/items/0");
        assertBad("{\"items\":[{\"tags\":[\"a\"]},{\"tags\":[\"b\",\"b\"]}]}", "/items/1/tags/1");
        assertBad("{\"items\":[{\"tags\":[\"a\",3]}]}", "/items/0/tags/1");
        assertBad("{\"items\":[{\"types\":[\"\"]}]}", "/items/0/types/0");
        assertBad("{\"items\":[{\"tags\":\"a\"}]}", "/items/0/tags");
        assertBad("{\"items\":[{\"tags\":[\"a\"],\"nope\":1}]}", "/items/0/nope");
        assertBad("{\"items\":[{\"tags\":[\"x\"]}],\"after\":-1}", "/after");
        assertBad("{\"items\":[{\"tags\":[\"x\"]}],\"limit\":0}", "/limit");
        assertBad("{\"items\":[{\"tags\":[\"a\\u0001\"]}]}", "/items/0/tags/0");
        StringBuilder many = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 33; i++) {
            many.append(i == 0 ? "" : ",").append("{\"tags\":[\"t").append(i).append("\"]}");
        }
        assertBad(many.append("]}").toString(), "/items");

        for (String path :
                List.of(
                        "/events?tag=",
                        "/events?tag=a&tag=a",
                        "/events?tag=a&category=c",
                        "/events?tag=a&limit=0")) {
            Reply reply = arbor.get(path);
            assertEquals(400, reply.status(), path + " " + reply);
            assertTrue(reply.json().containsKey("parameter"), reply::toString);
        }
    }

    private void assertBad(String body, String pointer) {
        Reply reply = arbor.post("/events/query", body);
        assertEquals(400, reply.status(), body + " " + reply);
        assertTrue(reply.isProblem(), reply::toString);
        assertEquals(pointer, reply.json().getString("pointer"), body + " " + reply);
    }

    @Test
    void aQueryReaderNeverSkipsAnEventThatCommitsLate() throws Exception {
        String category = Arbor.newCategory();
        String tag = "late:" + run;
        long start = arbor.lastPosition(0);
        GlobalLogIT.Follower follower =
                new GlobalLogIT.Follower(
                        start,
                        after ->
                                new Arbor()
                                        .post(
                                                "/events/query",
                                                "{\"items\":[{\"tags\":[\""
                                                        + tag
                                                        + "\"]}],\"limit\":5,\"after\":"
                                                        + after
                                                        + "}")
                                        .json());
        follower.start();

        Set<String> acknowledged = LateCommit.appendOneLateAmongTwenty(arbor, category, tag);

        follower.awaitAll(acknowledged, 30);
        follower.assertEachOnceInOrder(acknowledged);
        // Exactly the tagged 21, no other event.
        assertEquals(acknowledged, Set.copyOf(query(item(null, List.of(tag)))));
    }
}
