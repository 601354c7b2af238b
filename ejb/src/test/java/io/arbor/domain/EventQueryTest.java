package io.arbor.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventQueryTest {
    private static final EventQuery QUERY =
            new EventQuery(
                    List.of(
                            new QueryItem(List.of("Enrolled", "Left"), List.of("course:c1")),
                            new QueryItem(null, List.of("student:s7", "term:t1")),
                            new QueryItem(List.of("Closed"), null)));

    @Test
    void itemsAreOrTagsWithinAnItemAreAndTypesAreOptional() {
        assertEquals(0, QUERY.matchingItem("Enrolled", List.of("x", "course:c1")));
        assertEquals(-1, QUERY.matchingItem("Opened", List.of("course:c1")));
        assertEquals(1, QUERY.matchingItem("Opened", List.of("term:t1", "student:s7")));
        assertEquals(-1, QUERY.matchingItem("Opened", List.of("student:s7")));
        assertEquals(2, QUERY.matchingItem("Closed", List.of()));
        assertEquals(0, QUERY.matchingItem("Left", List.of("course:c1", "student:s7", "term:t1")));
    }

    @Test
    void badItemsAreRefusedWithAPointerIntoTheItem() {
        assertEquals("", refused(null, null).pointer());
        assertEquals("", refused(List.of(), List.of()).pointer());
        assertEquals("/tags/1", refused(null, List.of("a", "a")).pointer());
        assertEquals("/types/0", refused(List.of(""), null).pointer());
        assertEquals("/types/1", refused(List.of("A", "A"), null).pointer());
        assertEquals(
                "/items",
                assertThrows(InvalidInputException.class, () -> new EventQuery(List.of()))
                        .pointer());
    }

    private static InvalidInputException refused(List<String> types, List<String> tags) {
        return assertThrows(InvalidInputException.class, () -> new QueryItem(types, tags));
    }
}
