package io.arbor.domain.partitions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionPlanTest {
    private static final long SIZE = 1_000;

    @Test
    void aNewStoreGetsPartitionsAheadAlignedOnTheSize() {
        // the migration's events_p0 holds the positions handed out before it: none here
        List<PositionRange> existing = List.of(new PositionRange(0, 1));
        assertEquals(
                List.of(new PositionRange(1, 1_000), new PositionRange(1_000, 2_000)),
                PartitionPlan.next(existing, 0, SIZE, 2));
    }

    @Test
    void nothingToDoWhileEnoughEmptyPartitionsLieAhead() {
        List<PositionRange> existing =
                List.of(
                        new PositionRange(0, 1),
                        new PositionRange(1, 1_000),
                        new PositionRange(1_000, 2_000),
                        new PositionRange(2_000, 3_000));
        assertEquals(List.of(), PartitionPlan.next(existing, 999, SIZE, 2));
        assertEquals(
                List.of(new PositionRange(3_000, 4_000)),
                PartitionPlan.next(existing, 1_000, SIZE, 2));
    }

    @Test
    void aMigratedStoreContinuesFromItsFirstPartition() {
        List<PositionRange> existing = List.of(new PositionRange(0, 1_234_568));
        assertEquals(
                List.of(
                        new PositionRange(1_234_568, 2_000_000),
                        new PositionRange(2_000_000, 3_000_000)),
                PartitionPlan.next(existing, 1_234_567, 1_000_000, 2));
    }

    @Test
    void positionsPastTheLastPartitionAreCoveredWithoutAFlood() {
        // maintenance was off while a million positions went by (they landed in the default)
        List<PositionRange> existing = List.of(new PositionRange(0, 1_000));
        List<PositionRange> plan = PartitionPlan.next(existing, 1_000_500, SIZE, 2);
        assertEquals(
                List.of(
                        new PositionRange(1_000, 1_000_000),
                        new PositionRange(1_000_000, 1_001_000),
                        new PositionRange(1_001_000, 1_002_000),
                        new PositionRange(1_002_000, 1_003_000)),
                plan);
        assertContiguousAndCovering(existing, plan, 1_000_500, 2);
    }

    @Test
    void aHighestPositionOnABoundaryStartsThePartitionItIsIn() {
        List<PositionRange> existing = List.of(new PositionRange(0, 1_000));
        List<PositionRange> plan = PartitionPlan.next(existing, 2_000, SIZE, 1);
        assertEquals(
                List.of(
                        new PositionRange(1_000, 2_000),
                        new PositionRange(2_000, 3_000),
                        new PositionRange(3_000, 4_000)),
                plan);
    }

    @Test
    void aChangedSizeAppliesToNewPartitionsOnly() {
        List<PositionRange> existing =
                List.of(new PositionRange(0, 1_000), new PositionRange(1_000, 2_000));
        assertEquals(
                List.of(new PositionRange(2_000, 2_500), new PositionRange(2_500, 3_000)),
                PartitionPlan.next(existing, 1_999, 500, 2));
    }

    @Test
    void everyPlanIsContiguousCoversWhatIsInUseAndLeavesTheEmptyOnesAhead() {
        for (long size : new long[] {1, 7, 1_000}) {
            for (int ahead = 1; ahead <= 3; ahead++) {
                for (long highest = 0; highest < 5_000; highest += 37) {
                    List<PositionRange> existing = List.of(new PositionRange(0, 1));
                    List<PositionRange> plan = PartitionPlan.next(existing, highest, size, ahead);
                    assertContiguousAndCovering(existing, plan, highest, ahead);
                    assertTrue(plan.size() <= ahead + 2, "at most ahead + 2 at once: " + plan);
                    List<PositionRange> all = new ArrayList<>(existing);
                    all.addAll(plan);
                    assertEquals(List.of(), PartitionPlan.next(all, highest, size, ahead));
                }
            }
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PositionRange(5, 5));
        assertThrows(IllegalArgumentException.class, () -> new PositionRange(-1, 5));
        assertThrows(IllegalArgumentException.class, () -> PartitionPlan.next(List.of(), 0, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> PartitionPlan.next(List.of(), 0, 10, 0));
    }

    @Test
    void aRangeNamesItsPartitionAndKnowsItsPositions() {
        PositionRange range = new PositionRange(1_000, 2_000);
        assertEquals("events_p1000", range.partitionName());
        assertTrue(range.contains(1_000));
        assertTrue(range.contains(1_999));
        assertFalse(range.contains(2_000));
    }

    private static void assertContiguousAndCovering(
            List<PositionRange> existing, List<PositionRange> plan, long highest, int ahead) {
        List<PositionRange> all = new ArrayList<>(existing);
        all.addAll(plan);
        for (int i = 1; i < all.size(); i++) {
            assertEquals(all.get(i - 1).to(), all.get(i).from(), "contiguous: " + all);
        }
        assertTrue(all.get(all.size() - 1).to() > highest, "covers " + highest + ": " + all);
        assertTrue(
                all.stream().filter(range -> range.from() > highest).count() >= ahead,
                "empty ahead: " + all);
    }
}
