package io.arbor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.client.ArborClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The lifecycle line of an export file (format 2): written, read back, and refused when wrong. */
class LifecycleRecordTest {
    private static JsonObject metadata(Integer truncateBefore) {
        var json = Json.createObjectBuilder().addNull("maxAge").addNull("maxCount");
        (truncateBefore == null
                        ? json.addNull("truncateBefore")
                        : json.add("truncateBefore", truncateBefore))
                .add("custom", Json.createObjectBuilder());
        return json.build();
    }

    @Test
    void aTombstoneLineReadsBackAsWritten() {
        LifecycleRecord tombstone =
                new LifecycleRecord("order-1", 9, 10, "ab".repeat(32), metadata(10), "hard");
        String line = tombstone.toJson().toString();
        assertEquals(
                "{\"stream\":{\"streamId\":\"order-1\",\"version\":9,\"firstVersion\":10,"
                        + "\"previousHash\":\""
                        + "ab".repeat(32)
                        + "\",\"metadata\":{\"maxAge\":null,\"maxCount\":null,"
                        + "\"truncateBefore\":10,\"custom\":{}},\"deleted\":\"hard\"}}",
                line);
        assertEquals(tombstone, LifecycleRecord.fromJson(ArborClient.parseObject(line)));
        assertTrue(tombstone.hasMetadata());
        assertFalse(
                new LifecycleRecord("a-1", 3, 1, "00".repeat(32), metadata(null), null)
                        .hasMetadata());
    }

    @Test
    void aLineWithAFirstVersionPastTheHeadOrAnUnknownDeleteStateIsRefused() {
        String pastHead =
                new LifecycleRecord("a-1", 3, 5, "00".repeat(32), metadata(null), null)
                        .toJson()
                        .toString();
        assertThrows(
                IllegalArgumentException.class,
                () -> LifecycleRecord.fromJson(ArborClient.parseObject(pastHead)));
        String unknownState =
                new LifecycleRecord("a-1", 3, 4, "00".repeat(32), metadata(null), "gone")
                        .toJson()
                        .toString();
        assertThrows(
                IllegalArgumentException.class,
                () -> LifecycleRecord.fromJson(ArborClient.parseObject(unknownState)));
        String notHex =
                new LifecycleRecord("a-1", 3, 4, "zz", metadata(null), null).toJson().toString();
        assertThrows(
                IllegalArgumentException.class,
                () -> LifecycleRecord.fromJson(ArborClient.parseObject(notHex)));
    }
}
