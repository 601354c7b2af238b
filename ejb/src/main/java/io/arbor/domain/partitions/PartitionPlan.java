package io.arbor.domain.partitions;

import java.util.ArrayList;
import java.util.List;

/**
 * Which range partitions of the events table to create next, from the ones that exist and the
 * highest position in use. Pure arithmetic; {@code EventPartitions} carries it out.
 *
 * <p>Partitions follow each other without gaps, each from where the last one ends. A new one ends
 * at the next multiple of the partition size above its start, so boundaries are multiples of the
 * size (the first one after the migrated partition, {@code events_p0}, may be shorter), and a size
 * changed later applies to new partitions only: the existing ones keep their bounds.
 *
 * <p>The plan covers every position in use (the highest handed out, or stored in the default
 * partition), and then leaves {@code ahead} partitions that start above it, empty, so appends keep
 * landing in a proper partition until the next check. Positions skipped by a jump of the sequence
 * (or a long time without maintenance) become one partition, from the last end to the boundary
 * below the highest position: never a flood of partitions, whatever the gap (pg_partman's issue
 * 649), so one check creates at most {@code ahead + 2}.
 */
public final class PartitionPlan {
    private PartitionPlan() {}

    /**
     * The partitions to create, in position order (none when the existing ones suffice).
     *
     * @param existing the range partitions, in position order, contiguous
     * @param highestInUse the highest position handed out or stored (0: none yet)
     * @param size positions per partition, at least 1
     * @param ahead how many empty partitions to keep above {@code highestInUse}, at least 1
     */
    public static List<PositionRange> next(
            List<PositionRange> existing, long highestInUse, long size, int ahead) {
        if (size < 1 || ahead < 1) {
            throw new IllegalArgumentException("size and ahead must be at least 1");
        }
        long end = existing.isEmpty() ? 0 : existing.get(existing.size() - 1).to();
        long emptyAhead = existing.stream().filter(range -> range.from() > highestInUse).count();
        List<PositionRange> plan = new ArrayList<>();
        long below = boundaryAtOrBelow(highestInUse, size);
        if (end < below) {
            // the gap up to the boundary below the highest position: one partition
            plan.add(new PositionRange(end, below));
            end = below;
        }
        while (end <= highestInUse || emptyAhead < ahead) {
            PositionRange range = new PositionRange(end, boundaryAbove(end, size));
            plan.add(range);
            if (range.from() > highestInUse) {
                emptyAhead++;
            }
            end = range.to();
        }
        return plan;
    }

    /** The first multiple of {@code size} above {@code position}. */
    static long boundaryAbove(long position, long size) {
        return Math.addExact(boundaryAtOrBelow(position, size), size);
    }

    /** The last multiple of {@code size} at or below {@code position}. */
    static long boundaryAtOrBelow(long position, long size) {
        return position / size * size;
    }
}
