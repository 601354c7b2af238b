package io.arbor.client;

/** 404: the stream has no snapshot. */
public class SnapshotNotFoundException extends ArborProblemException {
    public SnapshotNotFoundException(Problem problem) {
        super(problem);
    }
}
