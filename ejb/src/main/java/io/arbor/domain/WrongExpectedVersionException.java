package io.arbor.domain;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The version of one or more streams did not meet the writer's expectation; nothing was written.
 * Every stream of the append whose expectation failed is listed ({@link #conflicts}), not only the
 * first found.
 */
public class WrongExpectedVersionException extends ArborException {
    /** One stream whose version did not meet its expectation. */
    public record Conflict(StreamId streamId, ExpectedVersion expected, long actual) {}

    private final List<Conflict> conflicts;

    public WrongExpectedVersionException(StreamId streamId, ExpectedVersion expected, long actual) {
        this(List.of(new Conflict(streamId, expected, actual)));
    }

    public WrongExpectedVersionException(List<Conflict> conflicts) {
        super(
                conflicts.stream()
                        .map(
                                conflict ->
                                        "Stream "
                                                + conflict.streamId()
                                                + " is at version "
                                                + conflict.actual()
                                                + ", the append expected "
                                                + conflict.expected())
                        .collect(Collectors.joining("; ")));
        if (conflicts.isEmpty()) {
            throw new IllegalArgumentException("A wrong expected version names a stream");
        }
        this.conflicts = List.copyOf(conflicts);
    }

    /** Every stream that failed its expectation, in the append's order. */
    public List<Conflict> conflicts() {
        return conflicts;
    }

    /** The first failing stream. */
    public StreamId streamId() {
        return conflicts.get(0).streamId();
    }

    public ExpectedVersion expected() {
        return conflicts.get(0).expected();
    }

    public long actual() {
        return conflicts.get(0).actual();
    }
}
