package io.arbor.client;

/**
 * 409: an update of a consumer group names another filter than the group's; nothing changed. The
 * pending events were chosen by the old filter: delete the group and create it again to change it.
 */
public class GroupFilterChangedException extends ArborProblemException {
    public GroupFilterChangedException(Problem problem) {
        super(problem);
    }
}
