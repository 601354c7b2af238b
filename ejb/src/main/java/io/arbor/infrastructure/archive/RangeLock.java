package io.arbor.infrastructure.archive;

/**
 * The advisory lock of one range of the global log (a range partition, named by its first
 * position), between the archiver and scavenging (second review of issue 20, #1 and #2): the
 * archiver holds it exclusively (transaction-scoped) while it writes the range's segment and marks
 * the range archived, and while it counts the range's rows before dropping its partition; a
 * scavenge batch takes it shared for each range holding an event it is about to delete, in the
 * batch's transaction. So a delete and the archiver never overlap on one range: the segment holds
 * exactly the rows PostgreSQL keeps, and a delete that waited sees the range archived (its
 * statement's snapshot is taken after the wait) and keeps the rows. No table is locked: reads,
 * appends and scavenging of other ranges go on. Waits are bounded by each side's {@code
 * lock_timeout}.
 *
 * <p>The two-key form, with {@link #CLASS} as the first key, so as not to meet the one-key locks
 * Arbor takes on positions; a range's second key is its first position modulo {@code 2^31 - 1} (two
 * ranges sharing a key wait for each other, nothing worse). The append conditions' locks ({@code
 * lock_append_keys}) share the two-key space with keys from SHA-256: one meeting a range's key
 * (odds about 2^-64 a pair) would only wait for it.
 */
public final class RangeLock {
    /** The first key of every range lock: "ARCH". */
    public static final int CLASS = 0x41524348;

    private RangeLock() {}

    /** SQL taking the range's lock exclusively, for the transaction: one bigint parameter. */
    static final String EXCLUSIVE = "SELECT " + call("pg_advisory_xact_lock", "?::bigint");

    /**
     * A SQL expression taking the shared lock of the range starting at {@code fromColumn} (an
     * expression of the first position), for the transaction.
     */
    public static String shared(String fromColumn) {
        return call("pg_advisory_xact_lock_shared", fromColumn);
    }

    /** {@code function} on the range's two keys, the range given by its first position. */
    private static String call(String function, String from) {
        return function + "(" + CLASS + ", (" + from + " % 2147483647)::int)";
    }
}
