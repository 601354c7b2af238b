package io.arbor.domain;

/**
 * Base of every failure a caller of the event store can act on. Declared an EJB application
 * exception (with rollback) in ejb-jar.xml, so it reaches callers unwrapped and never commits.
 */
public abstract class ArborException extends RuntimeException {
    protected ArborException(String message) {
        super(message);
    }

    protected ArborException(String message, Throwable cause) {
        super(message, cause);
    }
}
