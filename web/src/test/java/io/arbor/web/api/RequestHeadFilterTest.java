package io.arbor.web.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestHeadFilterTest {
    private static final String EVENTS = "/arbor/api/events";

    @Test
    void aSixtyKilobyteQueryOrATenKilobyteStreamIdIsA414() {
        assertEquals(
                414,
                assertThrows(
                                RequestHeadTooLargeException.class,
                                () ->
                                        RequestHeadFilter.check(
                                                EVENTS, "category=" + "c".repeat(60_000), Map.of()))
                        .status());
        assertEquals(
                414,
                assertThrows(
                                RequestHeadTooLargeException.class,
                                () ->
                                        RequestHeadFilter.check(
                                                "/arbor/api/streams/"
                                                        + "s".repeat(10_000)
                                                        + "/events",
                                                null,
                                                Map.of()))
                        .status());
    }

    @Test
    void headerFieldsOverSixteenKilobytesAreA431() {
        assertEquals(
                431,
                assertThrows(
                                RequestHeadTooLargeException.class,
                                () ->
                                        RequestHeadFilter.check(
                                                EVENTS,
                                                null,
                                                Map.of("X-Big", List.of("x".repeat(17_000)))))
                        .status());
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
