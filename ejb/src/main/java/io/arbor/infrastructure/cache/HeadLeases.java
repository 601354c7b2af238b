package io.arbor.infrastructure.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The protocol that lets the data grid vouch for a committed head (a stream's version, the schema
 * registry's generation) without asking PostgreSQL, over two maps of the grid:
 *
 * <ul>
 *   <li>{@code heads}: key → {@code "version:stamp"}, the highest head reported committed ({@code
 *       -1} when unknown) and a random stamp that changes whenever a write begins or a head is
 *       given up. Bounded; an evicted head is only absent.
 *   <li>{@code leases}: key → the writes of that key in flight, each a token with a deadline.
 * </ul>
 *
 * <p>A writer takes a lease and stamps the head before its transaction begins; after the commit it
 * raises the head to what it committed, then gives the lease back. A write that failed gives the
 * head up (unknown, new stamp: its commit may have happened) and then the lease. A head is trusted
 * only when known and its key has no lease: a writer killed between its commit and its report holds
 * its lease until the deadline, and the first reader after the deadline gives the head up before
 * removing the lease. Heads only rise, and a writer only raises a head that is known: an absent or
 * unknown one may be older than a commit nobody reported, so only a reader's offer fills it.
 *
 * <p>A reader looks the head up before the leases, and an absent head gets a placeholder first. A
 * reader that found the head untrusted with no lease may offer what it read from PostgreSQL, as a
 * compare-and-set against the very entry it saw: any write that began since changed the stamp, and
 * an eviction or a clear removed the entry, so an offer read before a commit can never be kept
 * after it. An offer past half a lease after its look-up is dropped as well.
 *
 * <p>Deadlines are wall-clock time: instances on several machines need clocks in step to well
 * within the lease's margin (the lease is the append's transaction timeout plus a margin, and no
 * commit is attempted past the transaction timeout).
 *
 * <p>Pure logic over {@link Entries}, so a unit test drives it over a map; {@link CommittedHeads}
 * runs it over JCache.
 */
public final class HeadLeases {
    /** The atomic operations of a JCache the protocol needs. */
    interface Entries {
        String get(String key);

        boolean putIfAbsent(String key, String value);

        boolean replace(String key, String expected, String value);

        boolean remove(String key, String expected);
    }

    /** A write in flight on {@code key}, until {@code deadlineMillis}. */
    public record Lease(String key, long token, long deadlineMillis) {
        String entry() {
            return token + ":" + deadlineMillis;
        }
    }

    /**
     * What the grid said of {@code key}: its {@code head} (-1 when unknown), whether a write of it
     * is in flight (or a lease was found expired: then no offer either), the head entry as seen and
     * when (for {@link #offer}).
     */
    public record Lookup(
            String key, long head, boolean writeInFlight, String seen, long lookedUpAtMillis) {
        /** The head may be served as the key's committed head. */
        public boolean trusted() {
            return head >= 0 && !writeInFlight;
        }
    }

    private final Entries heads;
    private final Entries leases;
    private final long leaseMillis;
    private final LongSupplier clock;

    HeadLeases(Entries heads, Entries leases, long leaseMillis, LongSupplier clock) {
        this.heads = heads;
        this.leases = leases;
        this.leaseMillis = leaseMillis;
        this.clock = clock;
    }

    /** Takes a lease of the default length on {@code key}; see {@link #open(String, long)}. */
    Lease open(String key) {
        return open(key, leaseMillis);
    }

    /**
     * Takes a lease on {@code key} for {@code millis} (the default or longer: the default bounds
     * how late an offer may come) and stamps its head: no offer read before this is kept.
     */
    Lease open(String key, long millis) {
        Lease lease =
                new Lease(key, ThreadLocalRandom.current().nextLong(), clock.getAsLong() + millis);
        update(
                leases,
                key,
                current -> current == null ? lease.entry() : current + "," + lease.entry());
        update(heads, key, current -> current == null ? head(-1) : head(version(current)));
        return lease;
    }

    /**
     * After the lease's transaction committed {@code head}: raises the head, then gives the lease
     * back. Past the deadline it gives the head up instead: a reader may have cleared the expired
     * lease and filled the head from the database before this commit.
     */
    boolean committed(Lease lease, long head) {
        boolean inTime = clock.getAsLong() < lease.deadlineMillis();
        if (inTime) {
            raise(lease.key(), head);
        } else {
            giveUp(lease.key());
        }
        release(lease);
        return inTime;
    }

