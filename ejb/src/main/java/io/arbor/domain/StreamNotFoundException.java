package io.arbor.domain;

/** The stream has no events. */
public class StreamNotFoundException extends ArborException {
    public StreamNotFoundException(StreamId streamId) {
        super("Stream " + streamId + " does not exist");
    }
}
