package io.arbor.infrastructure.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BoundedCachesTest {
    private static final int PARTITIONS = 271;

    /** Hazelcast's own per-partition limit (EntryCountCacheEvictionChecker), restated. */
    private static long worstCase(int size) {
        double balanced = (double) size / PARTITIONS;
        int multiplier = size <= 4_000 ? 5 : size <= 1_000_000 ? 3 : 0;
        return (long) (Math.sqrt(balanced) * multiplier + balanced) * PARTITIONS;
    }

    @Test
    void theWorstCaseNeverExceedsTheConfiguredBound() {
        for (int bound : new int[] {300, 500, 1_000, 4_000, 5_000, 10_000, 100_000, 2_000_000}) {
            int size = BoundedCaches.hazelcastSizeFor(bound, PARTITIONS);
            assertTrue(
                    worstCase(size) <= bound, bound + " -> " + size + " holds " + worstCase(size));
            assertTrue(
                    worstCase(size) >= bound * 0.5,
                    bound + " -> " + size + " holds only " + worstCase(size));
        }
    }

    @Test
    void boundsUnderOneEntryPerPartitionHoldOneEntryPerPartition() {
        assertEquals(PARTITIONS, worstCase(BoundedCaches.hazelcastSizeFor(100, PARTITIONS)));
    }
}
