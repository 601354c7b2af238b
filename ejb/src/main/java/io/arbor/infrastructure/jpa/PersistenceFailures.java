package io.arbor.infrastructure.jpa;

import io.arbor.domain.ArborException;
import io.arbor.domain.ConcurrentAppendException;
import io.arbor.domain.DuplicateEventIdException;
import io.arbor.domain.StoreUnavailableException;
import io.arbor.domain.StreamId;
import io.arbor.domain.TimedOutException;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.SystemException;
import java.sql.SQLException;
import javax.transaction.xa.XAException;

/**
 * The one place where database failures become domain exceptions (style.md, habit 4). Both lines of
 * defence against two appends taking the same versions, the stream row's lock version and the
 * unique (stream, version) index, end here as a {@link ConcurrentAppendException}.
 */
public final class PersistenceFailures {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String QUERY_CANCELED = "57014";
    private static final String EVENT_ID_CONSTRAINT = "events_event_id_key";

    private PersistenceFailures() {}

    /**
     * Translates a failure of an append's writes. Returns the exception to throw: a domain
     * exception, or {@code failure} itself when it already is one or is a fault the domain has no
     * name for.
     */
    public static RuntimeException translateAppend(StreamId stream, RuntimeException failure) {
        if (failure instanceof ArborException) {
            return failure;
        }
        if (isOptimisticLock(failure)) {
            return new ConcurrentAppendException(stream, failure);
        }
        SQLException sql = sqlCause(failure);
        if (sql != null && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
            if (messagesOf(sql).contains(EVENT_ID_CONSTRAINT)) {
                return new DuplicateEventIdException(
                        "An event id in this append is already stored", failure);
            }
            // streams_pkey (two first appends to a new stream) or events_stream_version_key.
            return new ConcurrentAppendException(stream, failure);
        }
        return translate(failure);
    }

    /**
     * Translates a failure of any other operation: an unreachable database, and a statement
     * cancelled by the statement timeout ({@code arbor.statement-timeout-ms}, or the pool's query
     * timeout), have names; anything else is returned as it is. Takes any runtime exception, not
     * only {@link PersistenceException}: EclipseLink throws its own {@code DatabaseException}
     * unwrapped when it cannot get a connection for a read outside a transaction.
     */
    public static RuntimeException translate(RuntimeException failure) {
        if (failure instanceof ArborException) {
            return failure;
        }
        if (isUnavailable(failure)) {
            return new StoreUnavailableException("The database is unavailable", failure);
        }
        SQLException sql = sqlCause(failure);
        if (sql != null && QUERY_CANCELED.equals(sql.getSQLState())) {
            return new TimedOutException("A statement ran past the statement timeout", failure);
        }
        return failure;
    }

    /**
     * Whether a failure means the database could not be reached or gave no connection in time:
     * SQLState class 08 (connection exception), 57P0x (server shutting down), 53300 (too many
     * connections), the pool's own allocation failure, which carries no SQLState, or a commit the
     * transaction manager could not complete ({@link SystemException}, {@link XAException}: the
     * connection died mid-commit, its message with no SQLState; the outcome is unknown, as for an
     * append, so it is answered like an outage and a retry finds out). Found for consumer groups'
     * container-managed transactions by the fault suite's backend terminations.
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
                                || state.equals("53300"))) {
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
