package io.arbor.domain.archive;

import io.arbor.domain.ArborException;
import java.util.UUID;

/** No archiver job has this id (404 {@code archive-job-not-found}). */
public class ArchiveJobNotFoundException extends ArborException {
    public ArchiveJobNotFoundException(UUID jobId) {
        super("Archive job " + jobId + " does not exist");
    }
}
