package io.arbor.client;

/**
 * Base of every failure this client reports: {@link ArborProblemException} when the server answered
 * with a problem, {@link ArborUnavailableException} when it could not be reached.
 */
public abstract class ArborException extends RuntimeException {
    protected ArborException(String message, Throwable cause) {
        super(message, cause);
    }
}
