package io.arbor.client;

/** 409: the stream was not at the expected version; nothing was written. */
public class WrongExpectedVersionException extends ArborProblemException {
    public WrongExpectedVersionException(Problem problem) {
        super(problem);
    }

    /** The stream. */
    public String streamId() {
        return problem().string("streamId");
    }

    /**
     * The expectation that failed: a number or {@code any}/{@code no_stream}/{@code stream_exists}.
     */
    public String expectedVersion() {
        return problem().string("expectedVersion");
    }

    /** The stream's version when the append was refused (0: it does not exist). */
    public long actualVersion() {
        return problem().number("actualVersion");
    }
}
