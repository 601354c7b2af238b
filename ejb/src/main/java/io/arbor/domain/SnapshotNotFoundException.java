package io.arbor.domain;

/** The stream has no snapshot. */
public class SnapshotNotFoundException extends ArborException {
    public SnapshotNotFoundException(StreamId streamId) {
        super("Stream " + streamId + " has no snapshot");
    }
}
