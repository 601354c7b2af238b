package io.arbor.domain.schema;

import io.arbor.domain.ArborException;

/** The registry has no such event type, or no such version of it. */
public class EventTypeNotFoundException extends ArborException {
    public EventTypeNotFoundException(String message) {
        super(message);
    }
}
