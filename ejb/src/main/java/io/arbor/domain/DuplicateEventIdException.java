package io.arbor.domain;

/**
 * An append reuses event ids that are already stored, but is not an exact retry of the request that
 * stored them (some ids are new, they are stored on another stream, or in another order).
 */
public class DuplicateEventIdException extends ArborException {
    public DuplicateEventIdException(String message) {
        super(message);
    }

    public DuplicateEventIdException(String message, Throwable cause) {
        super(message, cause);
    }
}
