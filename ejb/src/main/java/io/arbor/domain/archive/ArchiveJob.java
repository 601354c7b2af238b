package io.arbor.domain.archive;

import java.time.Instant;
import java.util.UUID;

/**
 * One archiver run asked for through {@code /admin/archive} (table {@code archive_jobs}).
 *
 * @param kind {@code archive} or {@code restore}
 * @param state {@code running}, {@code done} or {@code failed}
 * @param position an archive's {@code belowPosition} (null: by age), a restore's {@code from}
 * @param archived ranges it archived (attached → archived)
 * @param detached ranges whose partitions it dropped (archived → detached)
 * @param restored ranges it attached again
 * @param skipped ranges it left as they were (not hashed, locked, or just restored)
 * @param events the events it wrote to segments or back into PostgreSQL
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
        String failure) {}
