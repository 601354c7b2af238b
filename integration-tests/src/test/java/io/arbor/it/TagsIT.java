package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Tags on events (api.md, "Tags, queries, …"): refused when they break the rule, with a pointer and
 * nothing written; otherwise stored and returned by every read that shows events.
 */
class TagsIT extends ArborIT {

    /** An event of type {@code type} carrying {@code tagsJson} (a JSON array's text). */
    static String tagged(String type, String tagsJson) {
        return "{\"eventId\":\""
                + UUID.randomUUID()
                + "\",\"type\":\""
                + type
                + "\",\"data\":{},\"tags\":"
                + tagsJson
                + "}";
    }

    static String quoted(List<String> tags) {
        return tags.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(",", "[", "]"));
    }

    private Reply appendTo(String stream, String... events) {
        return arbor.post(
                "/streams/" + stream + "/events",
                "{\"events\":[" + String.join(",", events) + "]}");
    }

    @Test
    void badTagsAre400WithAPointerAndWriteNothing() {
        String stream = Arbor.newStream("tags");
        List<String> thirtyThree = IntStream.range(0, 33).mapToObj(i -> "t" + i).toList();
        assertRefused(stream, quoted(thirtyThree), "/events/1/tags");
        assertRefused(stream, quoted(List.of("a", "x".repeat(201))), "/events/1/tags/1");
        assertRefused(stream, "[\"ok\",\"bell\\u0007\"]", "/events/1/tags/1");
        assertRefused(stream, "[\"a\",\"b\",\"a\"]", "/events/1/tags/2");
        assertRefused(stream, "[\"\"]", "/events/1/tags/0");
        assertRefused(stream, "[\"a\",7]", "/events/1/tags/1");
        assertRefused(stream, "\"a\"", "/events/1/tags");
        assertEquals(404, arbor.get("/streams/" + stream).status());
    }

    private void assertRefused(String stream, String tags, String pointer) {
        Reply reply = appendTo(stream, tagged("Fine", "[\"ok\"]"), tagged("Bad", tags));
        assertEquals(400, reply.status(), reply::toString);
        assertTrue(reply.isProblem(), reply::toString);
        assertEquals(pointer, reply.json().getString("pointer"), reply::toString);
    }

    @Test
    void theLimitsThemselvesAreAccepted() {
        String stream = Arbor.newStream("tags");
        List<String> most = IntStream.range(0, 32).mapToObj(i -> i + "x".repeat(197)).toList();
        Reply reply = appendTo(stream, tagged("Full", quoted(most)));
        assertEquals(201, reply.status(), reply::toString);
        assertEquals(most, tags(arbor.get("/streams/" + stream + "/events").json(), 0));
    }

    @Test
    void tagsComeBackFromEveryRead() {
        String stream = Arbor.newStream("tags");
        List<String> tags = List.of("course:c1", "student:s7", "é \\\"q\\\" 😀");
        List<String> stored = List.of("course:c1", "student:s7", "é \"q\" 😀");
        Reply appended =
                appendTo(stream, tagged("Enrolled", quoted(tags)), tagged("Untagged", "[]"));
        assertEquals(201, appended.status(), appended::toString);
        long position = appended.json().getJsonNumber("fromPosition").longValue();

        JsonObject byStream = arbor.get("/streams/" + stream + "/events").json();
        assertEquals(stored, tags(byStream, 0));
        assertEquals(List.of(), tags(byStream, 1));
        // Again: the second read is served by the hot cache.
        assertEquals(stored, tags(arbor.get("/streams/" + stream + "/events").json(), 0));

        JsonObject log = arbor.get("/events?limit=2&after=" + (position - 1)).json();
        assertEquals(stream, log.getJsonArray("events").getJsonObject(0).getString("streamId"));
        assertEquals(stored, tags(log, 0));
        assertEquals(List.of(), tags(log, 1));

        String id = byStream.getJsonArray("events").getJsonObject(0).getString("eventId");
        assertEquals(stored, strings(arbor.get("/events/" + id).json()));
    }

    static List<String> tags(JsonObject page, int index) {
        return strings(page.getJsonArray("events").getJsonObject(index));
    }

    static List<String> strings(JsonObject event) {
        return event.getJsonArray("tags").getValuesAs(JsonString.class).stream()
                .map(JsonString::getString)
                .toList();
    }
}
