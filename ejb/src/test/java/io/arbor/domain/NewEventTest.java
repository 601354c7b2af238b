package io.arbor.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
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

    @Test
    void tagsAreZeroTo32DistinctStringsOf1To200CharactersWithoutControlCharacters() {
        assertEquals(List.of(), new NewEvent(null, "T", 1, "{}", null).tags());
        List<String> most = IntStream.range(0, 32).mapToObj(i -> "t" + i).toList();
        assertEquals(most, new NewEvent(null, "T", 1, "{}", null, most).tags());
        assertEquals(
                "/tags",
                refused(
                                new ArrayList<>(most) {
                                    {
                                        add("t32");
                                    }
                                })
                        .pointer());
        assertEquals("/tags/1", refused(List.of("a", "x".repeat(201))).pointer());
        assertEquals("/tags/0", refused(List.of("")).pointer());
        assertEquals("/tags/2", refused(List.of("a", "b", "c\u001fd")).pointer());
        assertEquals("/tags/0", refused(List.of("\u0085")).pointer());
        assertEquals("/tags/2", refused(List.of("a", "b", "a")).pointer());
        assertEquals(
                200,
                new NewEvent(null, "T", 1, "{}", null, List.of("é".repeat(200)))
                        .tags()
                        .get(0)
                        .length());
    }

    private static InvalidInputException refused(List<String> tags) {
        return assertThrows(
                InvalidInputException.class, () -> new NewEvent(null, "T", 1, "{}", null, tags));
    }
}
