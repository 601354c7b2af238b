package io.arbor.infrastructure.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.archive.ArchiveReader;
import io.arbor.domain.ArchiveUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which view the catalogue's archived ranges make, and when a reader is reused. */
class ArchivedRangesTest {
    @TempDir Path directory;

    @Test
    void archivedRangesWithNoDirectoryAreInTheViewAndReadsOfThemAnswerUnavailable() {
        ArchiveView view =
                ArchivedRanges.next(List.of(new long[] {10, 20}), List.of("aa"), null, () -> null);

        assertFalse(view.isEmpty(), "a range the catalogue archived must not be skipped");
        assertTrue(view.archived(15));
        assertNull(view.reader());
        ArchiveUnavailableException unavailable =
                assertThrows(
                        ArchiveUnavailableException.class,
                        () -> new ArchivedEvents().at(null, view, "t", List.of(15L), false));
        assertEquals(10, unavailable.from());
        assertEquals(20, unavailable.to());
    }

    @Test
    void noArchivedRangeMakesTheEmptyViewAndOpensNothing() {
        AtomicInteger opened = new AtomicInteger();
        ArchiveView view =
                ArchivedRanges.next(
                        List.of(),
                        List.of(),
                        null,
                        () -> {
                            opened.incrementAndGet();
                            return null;
                        });
        assertSame(ArchiveView.EMPTY, view);
        assertEquals(0, opened.get());
    }

    @Test
    void theSameSegmentsKeepTheReaderAndARearchivedRangeOpensANewOne() throws IOException {
        AtomicInteger opened = new AtomicInteger();
        Supplier<ArchiveReader> open =
                () -> {
                    opened.incrementAndGet();
                    try {
                        return ArchiveReader.open(directory);
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                };
        List<long[]> ranges = List.of(new long[] {10, 20}, new long[] {20, 30});
        ArchiveView first = ArchivedRanges.next(ranges, List.of("aa", "bb"), null, open);
        ArchiveView same = ArchivedRanges.next(ranges, List.of("aa", "bb"), first, open);
        assertSame(first, same);
        assertEquals(1, opened.get());

        // [20, 30) restored then archived again: same bounds, a new file.
        ArchiveView rearchived = ArchivedRanges.next(ranges, List.of("aa", "cc"), same, open);
        assertNotSame(first, rearchived);
        assertNotSame(first.reader(), rearchived.reader());
        assertEquals(2, opened.get());
    }

    @Test
    void aViewWithNoReaderIsNotReusedSoADirectoryThatAppearsIsOpened() {
        List<long[]> ranges = List.of(new long[] {10, 20});
        ArchiveView none = ArchivedRanges.next(ranges, List.of("aa"), null, () -> null);
        AtomicInteger opened = new AtomicInteger();
        ArchivedRanges.next(
                ranges,
                List.of("aa"),
                none,
                () -> {
                    opened.incrementAndGet();
                    return null;
                });
        assertEquals(1, opened.get());
    }
}
