package io.arbor.web.problem;

import io.arbor.domain.EventNotFoundException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 404: no event has the id asked for. */
@Provider
public class EventNotFoundMapper implements ExceptionMapper<EventNotFoundException> {
    @Override
    public Response toResponse(EventNotFoundException missing) {
        return Problem.of(404, "event-not-found", "No event has this id", missing.getMessage())
                .build();
    }
}
