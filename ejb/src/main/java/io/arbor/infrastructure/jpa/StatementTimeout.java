package io.arbor.infrastructure.jpa;

import io.arbor.domain.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
    @Inject TenantSetting tenantSetting;

    @Inject
    @ConfigProperty(name = "arbor.statement-timeout-ms")
    long timeoutMillis;

    /**
     * Applies the timeout to the rest of the current transaction, which serves {@code tenant}: one
     * round trip with the tenant's row-level security setting ({@link TenantSetting#use(Tenant,
     * long)}), so it must come before the transaction's first statement.
     */
    public void applyToTransaction(Tenant tenant) {
        tenantSetting.use(tenant, timeoutMillis);
    }
}
