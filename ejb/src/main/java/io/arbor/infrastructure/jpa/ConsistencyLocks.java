package io.arbor.infrastructure.jpa;

import io.arbor.domain.LockKeys;
import io.arbor.domain.StreamId;
import io.arbor.domain.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The append conditions' locks: PostgreSQL transaction-level advisory locks on an append's {@link
 * LockKeys}, shared or exclusive, taken in one statement ({@code lock_append_keys}, changeset
 * {@code 2026-12-07-20}) in ascending key order and held until the transaction ends. The argument
 * that they make conditions hold is in docs/design.md ("Append conditions").
 *
 * <p>A key is the first 64 bits of SHA-256 over the tenant and the key's text, as PostgreSQL's
 * two-integer advisory key (the one-bigint keys are the global log's in-flight positions, {@link
 * GlobalLogSequencer}); the global log's own two-integer key, ('Arbo', 0), is never used. Two texts
 * whose hashes collide share one lock: their appends may wait for each other, never pass each
 * other.
 */
@ApplicationScoped
public class ConsistencyLocks {
    /** {@code reserve_global_positions}' critical section: ('Arbo', 0). */
    private static final long GLOBAL_LOG_KEY = 1098015343L << 32;

    @PersistenceContext(unitName = "arbor")
    private EntityManager em;

    @Inject TenantSetting tenantSetting;

    /** Takes the locks of {@code keys} for the current transaction; returns when all are held. */
    public void lock(Tenant tenant, LockKeys keys) {
        Map<Long, Boolean> ordered = new TreeMap<>();
        keys.keys()
                .forEach(
                        (text, exclusive) ->
                                ordered.merge(key(tenant, text), exclusive, Boolean::logicalOr));
        take(tenant, ordered);
    }

    /**
     * Takes the key of {@code stream}'s lifecycle for the current transaction: exclusive for a
     * change of its rules or its deletion, shared for a scavenge batch of it. So a batch's deletes
     * and a change that makes hidden events visible again never overlap: the change waits for the
     * batch to commit, and a batch that begins after the change sees it (docs/lifecycle.md). Its
     * own key ({@code lifecycle:S}): appends never take it.
     */
    public void lockLifecycle(Tenant tenant, StreamId stream, boolean exclusive) {
        take(tenant, Map.of(key(tenant, "lifecycle:" + stream.value()), exclusive));
    }

    /** Takes {@code ordered}'s keys (ascending) in one statement, each shared or exclusive. */
    private void take(Tenant tenant, Map<Long, Boolean> ordered) {
        if (ordered.isEmpty()) {
            return;
        }
        StringJoiner high = new StringJoiner(",", "{", "}");
        StringJoiner low = new StringJoiner(",", "{", "}");
        StringJoiner exclusive = new StringJoiner(",", "{", "}");
        ordered.forEach(
                (key, isExclusive) -> {
                    high.add(Integer.toString((int) (key >> 32)));
                    low.add(Integer.toString((int) (long) key));
                    exclusive.add(isExclusive ? "t" : "f");
                });
        tenantSetting.use(tenant);
        em.createNativeQuery(
                        "SELECT lock_append_keys(CAST(?1 AS integer[]), CAST(?2 AS integer[]),"
                                + " CAST(?3 AS boolean[]))")
                .setParameter(1, high.toString())
                .setParameter(2, low.toString())
                .setParameter(3, exclusive.toString())
                .getSingleResult();
    }

    /**
     * The advisory key of {@code text} in {@code tenant}'s store, as one signed 64-bit value whose
     * order is the locking order (high int, then low int, as PostgreSQL's pair).
     */
    static long key(Tenant tenant, String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(tenant.value().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(text.getBytes(StandardCharsets.UTF_8));
            long key = ByteBuffer.wrap(sha.digest()).getLong();
            return key == GLOBAL_LOG_KEY ? key + 1 : key;
        } catch (NoSuchAlgorithmException unavailable) {
            throw new IllegalStateException("SHA-256 is part of every JVM", unavailable);
        }
    }
}
