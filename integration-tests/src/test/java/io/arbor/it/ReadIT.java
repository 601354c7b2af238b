package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stream reads (forward, backward, paging), stream info, and the global log's filters. */
class ReadIT extends ArborIT {

    @Test
    void forwardPagingVisitsEveryVersionOnceInOrder() {
        String stream = Arbor.newStream("paging");
        for (int i = 0; i < 5; i++) {
            arbor.append(stream, "\"any\"", "A", "B");
        }
        List<Integer> versions = new ArrayList<>();
        Integer from = null;
        do {
            JsonObject page =
                    arbor.get(
                                    "/streams/"
                                            + stream
                                            + "/events?limit=3"
                                            + (from == null ? "" : "&from=" + from))
                            .json();
            assertEquals(10, page.getInt("version"));
            page.getJsonArray("events")
                    .forEach(e -> versions.add(e.asJsonObject().getInt("version")));
            from = page.isNull("next") ? null : page.getInt("next");
        } while (from != null);
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), versions);
    }

    @Test
    void backwardReadStartsAtTheHeadAndPagesDown() {
        String stream = Arbor.newStream("backward");
        arbor.append(stream, "0", "A", "B", "C", "D", "E");
        JsonObject page =
                arbor.get("/streams/" + stream + "/events?direction=backward&limit=2").json();
        assertEquals(List.of(5, 4), versions(page));
        assertEquals(3, page.getInt("next"));
        JsonObject last =
                arbor.get("/streams/" + stream + "/events?direction=backward&from=2&limit=5")
                        .json();
        assertEquals(List.of(2, 1), versions(last));
        assertTrue(last.isNull("next"));
    }

    @Test
    void forwardReadPastTheHeadIsEmptyWithNoNext() {
        String stream = Arbor.newStream("past");
        arbor.append(stream, "0", "A");
        JsonObject page = arbor.get("/streams/" + stream + "/events?from=5").json();
        assertEquals(List.of(), versions(page));
        assertTrue(page.isNull("next"));
    }

    @Test
    void streamInfoGivesVersionAndTimes() {
        String stream = Arbor.newStream("info");
        arbor.append(stream, "0", "A", "B");
        JsonObject info = arbor.get("/streams/" + stream).json();
        assertEquals(stream, info.getString("streamId"));
        assertEquals(2, info.getInt("version"));
        assertTrue(info.getString("createdAt").endsWith("Z"));
        assertTrue(info.getString("updatedAt").endsWith("Z"));
    }

    @Test
    void unknownStreamIs404ProblemForInfoAndRead() {
        String stream = Arbor.newStream("missing");
        for (String path : List.of("/streams/" + stream, "/streams/" + stream + "/events")) {
            Reply reply = arbor.get(path);
            assertEquals(404, reply.status(), reply::toString);
            assertTrue(reply.isProblem(), reply::toString);
        }
    }

    @Test
    void globalLogFiltersByCategoryAndType() {
        String category = Arbor.newCategory();
        long start = arbor.lastPosition(0);
        arbor.append(category + "-1", "\"any\"", "Opened", "Deposited");
        arbor.append(category + "-2", "\"any\"", "Deposited");
        arbor.append(Arbor.newStream("other"), "\"any\"", "Deposited");
        List<JsonObject> inCategory = arbor.readAllAfter(start, "category=" + category);
        assertEquals(3, inCategory.size());
        List<JsonObject> deposits =
                arbor.readAllAfter(start, "category=" + category + "&type=Deposited");
        assertEquals(2, deposits.size());
        deposits.forEach(e -> assertEquals("Deposited", e.getString("type")));
    }

    @Test
    void globalLogPagesCarryTheirLastPositionAndAnEmptyPageKeepsAfter() {
        long start = arbor.lastPosition(0);
        String stream = Arbor.newStream("positions");
        arbor.append(stream, "0", "A", "B", "C");
        JsonObject page = arbor.get("/events?after=" + start + "&limit=2").json();
        assertEquals(2, page.getJsonArray("events").size());
        long last =
                page.getJsonArray("events")
                        .getJsonObject(1)
                        .getJsonNumber("globalPosition")
                        .longValue();
        assertEquals(last, page.getJsonNumber("lastPosition").longValue());
        long end = arbor.lastPosition(start);
        JsonObject empty = arbor.get("/events?after=" + end).json();
        assertEquals(0, empty.getJsonArray("events").size());
        assertEquals(end, empty.getJsonNumber("lastPosition").longValue());
    }

    private static List<Integer> versions(JsonObject page) {
        List<Integer> versions = new ArrayList<>();
        for (JsonValue event : page.getJsonArray("events")) {
            versions.add(event.asJsonObject().getInt("version"));
        }
        return versions;
    }
}
