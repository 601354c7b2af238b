package io.arbor.infrastructure.archive;

import io.arbor.archive.ArchiveReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One snapshot of the ranges of the global log that reads take from the archive (the catalogue's
 * {@code archived} and {@code detached} partitions, docs/archive.md "What reads do"), with the
 * reader opened on the archive directory for them. Immutable; {@link ArchivedRanges} hands out a
 * fresh one at least every {@code arbor.archive.grace-seconds / 4}.
 *
 * <p>A read splits its positions into <em>regions</em>: maximal runs that lie wholly in one
 * archived range or wholly outside every one, read from the archive or from PostgreSQL.
 */
public final class ArchiveView {
    static final ArchiveView EMPTY = new ArchiveView(new long[0], new long[0], null);

    private final long[] froms;
    private final long[] tos;
    private final String[] sha256s;
    private final ArchiveReader reader;

    /**
     * @param froms the ranges' first positions, ascending
     * @param tos the ranges' ends (exclusive), each above its from and at or below the next from
     * @param reader the archive's reader; null when there is no range, or no directory to read them
     *     from (reads of every range then answer {@code archive-unavailable})
     */
    ArchiveView(long[] froms, long[] tos, ArchiveReader reader) {
        this(froms, tos, new String[froms.length], reader);
    }

    /**
     * @param sha256s each range's data file's SHA-256 as the catalogue has it (null: unknown); a
     *     reader is reused for a new view only when ranges and files are the same (see {@link
     *     #sameSegments})
     */
    ArchiveView(long[] froms, long[] tos, String[] sha256s, ArchiveReader reader) {
        if (froms.length != tos.length || froms.length != sha256s.length) {
            throw new IllegalArgumentException("as many ends as starts");
        }
        for (int i = 0; i < froms.length; i++) {
            if (froms[i] >= tos[i] || (i > 0 && tos[i - 1] > froms[i])) {
                throw new IllegalArgumentException("ranges must be ascending and apart");
            }
        }
        this.froms = froms.clone();
        this.tos = tos.clone();
        this.sha256s = sha256s.clone();
        this.reader = reader;
    }

    /**
     * Whether {@code other} names the same segments: the same ranges with the same data files. A
     * restore then re-archive of a range keeps its bounds but writes a new file (and manifest): a
     * reader opened on the old one must not be kept for it (its manifest's blocks would not
     * describe the new file, and every read of the range would answer archive-unavailable).
     */
    boolean sameSegments(long[] otherFroms, long[] otherTos, String[] otherSha256s) {
        return Arrays.equals(froms, otherFroms)
                && Arrays.equals(tos, otherTos)
                && Arrays.equals(sha256s, otherSha256s);
    }

    /** Whether no range is archived: reads then go to PostgreSQL as they always did. */
    public boolean isEmpty() {
        return froms.length == 0;
    }

    ArchiveReader reader() {
        return reader;
    }

    long[] froms() {
        return froms;
    }

    long[] tos() {
        return tos;
    }

    /** The ranges as {@code [from, to)} pairs, ascending. */
    public List<long[]> ranges() {
        List<long[]> ranges = new ArrayList<>(froms.length);
        for (int i = 0; i < froms.length; i++) {
            ranges.add(new long[] {froms[i], tos[i]});
        }
        return ranges;
    }

    /** The index of the range holding {@code position}; -1 when none does. */
    int rangeIndex(long position) {
        int low = 0;
        int high = froms.length - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (position < froms[middle]) {
                high = middle - 1;
            } else if (position >= tos[middle]) {
                low = middle + 1;
            } else {
                return middle;
            }
        }
        return -1;
    }

    long from(int range) {
        return froms[range];
    }

    long to(int range) {
        return tos[range];
    }

    /** The archived range holding {@code position} as {@code [from, to)}; null when none does. */
    public long[] rangeHolding(long position) {
        int index = rangeIndex(position);
        return index < 0 ? null : new long[] {froms[index], tos[index]};
    }

    /** Whether {@code position} lies in an archived range. */
    public boolean archived(long position) {
        return rangeIndex(position) >= 0;
    }

    /** Whether some archived range holds a position in {@code [first, last]}. */
    public boolean overlaps(long first, long last) {
        if (first > last) {
            return false;
        }
        int index = rangeIndex(first);
        if (index >= 0) {
            return true;
        }
        long next = nextFrom(first);
        return next != Long.MAX_VALUE && next <= last;
    }

    /** The lowest first position of an archived range above {@code position}; MAX_VALUE if none. */
    private long nextFrom(long position) {
        int low = 0;
        int high = froms.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (froms[middle] <= position) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low < froms.length ? froms[low] : Long.MAX_VALUE;
    }

    /**
     * The region that starts at {@code after + 1} and ends at or before {@code last}: in the
     * archive up to its range's end, or in PostgreSQL up to the next archived range. Null when
     * {@code after >= last}.
     */
    public Region region(long after, long last) {
        if (after >= last) {
            return null;
        }
        long first = after + 1;
        int index = rangeIndex(first);
        if (index >= 0) {
            return new Region(true, first, Math.min(tos[index] - 1, last), index);
        }
        long next = nextFrom(first);
        return new Region(
                false, first, next == Long.MAX_VALUE ? last : Math.min(next - 1, last), -1);
    }

    /**
     * Positions {@code first…last} (inclusive), all in the archive or all in PostgreSQL.
     *
     * @param range the archived range's index, -1 for PostgreSQL
     */
    public record Region(boolean archived, long first, long last, int range) {}
}
