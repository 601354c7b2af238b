package io.arbor.infrastructure.jpa;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.domain.ConcurrentAppendException;
import io.arbor.domain.DuplicateEventIdException;
import io.arbor.domain.StoreUnavailableException;
import io.arbor.domain.StreamId;
import io.arbor.domain.TimedOutException;
import jakarta.ejb.EJBException;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
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

    @Test
    void theStreamRowsVersionLockRefusingAWriteIsALostRaceOfTheStream() {
        StreamId stream = StreamId.of("account-1");
        RuntimeException refused =
                new PersistenceException(new OptimisticLockException("lock_version moved"));
        assertInstanceOf(
                ConcurrentAppendException.class, PersistenceFailures.translate(stream, refused));
        // EclipseLink's own exception, as its flush may throw it.
        RuntimeException eclipseLink =
                new org.eclipse.persistence.exceptions.OptimisticLockException("moved") {};
        assertInstanceOf(
                ConcurrentAppendException.class,
                PersistenceFailures.translate(stream, eclipseLink));
        // No stream, no race to name: left as it is.
        assertSame(refused, PersistenceFailures.translate(refused));
    }

    @Test
    void uniqueViolationsAreTranslatedByTheirConstraint() {
        StreamId stream = StreamId.of("account-1");
        assertInstanceOf(
                ConcurrentAppendException.class,
                PersistenceFailures.translate(stream, uniqueViolation("streams_pkey")));
        // A batched insert reports the statement's own error as the next exception.
        SQLException batch = new SQLException("Batch entry 0 was aborted", "23505");
        batch.setNextException(
                new SQLException(
                        "ERROR: duplicate key value violates unique constraint"
                                + " \"event_keys_stream_version_key\"",
                        "23505"));
        assertInstanceOf(
                ConcurrentAppendException.class,
                PersistenceFailures.translate(stream, new PersistenceException(batch)));
        assertInstanceOf(
                DuplicateEventIdException.class,
                PersistenceFailures.translate(stream, uniqueViolation("event_keys_pkey")));
        RuntimeException other = uniqueViolation("snapshots_pkey");
        assertSame(other, PersistenceFailures.translate(stream, other));
    }

    @Test
    void aDeadlockWithAnotherAppendIsALostRaceAndNothingElseIsOne() {
        RuntimeException deadlock =
                new PersistenceException(new SQLException("ERROR: deadlock detected", "40P01"));

        assertInstanceOf(
                ConcurrentAppendException.class,
                PersistenceFailures.translate(StreamId.of("account-1"), deadlock));
        assertSame(deadlock, PersistenceFailures.translate(deadlock));
    }

    @Test
    void aCancelledStatementTimedOut() {
        assertInstanceOf(
                TimedOutException.class,
                PersistenceFailures.translate(
                        new PersistenceException(
                                new SQLException(
                                        "ERROR: canceling statement due to statement timeout",
                                        "57014"))));
    }

    private static RuntimeException uniqueViolation(String constraint) {
        return new PersistenceException(
                new SQLException(
                        "ERROR: duplicate key value violates unique constraint \""
                                + constraint
                                + "\"",
                        "23505"));
    }
}
