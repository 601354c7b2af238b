package io.arbor.domain;

/** The stream was hard-deleted: a tombstone, refused to every read and append, forever (410). */
public class StreamDeletedException extends ArborException {
    public StreamDeletedException(StreamId streamId) {
        super("Stream " + streamId + " was deleted and can never be read or appended to again");
    }
}
