package io.arbor.domain;

/** The database cannot be reached or gave no connection in time; the request may be retried. */
public class StoreUnavailableException extends ArborException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
