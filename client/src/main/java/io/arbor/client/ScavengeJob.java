package io.arbor.client;

import java.time.Instant;
import java.util.UUID;

/**
 * A scavenge job of the caller's tenant (docs/lifecycle.md, "Scavenging"): what it removed so far,
 * counted by the transactions that removed it.
 *
 * @param state {@code queued}, {@code running}, {@code done} or {@code failed}
 * @param startedAt null while queued
 * @param finishedAt null until done or failed
 * @param streamsRemaining streams with lifecycle rules still to walk; null once the job ended
 * @param failure why a failed job stopped; null otherwise
 */
public record ScavengeJob(
        UUID jobId,
        String state,
        Instant requestedAt,
        Instant startedAt,
        Instant finishedAt,
        long streamsScanned,
        Long streamsRemaining,
        long eventsRemoved,
        long snapshotsRemoved,
        long batches,
        String failure) {

    /** Whether the job ended, done or failed. */
    public boolean finished() {
        return state.equals("done") || state.equals("failed");
    }
}
