package io.arbor.client;

import java.util.List;

/**
 * {@code GET /admin/archive}: every range of the global log and the archive's configuration.
 *
 * @param configured whether the server has an archive directory ({@code arbor.archive.dir})
 * @param dir the directory; null when not configured
 * @param graceSeconds the wait between archiving a range and dropping its partition
 */
public record ArchiveCatalogue(
        boolean configured, String dir, long graceSeconds, List<ArchiveRange> ranges) {

    public ArchiveCatalogue {
        ranges = List.copyOf(ranges);
    }
}
