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
     * The hash of {@code version} of the tenant's {@code stream}, which the key table says only the
     * archive holds; null when the archive holds it unhashed (the record then has no seed, and an
     * import refuses to start the stream there, as for a version gone without an anchor).
     *
     * @throws IllegalStateException when no directory was given, it cannot be read, or it does not
     *     hold the version (a damaged or foreign archive): an export must not write a record whose
     *     seed it could not read
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
            ArchivedEvent event =
                    reader.readStream(tenant, stream, version, 1).stream()
                            .filter(held -> held.version() == version)
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new IllegalStateException(
                                                    "the archive does not hold it, though the"
                                                            + " key table says only the archive"
                                                            + " does"));
            return event.hash() == null ? null : EventHash.fromHex(event.hash());
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
