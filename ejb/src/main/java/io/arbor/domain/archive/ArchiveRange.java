package io.arbor.domain.archive;

import java.time.Instant;

/**
 * One range partition of the events table as the catalogue ({@code event_partitions}) holds it.
 *
 * @param from the first position of the range
 * @param to one past its last position
 * @param state where its events are
 * @param stateChangedAt when the state last changed (the archiver's grace counts from it)
 * @param events the segment's events; null while attached
 * @param bytes the segment's data file size; null while attached
 * @param sha256 the segment's data file SHA-256; null while attached
 * @param maxRecordedAt the newest event's time once the range is sealed; null before (or empty)
 */
public record ArchiveRange(
        long from,
        long to,
        ArchiveState state,
        Instant stateChangedAt,
        Long events,
        Long bytes,
        String sha256,
        Instant maxRecordedAt) {}
