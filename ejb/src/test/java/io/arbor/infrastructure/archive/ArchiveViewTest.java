package io.arbor.infrastructure.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.infrastructure.archive.ArchiveView.Region;
import org.junit.jupiter.api.Test;

/** How a read's positions split into archived and PostgreSQL regions. */
class ArchiveViewTest {
    /** [10, 20) and [20, 30) archived, then [50, 60). */
    private final ArchiveView view =
            new ArchiveView(new long[] {10, 20, 50}, new long[] {20, 30, 60}, null);

    @Test
    void aReadAcrossRangesIsCutAtEachRangesBounds() {
        assertEquals(new Region(false, 1, 9, -1), view.region(0, 100));
        assertEquals(new Region(true, 10, 19, 0), view.region(9, 100));
        assertEquals(new Region(true, 15, 19, 0), view.region(14, 100));
        assertEquals(new Region(true, 20, 29, 1), view.region(19, 100));
        assertEquals(new Region(false, 30, 49, -1), view.region(29, 100));
        assertEquals(new Region(true, 50, 59, 2), view.region(49, 100));
        assertEquals(new Region(false, 60, 100, -1), view.region(59, 100));
        assertEquals(new Region(false, 60, Long.MAX_VALUE, -1), view.region(59, Long.MAX_VALUE));
    }

    @Test
    void aRegionEndsAtTheReadsLastPosition() {
        assertEquals(new Region(true, 10, 12, 0), view.region(9, 12));
        assertEquals(new Region(false, 31, 40, -1), view.region(30, 40));
        assertNull(view.region(40, 40));
    }

    @Test
    void theRangeHoldingAPosition() {
        assertArrayEquals(new long[] {20, 30}, view.rangeHolding(20));
        assertArrayEquals(new long[] {50, 60}, view.rangeHolding(59));
        assertNull(view.rangeHolding(30));
        assertNull(view.rangeHolding(9));
    }

    @Test
    void archivedAndOverlaps() {
        assertFalse(view.archived(9));
        assertTrue(view.archived(10));
        assertTrue(view.archived(29));
        assertFalse(view.archived(30));
        assertTrue(view.overlaps(0, 10));
        assertFalse(view.overlaps(30, 49));
        assertTrue(view.overlaps(30, 50));
        assertTrue(view.overlaps(55, 56));
        assertFalse(view.overlaps(60, Long.MAX_VALUE));
        assertFalse(view.overlaps(12, 11));
    }

    @Test
    void theEmptyViewHoldsNothing() {
        assertTrue(ArchiveView.EMPTY.isEmpty());
        assertFalse(ArchiveView.EMPTY.overlaps(0, Long.MAX_VALUE));
        assertEquals(new Region(false, 1, 5, -1), ArchiveView.EMPTY.region(0, 5));
    }

    @Test
    void rangesMustBeAscendingAndApart() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new ArchiveView(new long[] {10, 15}, new long[] {20, 30}, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ArchiveView(new long[] {10}, new long[] {10}, null));
    }
}
