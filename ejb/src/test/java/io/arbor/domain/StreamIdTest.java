package io.arbor.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StreamIdTest {

    @Test
    void acceptsEveryAllowedCharacterUpTo200() {
        assertEquals("aZ09._:@-x", StreamId.of("aZ09._:@-x").value());
        assertEquals(200, StreamId.of("s".repeat(200)).value().length());
    }

    @Test
    void rejectsEmptyTooLongAndForeignCharactersWithAReadableMessage() {
        for (String bad : new String[] {"", "s".repeat(201), "a b", "a/b", "ü", "a\n", "a#b"}) {
            InvalidInputException e =
                    assertThrows(InvalidInputException.class, () -> StreamId.of(bad));
            assertEquals("streamId", e.parameter());
        }
        assertThrows(InvalidInputException.class, () -> StreamId.of(null));
    }

    @Test
    void categoryIsThePartBeforeTheFirstDash() {
        assertEquals("account", StreamId.of("account-42").category());
        assertEquals("account", StreamId.of("account-42-x").category());
        assertEquals("plain", StreamId.of("plain").category());
    }
}
