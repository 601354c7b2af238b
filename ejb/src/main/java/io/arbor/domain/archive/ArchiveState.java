package io.arbor.domain.archive;

import java.util.Locale;

/**
 * Where a range partition's events are (changeset 2026-12-10-01, {@code event_partitions.state}).
 */
public enum ArchiveState {
    /** The rows are in PostgreSQL only. */
    ATTACHED,
    /**
     * A committed, verified segment holds the range and the rows are still in PostgreSQL; readers
     * read the range from the archive.
     */
    ARCHIVED,
    /** The partition was detached and dropped: the archive alone holds the range. */
    DETACHED;

    /**
     * As the catalogue and the API spell it: {@code attached}, {@code archived}, {@code detached}.
     */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ArchiveState of(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
