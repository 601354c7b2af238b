package io.arbor.client;

/**
 * 409: an event id of the append is already stored, on another stream or as only part of this
 * batch; nothing was written.
 */
public class DuplicateEventIdException extends ArborProblemException {
    public DuplicateEventIdException(Problem problem) {
        super(problem);
    }
}
