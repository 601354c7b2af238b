package io.arbor.infrastructure.jpa;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.domain.StoreUnavailableException;
import jakarta.ejb.EJBException;
import jakarta.transaction.SystemException;
import java.sql.SQLException;
import javax.transaction.xa.XAException;
import org.junit.jupiter.api.Test;

class PersistenceFailuresTest {
    @Test
    void aCommitTheTransactionManagerCouldNotCompleteIsUnavailable() {
        // As the fault suite saw it: a consumer group's container-managed commit on a connection
        // that pg_terminate_backend had just ended.
        SystemException commit = new SystemException();
        commit.initCause(
                new XAException("FATAL: terminating connection due to administrator command"));
        EJBException failure = new EJBException(commit);
        assertTrue(PersistenceFailures.isUnavailable(failure));
        assertInstanceOf(StoreUnavailableException.class, PersistenceFailures.translate(failure));
    }

    @Test
    void aLostConnectionIsUnavailableAndAConstraintIsNot() {
        assertTrue(
                PersistenceFailures.isUnavailable(
                        new RuntimeException(new SQLException("gone", "08006"))));
        RuntimeException constraint = new RuntimeException(new SQLException("dup", "23505"));
        assertFalse(PersistenceFailures.isUnavailable(constraint));
        assertSame(constraint, PersistenceFailures.translate(constraint));
    }
}
