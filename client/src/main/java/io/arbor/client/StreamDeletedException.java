package io.arbor.client;

/** 410: the stream was hard-deleted; it can never be read or appended to again. */
public class StreamDeletedException extends ArborProblemException {
    public StreamDeletedException(Problem problem) {
        super(problem);
    }
}
