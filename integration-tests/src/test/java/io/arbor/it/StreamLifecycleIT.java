package io.arbor.it;

import static io.arbor.it.MultiStreamAppendIT.body;
import static io.arbor.it.MultiStreamAppendIT.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.client.ArborClient;
import io.arbor.client.BadRequestException;
import io.arbor.client.RecordedEvent;
import io.arbor.client.StreamDeletedException;
import io.arbor.client.StreamInfo;
import io.arbor.client.StreamMetadata;
import io.arbor.client.StreamNotFoundException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stream lifecycle (api.md, "Stream lifecycle"; docs/lifecycle.md): metadata, retention by count,
 * age and truncation hiding events from stream reads, stream info and snapshots at once, soft
 * delete (404, numbering continues) and hard delete (410 forever), and who may do what.
 */
class StreamLifecycleIT extends ArborIT {
    private static final String DELETED = "urn:arbor:problem:stream-deleted";
    private static final String NOT_FOUND = "urn:arbor:problem:stream-not-found";

    @Test
    void metadataIsStoredWholeAndReadBack() {
        String stream = Arbor.newStream("meta");
        arbor.append(stream, "0", "A", "B", "C");
        assertEquals(
                "{\"maxAge\":null,\"maxCount\":null,\"truncateBefore\":null,\"custom\":{}}",
                metadata(stream).body(),
                "a stream never given metadata has none");
        Reply put =
                putMetadata(
                        stream,
                        "{\"maxAge\":86400,\"maxCount\":100,\"truncateBefore\":2,"
                                + "\"custom\":{\"owner\":\"billing\",\"n\":[1,2]}}");
        assertEquals(200, put.status(), put::toString);
        JsonObject stored = put.json();
        assertEquals(86400, stored.getJsonNumber("maxAge").longValue());
        assertEquals(100, stored.getJsonNumber("maxCount").longValue());
        assertEquals(2, stored.getJsonNumber("truncateBefore").longValue());
        assertEquals("billing", stored.getJsonObject("custom").getString("owner"));
        assertEquals(
                put.body(), metadata(stream).body(), "the answer to the PUT is what a GET reads");

        Reply replaced = putMetadata(stream, "{\"maxCount\":7}");
        assertEquals(200, replaced.status(), replaced::toString);
        assertEquals(
                "{\"maxAge\":null,\"maxCount\":7,\"truncateBefore\":null,\"custom\":{}}",
                metadata(stream).body(),
                "a PUT replaces the whole metadata: members left out are cleared");
    }

    @Test
    void badMetadataIs400ProblemAndChangesNothing() {
        String stream = Arbor.newStream("metabad");
        arbor.append(stream, "0", "A", "B", "C");
        assertEquals(200, putMetadata(stream, "{\"maxAge\":86400,\"custom\":{\"k\":1}}").status());
        String before = metadata(stream).body();
        for (String bad :
                List.of(
                        "{\"maxCount\":0}",
                        "{\"maxCount\":-1}",
                        "{\"maxAge\":0}",
                        "{\"maxAge\":-5}",
                        "{\"truncateBefore\":0}",
                        "{\"truncateBefore\":5}", // past the head: the stream is at version 3
                        "{\"maxcount\":2}",
                        "{\"maxCount\":2,\"retention\":1}",
                        "{\"maxCount\":\"2\"}",
                        "{\"maxCount\":2.5}",
                        "{\"maxAge\":true}",
                        "{\"maxCount\":99999999999999999999}",
                        "{\"custom\":[1]}",
                        "{\"custom\":\"x\"}",
                        "{\"maxCount\":1,\"maxCount\":2}",
                        "[]",
                        "")) {
            Reply refused = putMetadata(stream, bad);
            assertEquals(400, refused.status(), () -> bad + " → " + refused);
            assertTrue(refused.isProblem(), refused::toString);
            assertEquals(before, metadata(stream).body(), () -> bad + " changed the metadata");
        }
        assertEquals(3, read(stream, "").getJsonArray("events").size(), "nothing was hidden");
        assertEquals(
                200,
                putMetadata(stream, "{\"truncateBefore\":4}").status(),
                "version + 1 hides every event, and is allowed");
    }

    @Test
    void metadataOfAStreamThatDoesNotExistIs404() {
        String stream = Arbor.newStream("metanone");
        assertEquals(404, metadata(stream).status());
        assertEquals(404, putMetadata(stream, "{\"maxCount\":1}").status());
        assertEquals(404, arbor.get("/streams/" + stream).status(), "no stream was created");
    }

