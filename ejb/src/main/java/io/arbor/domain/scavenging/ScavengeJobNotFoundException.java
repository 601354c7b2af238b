package io.arbor.domain.scavenging;

import io.arbor.domain.ArborException;
import java.util.UUID;

/** The caller's tenant has no scavenge job with this id (another tenant's is not shown). */
public class ScavengeJobNotFoundException extends ArborException {
    public ScavengeJobNotFoundException(UUID jobId) {
        super("Scavenge job " + jobId + " does not exist");
    }
}
