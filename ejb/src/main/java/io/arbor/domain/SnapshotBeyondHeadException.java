package io.arbor.domain;

/** A snapshot names a version the stream has not reached. */
public class SnapshotBeyondHeadException extends ArborException {
    private final long head;

    public SnapshotBeyondHeadException(StreamId streamId, long version, long head) {
        super(
                "Stream "
                        + streamId
                        + " is at version "
                        + head
                        + "; a snapshot at version "
                        + version
                        + " is past its head");
        this.head = head;
    }

    public long head() {
        return head;
    }
}
