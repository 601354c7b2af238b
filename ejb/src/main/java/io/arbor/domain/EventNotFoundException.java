package io.arbor.domain;

import java.util.UUID;

/** No event has the id asked for. */
public class EventNotFoundException extends ArborException {
    public EventNotFoundException(UUID eventId) {
        super("No event has id " + eventId);
    }
}
