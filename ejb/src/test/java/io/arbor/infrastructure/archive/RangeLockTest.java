package io.arbor.infrastructure.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The range lock's SQL: the same two keys for the archiver (exclusive) and scavenging (shared). */
class RangeLockTest {
    @Test
    void bothSidesLockTheSameTwoKeys() {
        assertEquals(
                "SELECT pg_advisory_xact_lock(1095910216, (?::bigint % 2147483647)::int)",
                RangeLock.EXCLUSIVE);
        assertEquals(
                "pg_advisory_xact_lock_shared(1095910216, (p.from_position % 2147483647)::int)",
                RangeLock.shared("p.from_position"));
    }
}
