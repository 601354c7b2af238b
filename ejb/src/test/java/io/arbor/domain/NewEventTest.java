package io.arbor.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NewEventTest {

    @Test
    void metadataDefaultsToAnEmptyObject() {
        assertEquals("{}", new NewEvent(null, "T", 1, "{}", null).metadata());
    }

    @Test
    void typeMustBeOneTo200Characters() {
        assertThrows(InvalidInputException.class, () -> new NewEvent(null, "", 1, "{}", null));
        assertThrows(InvalidInputException.class, () -> new NewEvent(null, null, 1, "{}", null));
        assertThrows(
                InvalidInputException.class,
                () -> new NewEvent(null, "t".repeat(201), 1, "{}", null));
        assertEquals(200, new NewEvent(null, "t".repeat(200), 1, "{}", null).type().length());
    }

    @Test
    void schemaVersionStartsAtOneAndDataIsRequired() {
        assertThrows(InvalidInputException.class, () -> new NewEvent(null, "T", 0, "{}", null));
        assertThrows(InvalidInputException.class, () -> new NewEvent(null, "T", 1, null, null));
    }
}
