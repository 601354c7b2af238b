package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /events}: appends to several streams in one transaction (api.md, "Tags, queries,
 * multi-stream appends, conditions"): all or nothing, guards, every failing stream listed,
 * idempotent retries, one block of positions.
 */
class MultiStreamAppendIT extends ArborIT {

    /** One stream entry: {@code expected} is JSON or null (absent), then events of these types. */
    static String entry(String stream, String expected, String... types) {
        StringBuilder events = new StringBuilder();
        for (String type : types) {
            if (events.length() > 0) {
                events.append(',');
            }
            events.append(Arbor.event(UUID.randomUUID(), type, "{}"));
        }
        return "{\"streamId\":\""
                + stream
                + "\""
                + (expected == null ? "" : ",\"expectedVersion\":" + expected)
                + (types.length == 0 ? "" : ",\"events\":[" + events + "]")
                + "}";
    }

    static String body(String... entries) {
        return "{\"streams\":[" + String.join(",", entries) + "]}";
    }

    private long version(String stream) {
        Reply info = arbor.get("/streams/" + stream);
        return info.status() == 404 ? 0 : info.json().getJsonNumber("version").longValue();
    }

    @Test
    void eventsOfSeveralStreamsLandTogetherInOneBlockOfPositions() {
        String a = Arbor.newStream("transfer");
        String b = Arbor.newStream("transfer");
        arbor.append(b, "0", "Opened");
        Reply reply =
                arbor.post(
                        "/events",
                        body(
                                entry(a, "\"no_stream\"", "Debited", "Noted"),
                                entry(b, "1", "Credited")));
        assertEquals(201, reply.status(), reply::toString);
        JsonObject outcome = reply.json();
        JsonArray streams = outcome.getJsonArray("streams");
        assertEquals(2, streams.size());
        assertEquals(a, streams.getJsonObject(0).getString("streamId"));
        assertEquals(1, streams.getJsonObject(0).getInt("fromVersion"));
        assertEquals(2, streams.getJsonObject(0).getInt("toVersion"));
        assertEquals(b, streams.getJsonObject(1).getString("streamId"));
        assertEquals(2, streams.getJsonObject(1).getInt("fromVersion"));
        assertEquals(2, streams.getJsonObject(1).getInt("toVersion"));
        long from = outcome.getJsonNumber("fromPosition").longValue();
        assertEquals(from + 2, outcome.getJsonNumber("toPosition").longValue());
        List<JsonObject> logged = arbor.readAllAfter(from - 1, null);
        assertEquals(
                List.of(a + "/1", a + "/2", b + "/2"),
                logged.subList(0, 3).stream()
                        .map(e -> e.getString("streamId") + "/" + e.getInt("version"))
                        .toList());
    }

    @Test
    void oneFailingExpectationWritesNothingAnywhereAndEveryFailingStreamIsListed() {
        String ok = Arbor.newStream("allornone");
        String stale = Arbor.newStream("allornone");
        String taken = Arbor.newStream("allornone");
        String fresh = Arbor.newStream("allornone");
        arbor.append(ok, "0", "A");
        arbor.append(stale, "0", "A", "B");
        arbor.append(taken, "0", "A");
        Reply refused =
                arbor.post(
                        "/events",
                        body(
                                entry(ok, "1", "X"),
                                entry(stale, "1", "X"),
                                entry(fresh, "\"any\"", "X"),
                                entry(taken, "\"no_stream\"", "X")));
        assertEquals(409, refused.status(), refused::toString);
        assertTrue(refused.isProblem());
        JsonObject problem = refused.json();
        assertEquals("urn:arbor:problem:wrong-expected-version", problem.getString("type"));
        JsonArray conflicts = problem.getJsonArray("conflicts");
        assertEquals(2, conflicts.size(), problem::toString);
        assertEquals(stale, conflicts.getJsonObject(0).getString("streamId"));
        assertEquals(1, conflicts.getJsonObject(0).getInt("expectedVersion"));
        assertEquals(2, conflicts.getJsonObject(0).getInt("actualVersion"));
        assertEquals(taken, conflicts.getJsonObject(1).getString("streamId"));
        assertEquals("no_stream", conflicts.getJsonObject(1).getString("expectedVersion"));
        assertEquals(1, conflicts.getJsonObject(1).getInt("actualVersion"));
        assertEquals(1, version(ok));
        assertEquals(2, version(stale));
        assertEquals(1, version(taken));
        assertEquals(404, arbor.get("/streams/" + fresh).status(), "no stream was created");
    }

    @Test
    void aGuardMustHoldButIsNotWritten() {
        String guarded = Arbor.newStream("guard");
        String written = Arbor.newStream("guard");
        arbor.append(guarded, "0", "A", "B");
        Reply held = arbor.post("/events", body(entry(guarded, "2"), entry(written, null, "X")));
        assertEquals(201, held.status(), held::toString);
        assertEquals(1, held.json().getJsonArray("streams").size(), "guards are not listed");
        assertEquals(2, version(guarded));
        assertEquals(1, version(written));

        Reply broken = arbor.post("/events", body(entry(guarded, "1"), entry(written, null, "Y")));
        assertEquals(409, broken.status(), broken::toString);
        assertEquals(
                guarded,
                broken.json().getJsonArray("conflicts").getJsonObject(0).getString("streamId"));
        assertEquals(1, version(written), "nothing written when the guard fails");

        String absent = Arbor.newStream("guard");
        Reply absentGuard =
                arbor.post(
                        "/events", body(entry(absent, "\"no_stream\""), entry(written, null, "Z")));
        assertEquals(201, absentGuard.status(), absentGuard::toString);
        assertEquals(404, arbor.get("/streams/" + absent).status(), "a guard creates no stream");
    }

    @Test
    void aRetryWithTheSameEventIdsAnswers200WithTheSameBodyAndWritesNothing() {
        String a = Arbor.newStream("retry");
        String b = Arbor.newStream("retry");
        String request =
                body(
                        "{\"streamId\":\""
                                + a
                                + "\",\"expectedVersion\":0,\"events\":["
                                + Arbor.event(UUID.randomUUID(), "A", "{\"n\":1}")
                                + "]}",
                        "{\"streamId\":\""
                                + b
                                + "\",\"expectedVersion\":\"no_stream\",\"events\":["
                                + Arbor.event(UUID.randomUUID(), "B", "{\"n\":2}")
                                + ","
                                + Arbor.event(UUID.randomUUID(), "B", "{\"n\":3}")
                                + "]}");
        Reply first = arbor.post("/events", request);
        assertEquals(201, first.status(), first::toString);
        Reply again = arbor.post("/events", request);
        assertEquals(200, again.status(), again::toString);
        assertEquals(first.json(), again.json());
        assertEquals(1, version(a));
        assertEquals(2, version(b));
    }

    @Test
    void aThousandEventsOverFiftyStreamsTakeOneContiguousBlock() {
        List<String> entries = new ArrayList<>();
        List<String> streams = new ArrayList<>();
        for (int s = 0; s < 50; s++) {
            String stream = Arbor.newStream("bulk");
            streams.add(stream);
            String[] types = new String[20];
            java.util.Arrays.fill(types, "Bulk");
            entries.add(entry(stream, "\"no_stream\"", types));
        }
        Reply reply = arbor.post("/events", body(entries.toArray(String[]::new)));
        assertEquals(201, reply.status(), reply::toString);
        JsonObject outcome = reply.json();
        long from = outcome.getJsonNumber("fromPosition").longValue();
        long to = outcome.getJsonNumber("toPosition").longValue();
        assertEquals(999, to - from);
        Set<Long> positions = new HashSet<>();
        long next = from;
        JsonArray written = outcome.getJsonArray("streams");
        assertEquals(50, written.size());
        for (String stream : streams) {
            JsonArray events =
                    arbor.get("/streams/" + stream + "/events?limit=100")
                            .json()
                            .getJsonArray("events");
            assertEquals(20, events.size());
            for (int i = 0; i < 20; i++) {
                long position = events.getJsonObject(i).getJsonNumber("globalPosition").longValue();
                assertEquals(next++, position, "each stream's events at consecutive positions");
                positions.add(position);
            }
        }
        assertEquals(1000, positions.size());
    }

    @Test
    void aStreamListedTwiceAndOversizedAppendsAreRefusedWithPointers() {
        String a = Arbor.newStream("bad");
        Reply twice = arbor.post("/events", body(entry(a, null, "A"), entry(a, null, "B")));
        assertEquals(400, twice.status(), twice::toString);
        assertEquals("/streams/1/streamId", twice.json().getString("pointer"));

        Reply badType =
                arbor.post(
                        "/events",
                        body(
                                entry(Arbor.newStream("bad"), null, "A"),
                                "{\"streamId\":\""
                                        + Arbor.newStream("bad")
                                        + "\",\"events\":[{\"type\":\"\",\"data\":{}}]}"));
        assertEquals(400, badType.status(), badType::toString);
        assertEquals("/streams/1/events/0/type", badType.json().getString("pointer"));

        Reply badVersion =
                arbor.post(
                        "/events", body("{\"streamId\":\"" + a + "\",\"expectedVersion\":\"x\"}"));
        assertEquals("/streams/0/expectedVersion", badVersion.json().getString("pointer"));

        Reply badId = arbor.post("/events", body(entry("no spaces", null, "A")));
        assertEquals("/streams/0/streamId", badId.json().getString("pointer"));

        Reply onlyGuards = arbor.post("/events", body(entry(a, "\"any\"")));
        assertEquals(400, onlyGuards.status(), onlyGuards::toString);

        List<String> tooMany = new ArrayList<>();
        for (int s = 0; s < 101; s++) {
            tooMany.add(entry(Arbor.newStream("bad"), null, "A"));
        }
        Reply overStreams = arbor.post("/events", body(tooMany.toArray(String[]::new)));
        assertEquals(400, overStreams.status(), overStreams::toString);
        assertEquals("/streams", overStreams.json().getString("pointer"));

        String[] types = new String[501];
        java.util.Arrays.fill(types, "A");
        Reply overEvents =
                arbor.post(
                        "/events",
                        body(
                                entry(Arbor.newStream("bad"), null, types),
                                entry(Arbor.newStream("bad"), null, types)));
        assertEquals(400, overEvents.status(), overEvents::toString);
        assertEquals("/streams", overEvents.json().getString("pointer"));
        assertEquals(404, arbor.get("/streams/" + a).status(), "nothing was written");
    }
}
