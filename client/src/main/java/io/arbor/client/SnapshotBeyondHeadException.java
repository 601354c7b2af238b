package io.arbor.client;

/** 409: the snapshot's version is past the stream's head; nothing was written. */
public class SnapshotBeyondHeadException extends ArborProblemException {
    public SnapshotBeyondHeadException(Problem problem) {
        super(problem);
    }

    /** The stream's version (the highest a snapshot may have). */
    public long actualVersion() {
        return problem().number("actualVersion");
    }
}
