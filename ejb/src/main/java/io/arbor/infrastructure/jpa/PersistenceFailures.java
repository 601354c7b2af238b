package io.arbor.infrastructure.jpa;

import io.arbor.domain.ArborException;
import io.arbor.domain.ConcurrentAppendException;
import io.arbor.domain.DuplicateEventIdException;
import io.arbor.domain.StoreUnavailableException;
import io.arbor.domain.StreamId;
import io.arbor.domain.TimedOutException;
import jakarta.persistence.OptimisticLockException;
import jakarta.transaction.SystemException;
import java.sql.SQLException;
import java.util.List;
import javax.transaction.xa.XAException;

/**
 * The one place where database failures become domain exceptions (style.md, habit 4), applied to
 * every service by one interceptor ({@link TranslatesStoreFailures}). Both lines of defence against
 * two appends taking the same versions, the stream row's JPA version lock (or, for a new stream,
 * its primary key) and the unique (stream, version) key of {@code event_keys}, end here as a {@link
 * ConcurrentAppendException}, which the event store retries.
 */
public final class PersistenceFailures {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String QUERY_CANCELED = "57014";
    private static final String DEADLOCK_DETECTED = "40P01";

    /**
     * The key table's constraints (changeset 2026-12-09-01), which hold the uniqueness of event ids
     * and of stream versions across the events table's partitions.
     */
    private static final String EVENT_ID_CONSTRAINT = "event_keys_pkey";

    /**
     * The unique constraints two appends that took the same versions collide on: the row of a new
     * stream that both created, or a version both inserted.
     */
    private static final List<String> STREAM_VERSION_CONSTRAINTS =
            List.of("streams_pkey", "event_keys_stream_version_key");

    private PersistenceFailures() {}

    /** {@link #translate(StreamId, RuntimeException)} of a failure that concerns no one stream. */
    public static RuntimeException translate(RuntimeException failure) {
        return translate(null, failure);
    }

    /**
     * Returns the exception to throw for {@code failure}: a domain exception, or {@code failure}
     * itself when it already is one or is a fault the domain has no name for. Named: an unreachable
     * database; a statement cancelled by the statement timeout ({@code arbor.statement-timeout-ms},
     * or the pool's query timeout); a stored event id inserted again; and, for a call about {@code
     * stream} (null: none), a lost race to another append (a version lock, a unique stream or
     * version collision, or a deadlock with another append), which the event store retries. Takes
     * any runtime exception, not only {@link jakarta.persistence.PersistenceException}: EclipseLink
     * throws its own {@code DatabaseException} unwrapped when it cannot get a connection for a read
     * outside a transaction.
     */
    public static RuntimeException translate(StreamId stream, RuntimeException failure) {
        if (failure instanceof ArborException) {
            return failure;
        }
        if (isUnavailable(failure)) {
            return new StoreUnavailableException("The database is unavailable", failure);
        }
        if (stream != null && isOptimisticLock(failure)) {
            return new ConcurrentAppendException(stream, failure);
        }
        SQLException sql = sqlCause(failure);
        String state = sql == null ? null : sql.getSQLState();
        if (UNIQUE_VIOLATION.equals(state)) {
            String messages = messagesOf(sql);
            if (messages.contains(EVENT_ID_CONSTRAINT)) {
                return new DuplicateEventIdException(
                        "An event id in this append is already stored", failure);
            }
            if (stream != null
                    && STREAM_VERSION_CONSTRAINTS.stream().anyMatch(messages::contains)) {
                return new ConcurrentAppendException(stream, failure);
            }
        }
        if (stream != null && DEADLOCK_DETECTED.equals(state)) {
            // Two appends whose batches share event ids in opposite orders wait for each other on
            // the event-id index; PostgreSQL aborts one. Its retry finds the ids stored: a replay
            // or a duplicate-event-id refusal, never a 500.
            return new ConcurrentAppendException(stream, failure);
        }
        if (QUERY_CANCELED.equals(state)) {
            return new TimedOutException("A statement ran past the statement timeout", failure);
        }
        return failure;
    }

    /**
     * Whether a failure means the database could not be reached or gave no connection in time:
     * SQLState class 08 (connection exception), 57P0x (server shutting down), 53300 (too many
     * connections), 53200 (out of shared memory: the lock table is full), the pool's own allocation
     * failure, which carries no SQLState, or a commit the transaction manager could not complete
     * ({@link SystemException}, {@link XAException}: the connection died mid-commit, its message
     * with no SQLState; the outcome is unknown, as for an append, so it is answered like an outage
     * and a retry finds out). Found for consumer groups' container-managed transactions by the
     * fault suite's backend terminations.
     */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SystemException || t instanceof XAException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null
                        && (state.startsWith("08")
                                || state.startsWith("57P0")
                                || state.equals("53300")
                                || state.equals("53200"))) {
                    return true;
                }
            }
            String message = t.getMessage();
            if (message != null && message.contains("Error in allocating a connection")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * Whether the stream row's version lock refused a write ({@link StreamRows#advance}): JPA's
     * exception, or EclipseLink's own, which its flush may leave unwrapped.
     */
    private static boolean isOptimisticLock(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OptimisticLockException
                    || t instanceof org.eclipse.persistence.exceptions.OptimisticLockException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static SQLException sqlCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                // A batched insert reports the statement's own error as the next exception.
                SQLException next = sql.getNextException();
                return next != null && next.getSQLState() != null ? next : sql;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static String messagesOf(SQLException sql) {
        StringBuilder all = new StringBuilder();
        for (SQLException e = sql; e != null; e = e.getNextException()) {
            all.append(e.getMessage()).append('\n');
        }
        return all.toString();
    }
}
