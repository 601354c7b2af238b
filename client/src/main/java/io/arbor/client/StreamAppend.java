package io.arbor.client;

import java.util.List;
import java.util.Objects;

/**
 * One stream's entry of {@link ArborClient#appendToStreams}: its expected version and its events;
 * no events: a guard (the expectation must hold; nothing is written to the stream).
 */
public record StreamAppend(String streamId, ExpectedVersion expected, List<NewEvent> events) {
    public StreamAppend {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(expected, "expected");
        events = List.copyOf(events);
    }

    /** A guard: {@code streamId} must be at {@code expected}, nothing is appended to it. */
    public static StreamAppend guard(String streamId, ExpectedVersion expected) {
        return new StreamAppend(streamId, expected, List.of());
    }
}