    @Test
    void maxCountKeepsTheLastVersionsVisibleInEveryStreamRead() {
        String stream = Arbor.newStream("count");
        arbor.append(stream, "0", "A", "B", "C", "D", "E");
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), versions(read(stream, "")));
        assertEquals(200, putMetadata(stream, "{\"maxCount\":2}").status());

        assertEquals(List.of(4L, 5L), versions(read(stream, "")));
        assertEquals(List.of(4L, 5L), versions(read(stream, "?from=2&limit=2")));
        JsonObject backward = read(stream, "?direction=backward&limit=10");
        assertEquals(List.of(5L, 4L), versions(backward));
        assertTrue(backward.isNull("next"), "nothing is left before the first visible version");
        JsonObject info = arbor.get("/streams/" + stream).json();
        assertEquals(5, info.getJsonNumber("version").longValue());
        assertEquals(4, info.getJsonNumber("firstVersion").longValue());

        assertEquals(201, arbor.append(stream, "5", "F").status());
        assertEquals(List.of(5L, 6L), versions(read(stream, "")), "relative to the new head");
        assertEquals(5, arbor.get("/streams/" + stream).json().getInt("firstVersion"));
    }

    @Test
    void truncateBeforeHidesEarlierVersionsAndStreamInfoGivesTheChainsAnchor() {
        String stream = Arbor.newStream("trunc");
        arbor.append(stream, "0", "A", "B", "C", "D", "E");
        JsonObject all = read(stream, "");
        JsonObject info = arbor.get("/streams/" + stream).json();
        assertEquals(1, info.getInt("firstVersion"));
        assertEquals("0".repeat(64), info.getString("previousHash"));

        assertEquals(200, putMetadata(stream, "{\"truncateBefore\":3}").status());
        assertEquals(List.of(3L, 4L, 5L), versions(read(stream, "")));
        assertEquals(List.of(3L, 4L, 5L), versions(read(stream, "?from=1")));
        info = arbor.get("/streams/" + stream).json();
        assertEquals(3, info.getInt("firstVersion"));
        assertEquals(
                all.getJsonArray("events").getJsonObject(1).getString("hash"),
                info.getString("previousHash"),
                "the hash of version 2, which the visible chain continues from");

        assertEquals(200, putMetadata(stream, "{\"truncateBefore\":6}").status());
        assertEquals(List.of(), versions(read(stream, "")));
        info = arbor.get("/streams/" + stream).json();
        assertEquals(6, info.getInt("firstVersion"), "version + 1 when every event is hidden");
        assertEquals(5, info.getInt("version"));

        assertEquals(200, putMetadata(stream, "{}").status());
        assertEquals(
                List.of(1L, 2L, 3L, 4L, 5L),
                versions(read(stream, "")),
                "rules removed before scavenging: every event is visible again");
    }

    @Test
    void maxAgeHidesEventsRecordedLongerAgo() throws InterruptedException {
        String stream = Arbor.newStream("age");
        arbor.append(stream, "0", "Old", "Older");
        assertEquals(200, putMetadata(stream, "{\"maxAge\":1}").status());
        Thread.sleep(2100);
        assertEquals(List.of(), versions(read(stream, "")));
        assertEquals(3, arbor.get("/streams/" + stream).json().getInt("firstVersion"));
        assertEquals(201, arbor.append(stream, "2", "New").status());
        assertEquals(List.of(3L), versions(read(stream, "")));
        assertEquals(List.of(3L), versions(read(stream, "?direction=backward")));
    }

    @Test
    void aRuledStreamReadThroughTheCacheIsNeverStale() {
        String stream = Arbor.newStream("fresh");
        arbor.append(stream, "0", "A", "B", "C", "D");
        // Twice: the first read fills the grid's head and the chunk cache, the second is served
        // from them (CacheIT proves that path).
        read(stream, "");
        assertEquals(List.of(1L, 2L, 3L, 4L), versions(read(stream, "")));
        assertEquals(200, putMetadata(stream, "{\"truncateBefore\":3}").status());
        assertEquals(List.of(3L, 4L), versions(read(stream, "")), "hidden at once");
        assertEquals(200, putMetadata(stream, "{\"maxCount\":1}").status());
        assertEquals(List.of(4L), versions(read(stream, "")), "hidden at once");
        for (int version = 5; version <= 7; version++) {
            arbor.append(stream, String.valueOf(version - 1), "Next");
            assertEquals(List.of((long) version), versions(read(stream, "")));
        }
        assertEquals(200, putMetadata(stream, "{}").status());
        assertEquals(7, versions(read(stream, "")).size(), "and shown again at once");
    }

    @Test
    void snapshotsBelowTheFirstVersionAreHidden() {
        String stream = Arbor.newStream("snaplife");
        arbor.append(stream, "0", "A", "B", "C", "D", "E");
        String path = "/streams/" + stream + "/snapshot";
        assertEquals(201, arbor.put(path, "{\"version\":2,\"type\":\"S\",\"data\":{}}").status());
        assertEquals(201, arbor.put(path, "{\"version\":4,\"type\":\"S\",\"data\":{}}").status());

        assertEquals(200, putMetadata(stream, "{\"truncateBefore\":5}").status());
        assertEquals(4, arbor.get(path).json().getInt("version"), "it rebuilds from version 5");
        Reply below = arbor.put(path, "{\"version\":3,\"type\":\"S\",\"data\":{}}");
        assertEquals(400, below.status(), below::toString);
        assertTrue(below.isProblem());

        assertEquals(200, putMetadata(stream, "{\"truncateBefore\":6}").status());
        assertEquals(404, arbor.get(path).status(), "the events after version 4 are hidden");
        assertEquals(201, arbor.put(path, "{\"version\":5,\"type\":\"S\",\"data\":{}}").status());
        assertEquals(5, arbor.get(path).json().getInt("version"));
    }

    @Test
    void deletedStreamsLeaveTheListing() {
        String category = Arbor.newCategory();
        String kept = category + "-kept";
        String soft = category + "-soft";
        String hard = category + "-hard";
        for (String stream : List.of(kept, soft, hard)) {
            arbor.append(stream, "0", "A");
        }
        assertEquals(204, delete(soft, "").status());
        assertEquals(204, delete(hard, "?mode=hard").status());
        assertEquals(List.of(kept), listed(category));
        arbor.append(soft, "\"any\"", "Back");
        assertEquals(List.of(kept, soft), listed(category), "an append brings a soft one back");
    }

    @Test
    void aSoftDeletedStreamReads404UntilAnAppendContinuesItsNumbering() {
        String stream = Arbor.newStream("soft");
        arbor.append(stream, "0", "A", "B", "C");
        arbor.put("/streams/" + stream + "/snapshot", "{\"version\":3,\"type\":\"S\",\"data\":{}}");
        assertEquals(204, delete(stream, "").status());

        for (String path :
                List.of("/events", "", "/metadata", "/snapshot", "/events?direction=backward")) {
            Reply gone = arbor.get("/streams/" + stream + path);
            assertEquals(404, gone.status(), () -> path + " " + gone);
            assertEquals(NOT_FOUND, gone.json().getString("type"));
        }
        assertEquals(404, putMetadata(stream, "{\"maxCount\":1}").status());
        assertEquals(404, arbor.get("/streams/" + stream + "/subscribe").status());
        assertEquals(204, delete(stream, "").status(), "deleting it again changes nothing");

        Reply noStream = arbor.append(stream, "\"no_stream\"", "X");
        assertEquals(409, noStream.status(), "its version lives on: " + noStream);
        assertEquals(3, noStream.json().getJsonNumber("actualVersion").longValue());

        Reply back = arbor.append(stream, "3", "D");
        assertEquals(201, back.status(), back::toString);
        assertEquals(4, back.json().getInt("fromVersion"));
        assertEquals(List.of(4L), versions(read(stream, "")));
        JsonObject info = arbor.get("/streams/" + stream).json();
        assertEquals(4, info.getInt("version"));
        assertEquals(4, info.getInt("firstVersion"));
        assertEquals(4, metadata(stream).json().getInt("truncateBefore"));
        assertEquals(
                404,
                arbor.get("/streams/" + stream + "/snapshot").status(),
                "the delete removed the snapshot of the history it hid");
    }

    @Test
    void aHardDeletedStreamIs410ForEveryReadAndAppend() {
        String stream = Arbor.newStream("hard");
        String other = Arbor.newStream("hard");
        arbor.append(stream, "0", "A", "B");
        assertEquals(204, delete(stream, "?mode=hard").status());

        for (String path : List.of("/events", "", "/metadata", "/snapshot")) {
            assertGone(arbor.get("/streams/" + stream + path), path);
        }
        assertGone(arbor.get("/streams/" + stream + "/subscribe"), "subscribe");
        assertGone(arbor.append(stream, "\"any\"", "X"), "append");
        assertGone(arbor.append(stream, "2", "X"), "append at its version");
        assertGone(putMetadata(stream, "{\"maxCount\":1}"), "metadata PUT");
        assertGone(
                arbor.put(
                        "/streams/" + stream + "/snapshot",
                        "{\"version\":2,\"type\":\"S\",\"data\":{}}"),
                "snapshot PUT");
        assertGone(
                arbor.post("/events", body(entry(stream, null, "X"), entry(other, null, "Y"))),
                "write");
        assertGone(
                arbor.post("/events", body(entry(stream, "2"), entry(other, null, "Y"))), "guard");
        assertEquals(404, arbor.get("/streams/" + other).status(), "nothing was written");
        assertGone(delete(stream, ""), "soft delete of a tombstone");
        assertGone(delete(stream, "?mode=hard"), "hard delete of a tombstone");
    }

    @Test
    void aMultiStreamAppendBringsASoftDeletedStreamBackAndContinuesItsNumbering() {
        String stream = Arbor.newStream("softmulti");
        String other = Arbor.newStream("softmulti");
        arbor.append(stream, "0", "A", "B");
        assertEquals(204, delete(stream, "").status());
        Reply back = arbor.post("/events", body(entry(stream, "2", "C"), entry(other, null, "X")));
        assertEquals(201, back.status(), back::toString);
        assertEquals(3, back.json().getJsonArray("streams").getJsonObject(0).getInt("fromVersion"));
        assertEquals(List.of(3L), versions(read(stream, "")));
        assertEquals(3, arbor.get("/streams/" + stream).json().getInt("firstVersion"));
    }

    @Test
    void theClientSetsAndReadsMetadataAndDeletes() {
        ArborClient client = Arbor.client();
        String stream = Arbor.newStream("client");
        arbor.append(stream, "0", "A", "B", "C");
        StreamMetadata stored =
                client.setStreamMetadata(
                        stream,
                        new StreamMetadata(
                                null,
                                2L,
                                null,
                                Json.createObjectBuilder().add("owner", "ops").build()));
        assertEquals(2L, stored.maxCount());
        assertEquals(null, stored.maxAge());
        assertEquals("ops", stored.custom().getString("owner"));
        assertEquals(stored, client.streamMetadata(stream));
        StreamInfo info = client.streamInfo(stream);
        assertEquals(2, info.firstVersion());
        assertEquals(64, info.previousHash().length());
        assertEquals(
                List.of(2L, 3L), client.readStream(stream).map(RecordedEvent::version).toList());
        assertThrows(
                BadRequestException.class,
                () -> client.setStreamMetadata(stream, new StreamMetadata(null, null, 9L, null)));
        client.deleteStream(stream, true);
        assertThrows(StreamDeletedException.class, () -> client.streamInfo(stream));
        assertThrows(StreamDeletedException.class, () -> client.deleteStream(stream, false));
        assertThrows(
                StreamNotFoundException.class,
                () -> client.deleteStream(Arbor.newStream("client"), false));
    }

    @Test
    void aStreamSubscriptionCatchesUpFromTheFirstVisibleVersion() throws Exception {
        String stream = Arbor.newStream("subtrunc");
        arbor.append(stream, "0", "A", "B", "C", "D");
        assertEquals(200, putMetadata(stream, "{\"truncateBefore\":3}").status());
        try (SseSubscriber subscriber =
                SseSubscriber.open("/streams/" + stream + "/subscribe?after=0")) {
            subscriber.await(f -> f.name().equals("caught-up"), 30, "caught-up");
            assertEquals(
                    List.of(3L, 4L),
                    subscriber.events().stream()
                            .map(event -> event.getJsonNumber("version").longValue())
                            .toList());
        }
    }

    /**
     * After scavenging removed a truncated stream's first versions (done here by hand, as the
     * scavenger does: the rows gone, the anchor kept), stream info takes {@code previousHash} from
     * the anchor, and the removed versions stay before {@code firstVersion} when the rules go.
     */
    @Test
    void aScavengedStreamsChainContinuesFromItsAnchor() throws Exception {
        String stream = Arbor.newStream("anchored");
        arbor.append(stream, "0", "A", "B", "C", "D");
        String hashOf2 = read(stream, "").getJsonArray("events").getJsonObject(1).getString("hash");
        assertEquals(200, putMetadata(stream, "{\"truncateBefore\":3}").status());
        String where = " WHERE tenant = 'default' AND stream_id = '" + stream + "'";
        Database.execute(
                "INSERT INTO stream_chain_anchors (tenant, stream_id, version, hash) SELECT tenant,"
                        + " stream_id, version, hash FROM events"
                        + where
                        + " AND version = 2");
        // Its events carry no tags, so no event_tags rows go with them.
        Database.execute("DELETE FROM events" + where + " AND version <= 2");

        JsonObject info = arbor.get("/streams/" + stream).json();
        assertEquals(3, info.getInt("firstVersion"));
        assertEquals(hashOf2, info.getString("previousHash"), "the anchor's hash");

        assertEquals(200, putMetadata(stream, "{}").status());
        info = arbor.get("/streams/" + stream).json();
        assertEquals(3, info.getInt("firstVersion"), "what was removed stays before it");
        assertEquals(hashOf2, info.getString("previousHash"));
        assertEquals(List.of(3L, 4L), versions(read(stream, "")));
        assertEquals(List.of(4L, 3L), versions(read(stream, "?direction=backward")));
    }

    @Test
    void aSoftDeletedStreamMayBeHardDeleted() {
        String stream = Arbor.newStream("softhard");
        arbor.append(stream, "0", "A");
        assertEquals(204, delete(stream, "?mode=soft").status());
        assertEquals(204, delete(stream, "?mode=hard").status());
        assertGone(arbor.append(stream, "\"any\"", "X"), "append");
    }

    @Test
    void deleteModesAndMissingStreams() {
        String stream = Arbor.newStream("modes");
        arbor.append(stream, "0", "A");
        Reply bogus = delete(stream, "?mode=purge");
        assertEquals(400, bogus.status(), bogus::toString);
        assertTrue(bogus.isProblem());
        assertEquals(1, read(stream, "").getJsonArray("events").size(), "nothing was deleted");
        assertEquals(404, delete(Arbor.newStream("modes"), "").status());
        assertEquals(404, delete(Arbor.newStream("modes"), "?mode=hard").status());
    }

    @Test
    void metadataIsAWritersAndDeletingAnAdmins() {
        String stream = Arbor.newStream("roles");
        arbor.append(stream, "0", "A");
        Arbor writer = new Arbor(Tokens.token("arbor-writer").sign());
        Arbor reader = new Arbor(Tokens.token("arbor-reader").sign());
        assertEquals(403, reader.put("/streams/" + stream + "/metadata", "{}").status());
        assertEquals(200, reader.get("/streams/" + stream + "/metadata").status());
        assertEquals(200, writer.put("/streams/" + stream + "/metadata", "{}").status());
        assertEquals(403, writer.send("DELETE", "/streams/" + stream, null, null).status());
        assertEquals(1, read(stream, "").getJsonArray("events").size(), "nothing was deleted");
    }

    private void assertGone(Reply reply, String what) {
        assertEquals(410, reply.status(), () -> what + " " + reply);
        assertEquals(DELETED, reply.json().getString("type"), what);
    }

    private Reply metadata(String stream) {
        return arbor.get("/streams/" + stream + "/metadata");
    }

    private Reply putMetadata(String stream, String json) {
        return arbor.put("/streams/" + stream + "/metadata", json);
    }

    private Reply delete(String stream, String query) {
        return arbor.send("DELETE", "/streams/" + stream + query, null, null);
    }

    private JsonObject read(String stream, String query) {
        Reply page = arbor.get("/streams/" + stream + "/events" + query);
        assertEquals(200, page.status(), page::toString);
        return page.json();
    }

    private static List<Long> versions(JsonObject page) {
        return page.getJsonArray("events").stream()
                .map(JsonValue::asJsonObject)
                .map(event -> event.getJsonNumber("version").longValue())
                .toList();
    }

    private List<String> listed(String category) {
        return arbor.get("/streams?category=" + category).json().getJsonArray("streams").stream()
                .map(row -> row.asJsonObject().getString("streamId"))
                .toList();
    }
}
