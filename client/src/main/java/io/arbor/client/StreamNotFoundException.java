package io.arbor.client;

/** 404: the stream does not exist. */
public class StreamNotFoundException extends ArborProblemException {
    public StreamNotFoundException(Problem problem) {
        super(problem);
    }
}
