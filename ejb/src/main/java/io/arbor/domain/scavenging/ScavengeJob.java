package io.arbor.domain.scavenging;

import io.arbor.domain.Tenant;
import java.time.Instant;
import java.util.UUID;

/**
 * One scavenge of one tenant as its row stands: what it removed so far, counted by the transactions
 * that removed it (so the counts are exact after a crash and a resume).
 *
 * @param streamsRemaining streams with lifecycle rules the job has yet to walk; null once the job
 *     is finished
 * @param failure why a failed job stopped; null otherwise
 */
public record ScavengeJob(
        UUID jobId,
        Tenant tenant,
        ScavengeState state,
        Instant requestedAt,
        Instant startedAt,
        Instant finishedAt,
        long streamsScanned,
        Long streamsRemaining,
        long eventsRemoved,
        long snapshotsRemoved,
        long batches,
        String failure) {}
