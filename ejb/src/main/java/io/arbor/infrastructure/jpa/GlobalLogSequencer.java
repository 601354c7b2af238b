package io.arbor.infrastructure.jpa;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Hands out global positions in commit order, so that a reader paging through the global log never
 * skips an event that commits late. The work is the SQL function {@code reserve_global_positions}
 * (see its changeset): it takes a transaction-scoped advisory lock that is held until commit, so
 * appends serialize only from this call to their commit. Call it as the last step before the events
 * are inserted, after the stream row is written, to keep that window short.
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
}
