package io.arbor.infrastructure.jpa;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * The global log's ordering, so that a reader paging through it never skips an event that commits
 * late. Appends do not wait for each other: {@link #reserve} hands out positions and publishes them
 * as in flight until the append's transaction ends, and {@link #horizon} tells readers how far the
 * log is complete, which is just below the lowest position still in flight. The work is two SQL
 * functions (changeset {@code 2026-11-25-50}); the argument is in docs/design.md ("The global log:
 * positions in commit order, without serializing commits").
 */
@ApplicationScoped
public class GlobalLogSequencer {
    @PersistenceContext(unitName = "arbor")
    private EntityManager em;

    /** Reserves {@code count} consecutive positions for the current transaction; the first. */
    public long reserve(int count) {
        Number first =
                (Number)
                        em.createNativeQuery("SELECT reserve_global_positions(?1)")
                                .setParameter(1, count)
                                .getSingleResult();
        return first.longValue();
    }

    /**
     * The position up to which the global log is complete: every position at or below it is
     * committed and visible to a statement that starts after this call, or was rolled back. A
     * reader reads only up to it, in a later statement (READ COMMITTED takes a snapshot per
     * statement).
     */
    public long horizon() {
        return ((Number) em.createNativeQuery("SELECT global_log_horizon()").getSingleResult())
                .longValue();
    }
}
