package io.arbor.domain;

import java.util.UUID;

/**
 * An append reuses event ids that are already stored, but is not an exact retry of the request that
 * stored them (some ids are new, they are stored on another stream or in another order, or an event
 * differs from the stored one with its id; see {@link AppendRetry}).
 */
public class DuplicateEventIdException extends ArborException {
    private final UUID eventId;

    /**
     * @param eventId the first id of the request that is not a retry of the stored event, or null
     *     when the database's unique index found the reuse (a concurrent append took the id)
     */
    public DuplicateEventIdException(UUID eventId, String message) {
        super(message);
        this.eventId = eventId;
    }

    public DuplicateEventIdException(String message, Throwable cause) {
        super(message, cause);
        this.eventId = null;
    }

    /** The first reused id that makes the request something other than a retry, if known. */
    public UUID eventId() {
        return eventId;
    }
}
