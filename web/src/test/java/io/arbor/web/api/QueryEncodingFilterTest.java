package io.arbor.web.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.arbor.domain.InvalidInputException;
import org.junit.jupiter.api.Test;

class QueryEncodingFilterTest {
    @Test
    void invalidUtf8InAQueryParameterIsRefusedNamingIt() {
        for (String query :
                new String[] {
                    "category=%FF", "after=0&category=%C0%AE", "category=%E2%82", "category=%"
                }) {
            InvalidInputException refused =
                    assertThrows(
                            InvalidInputException.class,
                            () -> QueryEncodingFilter.check(query),
                            query);
            assertEquals("category", refused.parameter(), query);
        }
    }

    @Test
    void utf8AndPlainQueriesPass() {
        assertDoesNotThrow(
                () -> QueryEncodingFilter.check("category=%C3%BC&type=a+b&after=&limit=10&flag"));
    }
}
