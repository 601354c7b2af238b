package io.arbor.client;

/** 404: no consumer group has this name. */
public class GroupNotFoundException extends ArborProblemException {
    public GroupNotFoundException(Problem problem) {
        super(problem);
    }
}
