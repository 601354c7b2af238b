package io.arbor.infrastructure.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * A segment's JSON text, made PostgreSQL's {@code jsonb} text: each expected value below is what
 * PostgreSQL 15 prints for the input cast to jsonb ({@code SELECT '…'::jsonb}), checked by hand
 * with psql; ArchiveReadsIT compares the two tiers' answers byte for byte.
 */
class JsonbTextTest {
    @Test
    void membersAreSpacedAndKeysOrderedShorterFirstThenBytewise() {
        assertEquals(
                "{\"a\": 1, \"b\": [1, 2], \"aa\": {}, \"ab\": []}",
                JsonbText.of("{\"ab\":[],\"aa\":{},\"b\":[1,2],\"a\":1}"));
        assertEquals("{\"Z\": 1, \"a\": 2, \"é\": 3}", JsonbText.of("{\"é\":3,\"a\":2,\"Z\":1}"));
    }

    @Test
    void aRepeatedKeyKeepsItsLastValue() {
        assertEquals("{\"a\": 2}", JsonbText.of("{\"a\":1,\"a\":2}"));
    }

    @Test
    void numbersArePrintedAsNumericPrintsThemInPlainNotationWithTheirScale() {
        assertEquals(
                "[1.50, 0.0000001, 100, 15.0, 0, 0.0, -3, 12345678901234567890.5]",
                JsonbText.of("[1.50,1E-7,1.0E+2,1.50e1,-0,-0.0,-3,12345678901234567890.5]"));
    }

    @Test
    void stringsEscapeQuotesBackslashesAndControlCharactersOnly() {
        assertEquals(
                "\"q\\\" b\\\\ \\n\\t\\r\\b\\f \\u0001\\u001f é 🌳 / \u007f\"",
                JsonbText.of(
                        "\"q\\\" b\\\\ \\n\\t\\r\\b\\f \\u0001\\u001F \\u00e9 🌳 \\/ \u007f\""));
    }

    @Test
    void scalarsAndEmptyContainers() {
        assertEquals("true", JsonbText.of("true"));
        assertEquals("null", JsonbText.of(" null "));
        assertEquals("{}", JsonbText.of("{ }"));
        assertEquals("[[], {}]", JsonbText.of("[[],{}]"));
    }

    @Test
    void jsonbsOwnTextIsLeftAsItIs() {
        String printed = "{\"n\": 1.50, \"s\": \"x\\ny\", \"nested\": {\"b\": [true, null]}}";
        assertEquals(printed, JsonbText.of(printed));
    }

    @Test
    void notOneJsonValueIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> JsonbText.of("{\"a\":1"));
        assertThrows(IllegalArgumentException.class, () -> JsonbText.of("[1] 2"));
        assertThrows(IllegalArgumentException.class, () -> JsonbText.of("nope"));
    }
}
