package io.arbor.domain.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PinnedStreamsTest {
    private static final int STREAMS = 10_000;

    @Test
    void theOwnerDoesNotDependOnTheOrderOfTheList() {
        for (int i = 0; i < 100; i++) {
            String stream = "order-" + i;
            assertEquals(
                    PinnedStreams.owner(stream, List.of("a", "b", "c")),
                    PinnedStreams.owner(stream, List.of("c", "a", "b")));
        }
    }

    @Test
    void streamsSpreadEvenlyOverConsumers() {
        Map<String, Integer> owned = new HashMap<>();
        for (int i = 0; i < STREAMS; i++) {
            owned.merge(
                    PinnedStreams.owner("order-" + i, List.of("a", "b", "c", "d")),
                    1,
                    Integer::sum);
        }
        assertEquals(4, owned.size());
        owned.values().forEach(count -> assertTrue(count > STREAMS / 4 * 0.9, owned::toString));
    }

    @Test
    void aConsumerThatLeavesMovesOnlyItsOwnStreams() {
        List<String> before = List.of("a", "b", "c", "d");
        List<String> after = List.of("a", "b", "d");
        int moved = 0;
        for (int i = 0; i < STREAMS; i++) {
            String stream = "order-" + i;
            String was = PinnedStreams.owner(stream, before);
            String is = PinnedStreams.owner(stream, after);
            if (!was.equals("c")) {
                assertEquals(was, is, stream);
            } else {
                moved++;
            }
        }
        assertTrue(moved > 0);
    }

    @Test
    void noLiveConsumerIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> PinnedStreams.owner("s", List.of()));
    }
}
