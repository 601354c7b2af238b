package io.arbor.domain.archive;

import io.arbor.domain.ArborException;

/** {@code arbor.archive.dir} is empty: the archive is off (409 {@code archive-not-configured}). */
public class ArchiveNotConfiguredException extends ArborException {
    public ArchiveNotConfiguredException() {
        super(
                "The archive is not configured: set arbor.archive.dir (docs/archive.md) to archive"
                        + " or restore ranges");
    }
}
