package io.arbor.client;

import java.util.List;
import java.util.OptionalLong;

/**
 * One page of a consumer group's parked events, in position order.
 *
 * @param events the page
 * @param next the {@code after} of the following page; empty on the last one
 */
public record ParkedPage(List<ParkedEvent> events, OptionalLong next) {
    public ParkedPage {
        events = List.copyOf(events);
    }
}
