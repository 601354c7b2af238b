package io.arbor.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.arbor.domain.InvalidInputException;
import jakarta.json.Json;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {
    private static final String ID = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";

    @Test
    void theCanonicalFormIsReadInAnyCaseFromABodyAndFromAParameter() {
        UUID id = UUID.fromString(ID);
        assertEquals(id, EventIds.inBody(Json.createValue(ID), "/eventId", "eventId"));
        assertEquals(id, EventIds.inParameter("eventId", ID.toUpperCase()));
    }

    @Test
    void aBodyAndAParameterRefuseTheSameSpellingsWithTheSameMessage() {
        // UUID.fromString takes the first two: short groups, and an overlong first group.
        for (String spelling :
                new String[] {"1-2-3-4-5", "06f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b", "x", ""}) {
            InvalidInputException body =
                    assertThrows(
                            InvalidInputException.class,
                            () ->
                                    EventIds.inBody(
                                            Json.createValue(spelling), "/eventId", "eventId"),
                            spelling);
            InvalidInputException parameter =
                    assertThrows(
                            InvalidInputException.class,
                            () -> EventIds.inParameter("eventId", spelling),
                            spelling);
            assertEquals("/eventId", body.pointer());
            assertNull(body.parameter());
            assertEquals("eventId", parameter.parameter());
            assertNull(parameter.pointer());
            assertEquals("eventId must be a UUID (8-4-4-4-12 hex digits)", body.getMessage());
            assertEquals(body.getMessage(), parameter.getMessage());
        }
    }

    @Test
    void anIdThatIsNotAJsonStringIsRefused() {
        assertThrows(
                InvalidInputException.class,
                () -> EventIds.inBody(Json.createValue(42), "/eventId", "eventId"));
    }
}
