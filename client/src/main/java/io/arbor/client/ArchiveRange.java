package io.arbor.client;

import java.time.Instant;

/**
 * One range of the global log, positions {@code [from, to)}, as the archive catalogue lists it.
 *
 * @param state {@code attached} (PostgreSQL only), {@code archived} (a segment and PostgreSQL) or
 *     {@code detached} (the archive alone)
 * @param events the segment's events; null while attached
 * @param bytes the segment's data file size; null while attached
 * @param sha256 the segment's data file SHA-256; null while attached
 * @param maxRecordedAt the newest event's time once the range is sealed; null before
 */
public record ArchiveRange(
        long from,
        long to,
        String state,
        Instant stateChangedAt,
        Long events,
        Long bytes,
        String sha256,
        Instant maxRecordedAt) {}
