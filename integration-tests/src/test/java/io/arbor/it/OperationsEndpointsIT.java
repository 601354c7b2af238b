package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The read-only endpoints beyond api.md that the operations tools and the console use: listing (by
 * category or id prefix), event by id.
 */
class OperationsEndpointsIT extends ArborIT {

    @Test
    void listingACategoryPagesThroughEveryStreamInIdOrder() {
        String category = Arbor.newCategory();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String stream = category + "-" + i;
            arbor.append(stream, "0", "A", "B");
            created.add(stream);
        }
        arbor.append(category + "-3", "2", "C");
        arbor.append(Arbor.newStream("otherlisting"), "0", "A");

        List<String> listed = new ArrayList<>();
        for (JsonObject stream : listing("limit=2&category=" + category)) {
            assertEquals(category, stream.getString("category"));
            assertEquals(
                    stream.getString("streamId").endsWith("-3") ? 3 : 2, stream.getInt("version"));
            listed.add(stream.getString("streamId"));
        }
        assertEquals(created, listed);
    }

    @Test
    void aPrefixSearchListsOnlyTheStreamsWhoseIdStartsWithItUnderscoreIncluded() {
        String category = Arbor.newCategory();
        for (String suffix : new String[] {"a_2", "a_1", "aX1", "ab", "b"}) {
            arbor.append(category + "-" + suffix, "0", "A");
        }
        List<String> listed =
                listing("limit=1&prefix=" + category + "-a_").stream()
                        .map(stream -> stream.getString("streamId"))
                        .toList();
        // '_' is a LIKE wildcard in SQL: a search for "a_" must not find "aX1".
        assertEquals(List.of(category + "-a_1", category + "-a_2"), listed);
        Reply bad = arbor.get("/streams?prefix=no%20spaces");
        assertEquals(400, bad.status(), bad::toString);
        assertEquals("prefix", bad.json().getString("parameter"));
    }

    /** Every row of the stream listing with {@code query}, page after page. */
    private List<JsonObject> listing(String query) {
        List<JsonObject> rows = new ArrayList<>();
        String after = null;
        do {
            JsonObject page =
                    arbor.get("/streams?" + query + (after == null ? "" : "&after=" + after))
                            .json();
            page.getJsonArray("streams").forEach(row -> rows.add(row.asJsonObject()));
            after = page.isNull("next") ? null : page.getString("next");
        } while (after != null);
        return rows;
    }

    @Test
    void anEventIsFoundByItsIdExactlyAsTheStreamReadShowsIt() {
        String stream = Arbor.newStream("byid");
        UUID id = UUID.randomUUID();
        Reply appended =
                arbor.post(
                        "/streams/" + stream + "/events",
                        "{\"events\":[" + Arbor.event(id, "Found", "{\"k\":[1,2]}") + "]}");
        assertEquals(201, appended.status(), appended::toString);
        Reply byId = arbor.get("/events/" + id);
        assertEquals(200, byId.status(), byId::toString);
        JsonObject fromStream =
                arbor.get("/streams/" + stream + "/events")
                        .json()
                        .getJsonArray("events")
                        .getJsonObject(0);
        assertEquals(fromStream, byId.json());
    }

    @Test
    void anUnknownEventIs404AndANonUuidIs400() {
        Reply missing = arbor.get("/events/" + UUID.randomUUID());
        assertEquals(404, missing.status());
        assertTrue(missing.isProblem());
        assertEquals("urn:arbor:problem:event-not-found", missing.json().getString("type"));
        Reply bad = arbor.get("/events/1-2-3-4-5");
        assertEquals(400, bad.status(), bad::toString);
        assertEquals("eventId", bad.json().getString("parameter"));
        Reply badLimit = arbor.get("/streams?limit=0");
        assertEquals(400, badLimit.status(), badLimit::toString);
        assertEquals("limit", badLimit.json().getString("parameter"));
    }
}
