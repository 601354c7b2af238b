package io.arbor.web.problem;

import io.arbor.domain.groups.GroupFilterChangedException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 409: an update names another filter than the group's; nothing changed. */
@Provider
public class GroupFilterChangedMapper implements ExceptionMapper<GroupFilterChangedException> {
    @Override
    public Response toResponse(GroupFilterChangedException changed) {
        return Problem.of(
                        409,
                        "group-filter-changed",
                        "A consumer group's filter cannot change",
                        changed.getMessage())
                .build();
    }
}
