package io.arbor.client;

import java.time.Instant;
import java.util.UUID;

/**
 * An archiver run or a restore (docs/archive.md, "The archiver").
 *
 * @param kind {@code archive} or {@code restore}
 * @param state {@code running}, {@code done} or {@code failed}
 * @param position an archive's {@code belowPosition} (null: by age), a restore's {@code from}
 * @param finishedAt null while running
 * @param archived ranges archived
 * @param detached ranges whose partitions were dropped
 * @param restored ranges attached again
 * @param skipped ranges left as they were (see the server log)
 * @param events events written to segments or put back
 * @param failure why a failed job stopped; null otherwise
 */
public record ArchiveJob(
        UUID jobId,
        String kind,
        String state,
        Long position,
        Instant requestedAt,
        Instant finishedAt,
        int archived,
        int detached,
        int restored,
        int skipped,
        long events,
        String failure) {

    /** Whether the job ended, done or failed. */
    public boolean finished() {
        return !state.equals("running");
    }
}
