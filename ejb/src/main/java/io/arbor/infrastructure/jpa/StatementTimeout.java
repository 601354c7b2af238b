package io.arbor.infrastructure.jpa;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bounds every statement of the current transaction by {@code arbor.statement-timeout-ms}: a
 * statement stuck behind a lock, or on an overloaded database, is cancelled by PostgreSQL (SQLState
 * 57014, translated to a timeout by {@link PersistenceFailures}) and the transaction rolls back.
 * The JTA transaction timeout cannot do this alone: it only marks the transaction for rollback, and
 * a statement that never returns would still hold its thread and connection.
 */
@ApplicationScoped
public class StatementTimeout {
    @PersistenceContext(unitName = "arbor")
    private EntityManager em;

    @Inject
    @ConfigProperty(name = "arbor.statement-timeout-ms")
    long timeoutMillis;

    /** Applies the timeout to the rest of the current transaction ({@code SET LOCAL}). */
    public void applyToTransaction() {
        em.createNativeQuery("SELECT set_config('statement_timeout', ?1, true)")
                .setParameter(1, timeoutMillis + "ms")
                .getSingleResult();
    }
}
