package io.arbor.domain;

/**
 * An operation ran past its time limit (the append transaction timeout or the statement timeout)
 * and was rolled back: nothing was written, and the request may be retried.
 */
public class TimedOutException extends ArborException {
    public TimedOutException(String message, Throwable cause) {
        super(message, cause);
    }
}
