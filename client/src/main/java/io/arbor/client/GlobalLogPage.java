package io.arbor.client;

import java.util.List;

/**
 * One page of the global log.
 *
 * @param events events in increasing global position
 * @param lastPosition the {@code after} to pass for the next page
 */
public record GlobalLogPage(List<RecordedEvent> events, long lastPosition) {
    public GlobalLogPage {
        events = List.copyOf(events);
    }
}
