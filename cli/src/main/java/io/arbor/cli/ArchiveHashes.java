package io.arbor.cli;

import io.arbor.archive.ArchiveReader;
import io.arbor.archive.ArchivedEvent;
import io.arbor.spi.EventHash;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The hash of an event that only the archive holds (its range detached: docs/archive.md), read from
 * its segment in the archive directory given with {@code --archive-dir} or {@code
 * $ARBOR_ARCHIVE_DIR} (the server's {@code arbor.archive.dir}), as {@code arbor verify} reads an
 * archived head's hash. The reader is opened once, when a hash is first needed.
 */
final class ArchiveHashes {
    private final Path directory;
    private ArchiveReader reader;

    /**
     * @param directory the archive directory; null when none was given
     */
    ArchiveHashes(Path directory) {
        this.directory = directory;
    }

    /**
     * The hash of {@code version} of the tenant's {@code stream}; null when the archive holds it
     * unhashed or not at all (the record then has no seed, and an import refuses to start the
     * stream there, as for a version gone without an anchor).
     *
     * @throws IllegalStateException when no directory was given, or it cannot be read: an export
     *     must not write a record whose seed it could not read
     */
    byte[] hash(String tenant, String stream, long version) {
        if (directory == null) {
            throw new IllegalStateException(
                    "stream "
                            + stream
                            + ": version "
                            + version
                            + ", whose hash seeds its lifecycle record, is held by the archive"
                            + " alone: give --archive-dir (or set $ARBOR_ARCHIVE_DIR)");
        }
        try {
            if (reader == null) {
                reader = ArchiveReader.open(directory);
            }
            return reader.readStream(tenant, stream, version, 1).stream()
                    .filter(event -> event.version() == version)
                    .findFirst()
                    .map(ArchivedEvent::hash)
                    .map(EventHash::fromHex)
                    .orElse(null);
        } catch (IOException | RuntimeException unreadable) {
            throw new IllegalStateException(
                    "stream "
                            + stream
                            + ": version "
                            + version
                            + " cannot be read from the archive "
                            + directory
                            + ": "
                            + unreadable.getMessage(),
                    unreadable);
        }
    }
}
