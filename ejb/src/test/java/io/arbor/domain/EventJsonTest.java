package io.arbor.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aStringArrayReadsBackWhatStringArrayWroteAndJsonbsText() {
        List<String> tags = List.of("a\"b", "c\\d", "é😀", "x y");
        assertEquals(
                tags,
                EventJson.parseStringArray(
                        new String(EventJson.stringArray(tags), StandardCharsets.UTF_8)));
        assertEquals(List.of("a", "b"), EventJson.parseStringArray("[\"a\", \"b\"]"));
        assertEquals(List.of(), EventJson.parseStringArray("[]"));
        assertEquals(List.of(), EventJson.parseStringArray("[ ]"));
    }

    @Test
    void anEventIsWrittenAsApiMdsEventObject() throws Exception {
        UUID id = UUID.fromString("0000000a-000b-400c-800d-00000000000e");
        RecordedEvent event =
                new RecordedEvent(
                        id,
                        StreamId.of("account-42"),
                        7,
                        -1L + Long.MAX_VALUE,
                        "Odd \"type\"\\\n\u0001 é😀",
                        3,
                        "{\"amount\": 10}",
                        "{}",
                        List.of("a\"b", "c"),
                        Instant.parse("2026-11-25T01:02:03.120Z"),
                        null,
                        "58f350a55cb87b0ea3afdf7a6ceed2d3022f1b94191865584a8ee00b67ee35ee");
        EventJson out = new EventJson(8);
        event.writeJson(out);
        String text = new String(out.toByteArray(), StandardCharsets.UTF_8);
        assertEquals(
                "{\"eventId\":\"0000000a-000b-400c-800d-00000000000e\",\"streamId\":\"account-42\","
                        + "\"version\":7,\"globalPosition\":9223372036854775806,"
                        + "\"type\":\"Odd \\\"type\\\"\\\\\\n\\u0001 é😀\",\"schemaVersion\":3,"
                        + "\"data\":{\"amount\": 10},\"metadata\":{},"
                        + "\"tags\":[\"a\\\"b\",\"c\"],"
                        + "\"hash\":\"58f350a55cb87b0ea3afdf7a6ceed2d3022f1b94191865584a8ee00b67ee35ee\","
                        + "\"recordedAt\":\"2026-11-25T01:02:03.120Z\"}",
                text);
        JsonNode parsed = JSON.readTree(text);
        assertEquals(event.type(), parsed.get("type").asText());
        assertEquals(id.toString(), parsed.get("eventId").asText());
    }

    @Test
    void theWriterFollowsTheRecordingTimeWhenThereIsOne() throws Exception {
        RecordedEvent event =
                new RecordedEvent(
                        UUID.fromString("0000000a-000b-400c-800d-00000000000e"),
                        StreamId.of("account-42"),
                        1,
                        1,
                        "Opened",
                        1,
                        "{}",
                        "{}",
                        List.of(),
                        Instant.parse("2026-11-25T01:02:03.120Z"),
                        "ada \"the\" writer",
                        null);
        EventJson out = new EventJson(8);
        event.writeJson(out);
        String text = new String(out.toByteArray(), StandardCharsets.UTF_8);
        assertTrue(
                text.endsWith(
                        "\"hash\":null,\"recordedAt\":\"2026-11-25T01:02:03.120Z\","
                                + "\"writtenBy\":\"ada \\\"the\\\" writer\"}"),
                text);
        assertEquals("ada \"the\" writer", JSON.readTree(text).get("writtenBy").asText());
    }

    @Test
    void numbersAreWrittenInFull() {
        EventJson out = new EventJson(1);
        out.number(0).ascii(",").number(-45).ascii(",").number(Long.MIN_VALUE);
        assertEquals(
                "0,-45,-9223372036854775808",
                new String(out.toByteArray(), StandardCharsets.US_ASCII));
    }
}
