package io.arbor.client;

import java.util.List;
import java.util.OptionalLong;

/**
 * One page of a stream read.
 *
 * @param streamId the stream
 * @param version the stream's current version
 * @param events the events of this page, in the direction read
 * @param next the {@code from} of the following page, empty at the end
 */
public record StreamPage(
        String streamId, long version, List<RecordedEvent> events, OptionalLong next) {
    public StreamPage {
        events = List.copyOf(events);
    }
}
