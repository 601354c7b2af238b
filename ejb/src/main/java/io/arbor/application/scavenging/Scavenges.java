package io.arbor.application.scavenging;

import io.arbor.application.TransactionEnd;
import io.arbor.domain.Tenant;
import io.arbor.domain.scavenging.ScavengeJob;
import io.arbor.domain.scavenging.ScavengeJobNotFoundException;
import io.arbor.infrastructure.jpa.ScavengeRows;
import io.arbor.infrastructure.jpa.TranslatesStoreFailures;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;

/**
 * Scavenging's use cases for an administrator (api.md, "Stream lifecycle"): request a job for the
 * caller's tenant, see one, list the latest. The {@link Scavenger} runs the jobs.
 */
@Stateless
@TranslatesStoreFailures
public class Scavenges {
    @Inject ScavengeRows rows;
    @Inject Scavenger scavenger;
    @Inject TransactionEnd transactionEnd;

    /** Whether {@link #request} queued a new job or found the tenant's unfinished one. */
    public record Requested(boolean created, ScavengeJob job) {}

    /**
     * Queues a job for the tenant, or answers the tenant's queued or running job if it has one. The
     * job starts on this instance right after the request commits.
     */
    public Requested request(Tenant tenant) {
        UUID jobId = UUID.randomUUID();
        ScavengeJob job = rows.requestOrFindUnfinished(tenant, jobId);
        // after the commit, or the poll it starts would not see the job yet
        transactionEnd.afterCommit(scavenger::wake);
        return new Requested(job.jobId().equals(jobId), job);
    }

    /** The tenant's job with this id. */
    public ScavengeJob job(Tenant tenant, UUID jobId) {
        return rows.find(tenant, jobId).orElseThrow(() -> new ScavengeJobNotFoundException(jobId));
    }

    /** The tenant's latest {@code limit} jobs, latest first. */
    public List<ScavengeJob> recent(Tenant tenant, int limit) {
        return rows.recent(tenant, limit);
    }
}
