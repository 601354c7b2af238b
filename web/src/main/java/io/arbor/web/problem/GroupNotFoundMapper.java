package io.arbor.web.problem;

import io.arbor.domain.groups.GroupNotFoundException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 404: no consumer group has this name. */
@Provider
public class GroupNotFoundMapper implements ExceptionMapper<GroupNotFoundException> {
    @Override
    public Response toResponse(GroupNotFoundException missing) {
        return Problem.of(404, "group-not-found", "Consumer group not found", missing.getMessage())
                .build();
    }
}
