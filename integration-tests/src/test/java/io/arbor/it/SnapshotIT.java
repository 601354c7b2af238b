package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Snapshots: saved at a version the stream has reached; the latest is read back. */
class SnapshotIT extends ArborIT {

    @Test
    void latestSnapshotIsTheHighestVersionSaved() {
        String stream = Arbor.newStream("snap");
        arbor.append(stream, "0", "A", "B", "C");
        Reply saved =
                arbor.put(
                        "/streams/" + stream + "/snapshot",
                        "{\"version\":3,\"type\":\"AccountState\",\"data\":{\"balance\":30}}");
        assertEquals(201, saved.status(), saved::toString);
        arbor.put(
                "/streams/" + stream + "/snapshot",
                "{\"version\":2,\"type\":\"AccountState\",\"data\":{\"balance\":20}}");
        JsonObject latest = arbor.get("/streams/" + stream + "/snapshot").json();
        assertEquals(stream, latest.getString("streamId"));
        assertEquals(3, latest.getInt("version"));
        assertEquals("AccountState", latest.getString("type"));
        assertEquals(30, latest.getJsonObject("data").getInt("balance"));
        assertTrue(latest.getString("createdAt").endsWith("Z"));
        Reply read = arbor.get("/streams/" + stream + "/snapshot");
        assertEquals(saved.body(), read.body(), "the answer to the write is the snapshot as read");
    }

    @Test
    void theStreamInfoCarriesTheLatestSnapshotWhenAskedForAndThereIsOne() {
        String stream = Arbor.newStream("snapinfo");
        arbor.append(stream, "0", "A", "B");
        JsonObject none = arbor.get("/streams/" + stream + "?snapshot=true").json();
        assertFalse(none.containsKey("snapshot"), none::toString);
        arbor.put(
                "/streams/" + stream + "/snapshot",
                "{\"version\":2,\"type\":\"S\",\"data\":{\"<b>\":\"x\"}}");
        JsonObject with = arbor.get("/streams/" + stream + "?snapshot=true").json();
        assertEquals(
                arbor.get("/streams/" + stream + "/snapshot").json(),
                with.getJsonObject("snapshot"));
        assertEquals(2, with.getInt("version"));
        assertFalse(
                arbor.get("/streams/" + stream).json().containsKey("snapshot"),
                "not there unless asked for");
        Reply bad = arbor.get("/streams/" + stream + "?snapshot=yes");
        assertEquals(400, bad.status(), bad::toString);
        assertEquals("snapshot", bad.json().getString("parameter"));
    }

    @Test
    void snapshotPastTheHeadIs409AndZeroVersionIs400() {
        String stream = Arbor.newStream("snapbad");
        arbor.append(stream, "0", "A");
        Reply beyond =
                arbor.put(
                        "/streams/" + stream + "/snapshot",
                        "{\"version\":2,\"type\":\"S\",\"data\":{}}");
        assertEquals(409, beyond.status(), beyond::toString);
        assertTrue(beyond.isProblem());
        Reply zero =
                arbor.put(
                        "/streams/" + stream + "/snapshot",
                        "{\"version\":0,\"type\":\"S\",\"data\":{}}");
        assertEquals(400, zero.status(), zero::toString);
        assertEquals(404, arbor.get("/streams/" + stream + "/snapshot").status());
    }

    @Test
    void snapshotOfAnUnknownStreamIs404() {
        String stream = Arbor.newStream("snapnone");
        Reply reply =
                arbor.put(
                        "/streams/" + stream + "/snapshot",
                        "{\"version\":1,\"type\":\"S\",\"data\":{}}");
        assertEquals(404, reply.status(), reply::toString);
        assertTrue(reply.isProblem());
        assertEquals(404, arbor.get("/streams/" + stream + "/snapshot").status());
    }
}
