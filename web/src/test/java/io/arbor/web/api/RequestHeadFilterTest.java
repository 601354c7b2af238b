package io.arbor.web.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestHeadFilterTest {
    private static final String EVENTS = "/arbor/api/events";

    private static int refusal(String path, String query, Map<String, List<String>> headers) {
        return assertThrows(
                        RequestHeadTooLargeException.class,
                        () -> RequestHeadFilter.check(path, query, headers))
                .status();
    }

    @Test
    void aSixtyKilobyteQueryOrATenKilobyteStreamIdIsA414() {
        assertEquals(414, refusal(EVENTS, "category=" + "c".repeat(60_000), Map.of()));
        assertEquals(
                414,
                refusal("/arbor/api/streams/" + "s".repeat(10_000) + "/events", null, Map.of()));
    }

    @Test
    void headerFieldsOverSixteenKilobytesAreA431() {
        assertEquals(431, refusal(EVENTS, null, Map.of("X-Big", List.of("x".repeat(17_000)))));
    }

    @Test
    void ordinaryRequestsPass() {
        assertDoesNotThrow(
                () ->
                        RequestHeadFilter.check(
                                EVENTS,
                                "after=0&category=" + "c".repeat(7_000),
                                Map.of("Accept", List.of("application/json"))));
    }
}
