package io.arbor.web.problem;

import io.arbor.domain.schema.EventTypeNotFoundException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 404: no such event type or schema version in the registry. */
@Provider
public class EventTypeNotFoundMapper implements ExceptionMapper<EventTypeNotFoundException> {
    @Override
    public Response toResponse(EventTypeNotFoundException missing) {
        return Problem.of(
                        404,
                        "event-type-not-found",
                        "No such event type or schema version",
                        missing.getMessage())
                .build();
    }
}
