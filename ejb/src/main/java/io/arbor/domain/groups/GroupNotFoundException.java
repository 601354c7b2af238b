package io.arbor.domain.groups;

import io.arbor.domain.ArborException;

/** No consumer group has this name. */
public class GroupNotFoundException extends ArborException {
    public GroupNotFoundException(GroupName group) {
        super("Consumer group " + group + " does not exist");
    }
}
