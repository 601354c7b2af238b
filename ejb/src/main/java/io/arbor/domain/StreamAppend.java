package io.arbor.domain;

import java.util.List;

/**
 * One stream's part of an {@link Append}: the writer's expectation of the stream's version and the
 * events to append to it. A part without events is a guard: its expectation must hold for the
 * append to commit, and nothing is written to it.
 *
 * @param at where this part is in the request body, the prefix of the JSON pointers that refuse it:
 *     {@code ""} for the body of {@code POST /streams/{id}/events}, {@code /streams/3} for the
 *     fourth entry of {@code POST /events}
 */
public record StreamAppend(
        StreamId streamId, ExpectedVersion expected, List<NewEvent> events, String at) {

    public StreamAppend {
        if (streamId == null || expected == null || events == null || at == null) {
            throw new IllegalArgumentException("A stream's part of an append needs every field");
        }
        events = List.copyOf(events);
    }

    /** A part with no events: only its expectation is checked. */
    public boolean isGuard() {
        return events.isEmpty();
    }

    /** This part with its events replaced (their schema versions settled). */
    public StreamAppend withEvents(List<NewEvent> settled) {
        return new StreamAppend(streamId, expected, settled, at);
    }
}
