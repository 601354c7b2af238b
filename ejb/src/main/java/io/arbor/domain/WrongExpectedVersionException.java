package io.arbor.domain;

/** The stream's version did not meet the writer's expectation; nothing was written. */
public class WrongExpectedVersionException extends ArborException {
    private final StreamId streamId;
    private final ExpectedVersion expected;
    private final long actual;

    public WrongExpectedVersionException(StreamId streamId, ExpectedVersion expected, long actual) {
        super(
                "Stream "
                        + streamId
                        + " is at version "
                        + actual
                        + ", the append expected "
                        + expected);
        this.streamId = streamId;
        this.expected = expected;
        this.actual = actual;
    }

    public StreamId streamId() {
        return streamId;
    }

    public ExpectedVersion expected() {
        return expected;
    }

    public long actual() {
        return actual;
    }
}