    /**
     * After the lease's transaction failed: its outcome may be a commit, so the head is given up.
     */
    void failed(Lease lease) {
        giveUp(lease.key());
        release(lease);
    }

    /** After the lease's transaction wrote nothing (a replay): gives the lease back. */
    void release(Lease lease) {
        String mine = lease.entry();
        update(
                leases,
                lease.key(),
                current -> {
                    if (current == null || !tokens(current).contains(mine)) {
                        return current; // expired and cleared by a reader
                    }
                    List<String> others = new ArrayList<>(tokens(current));
                    others.remove(mine);
                    return others.isEmpty() ? null : String.join(",", others);
                });
    }

    /**
     * The grid's word on {@code key}: the head first, then the leases (in that order: a write that
     * begins after the head was read changes its stamp, one that began before is seen in the
     * leases). An absent head gets a placeholder (unknown, new stamp) for a reader's offer to
     * replace, so an eviction or a clear meanwhile makes the offer fail. An expired lease (its
     * writer died or stalled past the deadline, perhaps after committing) gives the head up, goes,
     * and allows no offer this time.
     */
    Lookup lookup(String key) {
        long now = clock.getAsLong();
        String head = heads.get(key);
        if (head == null) {
            String placeholder = head(-1);
            head = heads.putIfAbsent(key, placeholder) ? placeholder : heads.get(key);
            if (head == null) {
                return new Lookup(key, -1, true, null, now);
            }
        }
        String current = leases.get(key);
        boolean inFlight = false;
        if (current != null) {
            List<String> entries = tokens(current);
            List<String> live = new ArrayList<>();
            for (String entry : entries) {
                if (Long.parseLong(entry.substring(entry.indexOf(':') + 1)) > now) {
                    live.add(entry);
                }
            }
            if (live.size() < entries.size()) {
                giveUp(key);
                if (live.isEmpty()) {
                    leases.remove(key, current);
                } else {
                    leases.replace(key, current, String.join(",", live));
                }
                return new Lookup(key, -1, true, null, now);
            }
            inFlight = !live.isEmpty();
        }
        return new Lookup(key, version(head), inFlight, head, now);
    }

    /**
     * A reader's head, read from PostgreSQL after {@code before} found the key untrusted: kept only
     * if no write was in flight then, the head entry is still the very one seen, and the offer
     * comes within half a lease of the look-up.
     */
    boolean offer(Lookup before, long head) {
        if (before.writeInFlight()
                || before.seen() == null
                || before.head() >= head
                || clock.getAsLong() - before.lookedUpAtMillis() > leaseMillis / 2) {
            return false;
        }
        return heads.replace(before.key(), before.seen(), head + ":" + stamp(before.seen()));
    }

    /**
     * Raises a known head to {@code head}, keeping its stamp. An absent or unknown one stays so: it
     * may be older than a commit whose writer could not report it (a readers' offer fills it).
     */
    private void raise(String key, long head) {
        update(
                heads,
                key,
                current ->
                        current == null || version(current) < 0 || version(current) >= head
                                ? current
                                : head + ":" + stamp(current));
    }

    /** Makes the head unknown, with a new stamp, so no offer read before this is kept. */
    private void giveUp(String key) {
        update(heads, key, current -> head(-1));
    }

    /**
     * Sets the entry of {@code key} to {@code change} of what it holds ({@code null}: absent), as a
     * compare-and-set retried until no one else changed it between: {@code null} out removes it,
     * the same value out leaves it alone.
     */
    private static void update(Entries entries, String key, UnaryOperator<String> change) {
        while (true) {
            String current = entries.get(key);
            String next = change.apply(current);
            if (Objects.equals(next, current)
                    || (current == null
                            ? entries.putIfAbsent(key, next)
                            : next == null
                                    ? entries.remove(key, current)
                                    : entries.replace(key, current, next))) {
                return;
            }
        }
    }

    /** The lease entries ({@code token:deadline}) of a leases value. */
    private static List<String> tokens(String leasesValue) {
        return List.of(leasesValue.split(","));
    }

    /** A head entry of {@code version} with a new stamp. */
    private static String head(long version) {
        return version + ":" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    private static long version(String entry) {
        return Long.parseLong(entry.substring(0, entry.indexOf(':')));
    }

    private static String stamp(String entry) {
        return entry.substring(entry.indexOf(':') + 1);
    }
}
