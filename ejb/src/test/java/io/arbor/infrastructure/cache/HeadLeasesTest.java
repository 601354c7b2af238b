package io.arbor.infrastructure.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.infrastructure.cache.HeadLeases.Lease;
import io.arbor.infrastructure.cache.HeadLeases.Lookup;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The committed-heads protocol over maps with JCache's atomic semantics: every case is a history in
 * which the database's head (here {@code committed}) and what a reader would be served must agree,
 * or the reader must be sent to the database.
 */
class HeadLeasesTest {
    private static final long LEASE = 30_000;
    private static final String KEY = "db s orders-1";

    private final Map heads = new Map();
    private final Map leases = new Map();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final HeadLeases protocol = new HeadLeases(heads, leases, LEASE, now::get);

    /** What a reader is served: the trusted head, or what the database says (then offered). */
    private long read(long committed) {
        Lookup seen = protocol.lookup(KEY);
        if (seen.trusted()) {
            return seen.head();
        }
        protocol.offer(seen, committed);
        return committed;
    }

    @Test
    void aReportedCommitIsTrustedWithoutTheDatabase() {
        assertEquals(1, read(1)); // fills from the database
        Lease lease = protocol.open(KEY);
        assertFalse(protocol.lookup(KEY).trusted(), "a write in flight");
        assertTrue(protocol.committed(lease, 2));
        Lookup after = protocol.lookup(KEY);
        assertTrue(after.trusted());
        assertEquals(2, after.head());
    }

    @Test
    void theFirstWriteOfAStreamLeavesItsHeadToTheFirstReader() {
        protocol.committed(protocol.open(KEY), 1);
        assertFalse(protocol.lookup(KEY).trusted(), "unknown: nothing vouched for it before");
        assertEquals(1, read(1));
        assertTrue(protocol.lookup(KEY).trusted());
    }

    @Test
    void aWriterKilledAfterItsCommitKeepsReadersOnTheDatabaseAndItsExpiryGivesTheHeadUp() {
        read(5);
        protocol.open(KEY); // commits 6, then its server dies: no report, no release
        long committed = 6;
        assertFalse(protocol.lookup(KEY).trusted());
        assertEquals(6, read(committed));
        now.addAndGet(LEASE + 1);
        assertFalse(protocol.lookup(KEY).trusted(), "the expired lease gave the head up");
        assertEquals(6, read(committed));
        assertEquals(6, protocol.lookup(KEY).head());
        assertTrue(protocol.lookup(KEY).trusted());
    }

    @Test
    void anOfferReadBeforeAWriteBeganIsNeverKeptAfterIt() {
        read(5);
        Lease failing = protocol.open(KEY);
        protocol.failed(failing); // head given up: unknown
        Lookup before = protocol.lookup(KEY); // a reader sees it untrusted, reads 5 ...
        Lease lease = protocol.open(KEY); // ... a write begins, commits 6 ...
        protocol.committed(lease, 6);
        assertFalse(protocol.offer(before, 5), "the write changed the stamp");
        assertFalse(protocol.lookup(KEY).trusted());
        assertEquals(6, read(6));
    }

    @Test
    void anOfferReadBeforeAKilledWritersCommitIsRefusedAndItsLeaseHoldsReadersOff() {
        Lookup before = protocol.lookup(KEY); // absent: a placeholder; the reader reads 5
        protocol.open(KEY); // commits 6 and dies
        assertFalse(protocol.offer(before, 5), "the write re-stamped the placeholder");
        assertFalse(protocol.lookup(KEY).trusted(), "its lease holds readers off");
        now.addAndGet(LEASE + 1);
        assertFalse(protocol.lookup(KEY).trusted(), "and its expiry gives the head up");
        assertEquals(6, read(6));
    }

