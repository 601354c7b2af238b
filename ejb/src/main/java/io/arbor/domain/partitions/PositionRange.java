package io.arbor.domain.partitions;

/**
 * A range of global positions, {@code from} included, {@code to} excluded: the bounds of one
 * partition of the events table ({@code FOR VALUES FROM (from) TO (to)}).
 */
public record PositionRange(long from, long to) {
    public PositionRange {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("Not a position range: [" + from + ", " + to + ")");
        }
    }

    /** The partition's table name: {@code events_p<from>}. */
    public String partitionName() {
        return "events_p" + from;
    }

    public boolean contains(long position) {
        return from <= position && position < to;
    }
}
