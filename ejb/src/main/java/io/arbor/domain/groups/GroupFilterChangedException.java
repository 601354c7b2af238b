package io.arbor.domain.groups;

import io.arbor.domain.ArborException;

/**
 * An update names another filter than the group's: its pending events were chosen by the old one,
 * so the filter of a group never changes (delete and create the group instead).
 */
public class GroupFilterChangedException extends ArborException {
    public GroupFilterChangedException(GroupName group) {
        super(
                "Consumer group "
                        + group
                        + " has another filter; a group's filter cannot change (delete the group"
                        + " and create it again)");
    }
}