    /** The review's first history: the lease is read after the head, so it cannot be missed. */
    @Test
    void aWriteThatBeginsDuringALookUpIsSeen() {
        read(5);
        protocol.failed(protocol.open(KEY)); // the head is unknown
        // A writer opens between a reader's two reads: with the head read first, the reader sees
        // the old stamp and then the lease (or, had it read later, the new stamp).
        Lease lease = protocol.open(KEY);
        Lookup during = protocol.lookup(KEY);
        assertTrue(during.writeInFlight());
        protocol.committed(lease, 6);
        assertFalse(protocol.offer(during, 5));
        assertEquals(6, read(6));
    }

    /** The review's second history: an offer into an entry evicted or cleared meanwhile fails. */
    @Test
    void anOfferNeverLandsInAnEntryEvictedAfterItsLookUp() {
        Lookup before = protocol.lookup(KEY); // the reader reads 5 ...
        Lease lease = protocol.open(KEY); // ... a write commits 6 and answers ...
        protocol.committed(lease, 6);
        heads.clear(); // ... and the entry is evicted (or an instance starts)
        assertFalse(protocol.offer(before, 5));
        assertFalse(protocol.lookup(KEY).trusted());
        assertEquals(6, read(6));
    }

    @Test
    void aLookUpThatFindsAnExpiredLeaseAllowsNoOffer() {
        read(5);
        protocol.open(KEY); // dies
        now.addAndGet(LEASE + 1);
        Lookup expired = protocol.lookup(KEY);
        assertFalse(expired.trusted());
        assertFalse(protocol.offer(expired, 5), "its reads of head and lease predate the cleanup");
        assertEquals(6, read(6));
    }

    @Test
    void aLateOfferIsDropped() {
        Lookup before = protocol.lookup(KEY);
        now.addAndGet(LEASE / 2 + 1);
        assertFalse(protocol.offer(before, 5));
        assertFalse(protocol.lookup(KEY).trusted());
    }

    @Test
    void aFailedWriteMayHaveCommittedSoItsHeadIsGivenUp() {
        read(5);
        protocol.failed(protocol.open(KEY)); // the commit's connection died: 6 or not
        assertFalse(protocol.lookup(KEY).trusted());
        assertEquals(6, read(6));
    }

    @Test
    void aReportAfterTheDeadlineGivesTheHeadUpInsteadOfRaisingIt() {
        read(5);
        Lease stalled = protocol.open(KEY);
        now.addAndGet(LEASE + 1);
        assertEquals(5, read(5)); // the lease expired and was cleared
        assertEquals(5, read(5)); // a reader filled 5 from the database
        assertFalse(protocol.committed(stalled, 6)); // the stalled writer commits 6 late
        assertFalse(protocol.lookup(KEY).trusted());
    }

    @Test
    void concurrentWritersLeaveTheHighestHeadOnceBothAreDone() {
        read(5);
        Lease first = protocol.open(KEY);
        Lease second = protocol.open(KEY);
        protocol.committed(second, 7);
        assertFalse(protocol.lookup(KEY).trusted(), "the first is still in flight");
        protocol.committed(first, 6);
        Lookup done = protocol.lookup(KEY);
        assertTrue(done.trusted());
        assertEquals(7, done.head());
    }

    @Test
    void aReplayReleasesItsLeaseAndKeepsTheHead() {
        read(5);
        protocol.release(protocol.open(KEY));
        assertTrue(protocol.lookup(KEY).trusted());
        assertEquals(5, protocol.lookup(KEY).head());
    }

    /** A map with JCache's conditional operations. */
    private static final class Map implements HeadLeases.Entries {
        private final ConcurrentHashMap<String, String> entries = new ConcurrentHashMap<>();

        @Override
        public String get(String key) {
            return entries.get(key);
        }

        @Override
        public boolean putIfAbsent(String key, String value) {
            return entries.putIfAbsent(key, value) == null;
        }

        @Override
        public boolean replace(String key, String expected, String value) {
            return entries.replace(key, expected, value);
        }

        @Override
        public boolean remove(String key, String expected) {
            return entries.remove(key, expected);
        }

        void clear() {
            entries.clear();
        }
    }
}
