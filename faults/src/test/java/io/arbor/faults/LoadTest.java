package io.arbor.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The writers' multi-stream appends: their shape, and what their answers teach a writer. */
class LoadTest {
    private final Load load =
            new Load(
                    null,
                    new History(),
                    new Load.Spec("c", 1, 2, 2, 0.3, false, 4, true, 0, 0, 4),
                    7);

    @Test
    void aMultiStreamAppendGoesToTwoOrThreeDistinctStreamsWithEvents() {
        Random rnd = new Random(1);
        List<String> owned = List.of("c-w0-0", "c-w0-1");
        Map<String, Long> known = new HashMap<>(Map.of("c-w0-0", 5L));
        boolean sawGuard = false;
        boolean sawThree = false;
        for (int k = 0; k < 200; k++) {
            List<Attempt.Part> parts = load.multiParts(rnd, owned, known);
            Set<String> streams =
                    parts.stream().map(Attempt.Part::stream).collect(Collectors.toSet());
            assertEquals(parts.size(), streams.size(), parts::toString);
            assertTrue(parts.size() == 2 || parts.size() == 3, parts::toString);
            assertTrue(parts.stream().filter(Attempt.Part::guard).count() <= 1, parts::toString);
            assertTrue(parts.stream().anyMatch(p -> !p.guard()), parts::toString);
            for (Attempt.Part p : parts) {
                String expected =
                        owned.contains(p.stream())
                                ? Long.toString(known.getOrDefault(p.stream(), 0L))
                                : "any";
                assertEquals(expected, p.expected(), parts::toString);
                assertTrue(!p.guard() || !p.expected().equals("any"), parts::toString);
                assertTrue(p.eventIds().size() <= 4, parts::toString);
            }
            sawGuard |= parts.stream().anyMatch(Attempt.Part::guard);
            sawThree |= parts.size() == 3;
        }
        assertTrue(sawGuard && sawThree);
    }

    @Test
    void aWriterLearnsVersionsFromTheAnswers() {
        List<Attempt.Part> parts =
                List.of(
                        new Attempt.Part("c-a", "2", List.of()),
                        new Attempt.Part("c-b", "0", List.of(new java.util.UUID(1, 1))));
        Map<String, Long> known = new HashMap<>();

        Load.learn(
                known,
                parts,
                "{\"streams\":[{\"streamId\":\"c-a\",\"fromVersion\":3,\"toVersion\":2},"
                        + "{\"streamId\":\"c-b\",\"fromVersion\":1,\"toVersion\":1}],"
                        + "\"fromPosition\":9,\"toPosition\":9}",
                "streams",
                "toVersion");
        assertEquals(Map.of("c-b", 1L), known); // a guard's version is not taken from a 201
        Load.learn(
                known,
                parts,
                "{\"type\":\"urn:arbor:problem:wrong-expected-version\",\"conflicts\":["
                        + "{\"streamId\":\"c-a\",\"expectedVersion\":2,\"actualVersion\":4}]}",
                "conflicts",
                "actualVersion");
        assertEquals(Map.of("c-a", 4L, "c-b", 1L), known);
        Load.learn(known, List.of(parts.get(1)), "{\"toVersion\":7}", "streams", "toVersion");
        assertEquals(7L, known.get("c-b"));
    }
}
