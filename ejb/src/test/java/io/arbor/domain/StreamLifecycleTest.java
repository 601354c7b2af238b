package io.arbor.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The retention rule in Java, which must equal the view {@code visible_events}; and the metadata's
 * validation, in one place.
 */
class StreamLifecycleTest {
    private static final Instant NOW = Instant.parse("2026-12-08T12:00:00Z");

    @Test
    void noRuleHidesNothingAndEveryVersionIsVisible() {
        StreamLifecycle none = StreamLifecycle.NONE;
        assertFalse(none.isRuled());
        assertFalse(none.hides(1, Instant.EPOCH, 10, NOW));
        assertEquals(1, none.firstVersionByPosition(10));
    }

    @Test
    void truncateBeforeHidesTheVersionsBelowIt() {
        StreamLifecycle rule = new StreamLifecycle(null, null, 4L, null);
        assertTrue(rule.hides(3, NOW, 10, NOW));
        assertFalse(rule.hides(4, NOW, 10, NOW));
        assertEquals(4, rule.firstVersionByPosition(10));
        assertEquals(4, rule.firstVersionByPosition(3), "head + 1 when it hides every event");
    }

    @Test
    void maxCountKeepsTheLastVersionsRelativeToTheHead() {
        StreamLifecycle rule = new StreamLifecycle(null, 3L, null, null);
        assertTrue(rule.hides(7, NOW, 10, NOW));
        assertFalse(rule.hides(8, NOW, 10, NOW));
        assertEquals(8, rule.firstVersionByPosition(10));
        assertEquals(1, rule.firstVersionByPosition(2), "fewer events than the count: all");
    }

    @Test
    void maxAgeHidesEventsRecordedBeforeNowMinusTheAgeByTheDatabasesClock() {
        StreamLifecycle rule = new StreamLifecycle(60L, null, null, null);
        assertTrue(rule.hides(1, NOW.minusSeconds(61), 1, NOW));
        assertFalse(rule.hides(1, NOW.minusSeconds(60), 1, NOW), "exactly the age: kept (<)");
        assertEquals(1, rule.firstVersionByPosition(5), "age is the database's to search");
    }

    @Test
    void theStrictestRuleWins() {
        StreamLifecycle rules = new StreamLifecycle(null, 5L, 3L, null);
        assertEquals(6, rules.firstVersionByPosition(10));
        assertEquals(3, rules.firstVersionByPosition(6));
    }

    @Test
    void aDeletedStreamReadsAs404Soft410Hard() {
        StreamId id = StreamId.of("orders-1");
        assertTrue(new StreamLifecycle(null, null, null, StreamDeletion.SOFT).isRuled());
        assertThrows(
                StreamNotFoundException.class,
                () -> new StreamLifecycle(null, null, 3L, StreamDeletion.SOFT).checkReadable(id));
        assertThrows(
                StreamDeletedException.class,
                () -> new StreamLifecycle(null, null, 3L, StreamDeletion.HARD).checkReadable(id));
        StreamLifecycle.NONE.checkReadable(id);
    }

    @Test
    void metadataRulesAreAtLeastOneAndCustomIsAnObjectOfAtMost64KiB() {
        for (long bad : new long[] {0, -1, Long.MIN_VALUE}) {
            assertEquals(
                    "/maxAge",
                    assertThrows(
                                    InvalidInputException.class,
                                    () -> new StreamMetadata(bad, null, null, null))
                            .pointer());
            assertEquals(
                    "/maxCount",
                    assertThrows(
                                    InvalidInputException.class,
                                    () -> new StreamMetadata(null, bad, null, null))
                            .pointer());
            assertEquals(
                    "/truncateBefore",
                    assertThrows(
                                    InvalidInputException.class,
                                    () -> new StreamMetadata(null, null, bad, null))
                            .pointer());
        }
        assertEquals("{}", new StreamMetadata(null, null, null, null).custom());
        assertThrows(
                InvalidInputException.class, () -> new StreamMetadata(null, null, null, "[1]"));
        String big = "{\"a\":\"" + "x".repeat(StreamMetadata.MAX_CUSTOM_BYTES) + "\"}";
        assertThrows(InvalidInputException.class, () -> new StreamMetadata(null, null, null, big));
    }

    @Test
    void truncateBeforeMayNameAtMostTheNextVersion() {
        StreamId id = StreamId.of("orders-1");
        new StreamMetadata(null, null, 4L, null).checkAgainstHead(id, 3);
        InvalidInputException past =
                assertThrows(
                        InvalidInputException.class,
                        () -> new StreamMetadata(null, null, 5L, null).checkAgainstHead(id, 3));
        assertEquals("/truncateBefore", past.pointer());
        assertTrue(past.getMessage().contains("past the head"), past::getMessage);
    }

    @Test
    void theDeleteModeIsSoftByDefaultAndOnlySoftOrHard() {
        assertEquals(StreamDeletion.SOFT, StreamDeletion.parseMode(null));
        assertEquals(StreamDeletion.SOFT, StreamDeletion.parseMode("soft"));
        assertEquals(StreamDeletion.HARD, StreamDeletion.parseMode("hard"));
        for (String bad : new String[] {"", "HARD", "purge", "hard "}) {
            assertThrows(InvalidInputException.class, () -> StreamDeletion.parseMode(bad));
        }
    }
}
