package io.arbor.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The free-text filters of the reads: any text but the one PostgreSQL cannot take. */
class QueryTextTest {
    @Test
    void aFilterWithANulIsRefusedNamingTheParameter() {
        assertEquals(
                "category",
                assertThrows(
                                InvalidInputException.class,
                                () -> new GlobalLogQuery(0, 10, "a\u0000", null))
                        .parameter());
        assertEquals(
                "type",
                assertThrows(
                                InvalidInputException.class,
                                () -> new GlobalLogQuery(0, 10, null, "\u0000"))
                        .parameter());
        assertEquals(
                "after",
                assertThrows(
                                InvalidInputException.class,
                                () -> new StreamListQuery(null, null, "s\u0000", 10))
                        .parameter());
        assertEquals(
                "category",
                assertThrows(
                                InvalidInputException.class,
                                () -> new StreamListQuery("\u0000", null, null, 10))
                        .parameter());
    }

    @Test
    void oddButStorableTextIsAFilterThatMayMatchNothing() {
        GlobalLogQuery query = new GlobalLogQuery(0, 10, "caf\u00e9 \ud83d\ude00", "");
        assertEquals("caf\u00e9 \ud83d\ude00", query.category());
        assertNull(query.type());
        assertEquals(
                "x".repeat(5000), new StreamListQuery(null, null, "x".repeat(5000), 1).after());
    }
}
