package io.arbor.infrastructure.jpa;

import io.arbor.domain.Tenant;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.Objects;

/**
 * Which rows PostgreSQL's row-level security lets the current JTA transaction see (changeset {@code
 * 2026-12-06-05}, docs/security.md): one tenant's, or, for store-wide readers, every tenant's for
 * reading only. Every class that reads or writes tenant rows calls {@link #use} before each
 * statement; the setting is made once per transaction, before its first statement, with {@code
 * set_config(…, true)}: local to the transaction, so a pooled connection never carries one tenant's
 * setting into the next transaction (whoever it serves). Every statement of a transaction runs on
 * the EntityManager's connection (plain JDBC too: {@link ReadProbe} and {@link EventRows#insert}
 * borrow it), which reads in a transaction use ({@code eclipselink.transaction.join-existing}), so
 * one setting covers them all. A second connection in the same transaction would not have it (and,
 * with the pool at its bound, would wait for one that the transaction itself holds: found by the
 * pool hammer test).
 *
 * <p>A transaction serves one tenant: asking for another one in the same transaction is a bug, and
 * throws. So does a statement outside a transaction, which no setting could reach.
 */
@ApplicationScoped
public class TenantSetting {
    /** The key of the transaction's setting in the synchronization registry. */
    private static final String KEY = TenantSetting.class.getName();

    /** The setting of a store-wide reader; no tenant can be called this (it has a dot). */
    private static final String STORE_SCOPE = "store.scope";

    @Resource TransactionSynchronizationRegistry transactions;

    @PersistenceContext(unitName = "arbor")
    private EntityManager em;

    /** The current transaction sees and writes {@code tenant}'s rows only. */
    public void use(Tenant tenant) {
        set(tenant.value(), "arbor.tenant", tenant.value(), null);
    }

    /**
     * As {@link #use(Tenant)}, and every statement of the current transaction is bounded by {@code
     * statementTimeoutMillis} (PostgreSQL's {@code statement_timeout}, local to the transaction):
     * both settings in the transaction's first round trip, where an append would otherwise spend
     * one on each. Must come before the transaction's first statement.
     */
    public void use(Tenant tenant, long statementTimeoutMillis) {
        set(tenant.value(), "arbor.tenant", tenant.value(), statementTimeoutMillis + "ms");
    }

    /**
     * The current transaction reads every tenant's rows and can change none (the policy {@code
     * store_scope_reads} allows SELECT only). For the work that is store-wide by nature: the live
     * subscriptions' log tailer, which reads the log once for every subscriber of the instance and
     * gives each only its own tenant's events; and the scavenger's look for tenants with lifecycle
     * rules and for the jobs it may claim (ScavengeRows). Nothing else uses it.
     */
    public void readAcrossTenants() {
        set(STORE_SCOPE, "arbor.scope", "store", null);
    }

    /**
     * Makes the transaction's setting once, in its first statement, with {@code statementTimeout}
     * (null: none) in the same round trip; a later call for the same setting does nothing.
     */
    private void set(String setting, String name, String value, String statementTimeout) {
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            throw new IllegalStateException(
                    "Tenant rows are read and written in a transaction only (row-level security"
                            + " is set per transaction)");
        }
        Object current = transactions.getResource(KEY);
        if (current != null) {
            if (statementTimeout != null) {
                throw new IllegalStateException(
                        "The statement timeout is set with the tenant, before the transaction's"
                                + " first statement");
            }
            if (!Objects.equals(current, setting)) {
                throw new IllegalStateException(
                        "A transaction serves one tenant: it is set to "
                                + current
                                + ", not "
                                + setting);
            }
            return;
        }
        Query first =
                em.createNativeQuery(
                                "SELECT set_config(?1, ?2, true)"
                                        + (statementTimeout == null
                                                ? ""
                                                : ", set_config('statement_timeout', ?3, true)"))
                        .setParameter(1, name)
                        .setParameter(2, value);
        if (statementTimeout != null) {
            first.setParameter(3, statementTimeout);
        }
        first.getSingleResult();
        transactions.putResource(KEY, setting);
    }
}
