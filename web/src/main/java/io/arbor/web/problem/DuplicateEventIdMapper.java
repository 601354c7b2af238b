package io.arbor.web.problem;

import io.arbor.domain.DuplicateEventIdException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 409: event ids reused by something other than an exact retry; nothing was written. */
@Provider
public class DuplicateEventIdMapper implements ExceptionMapper<DuplicateEventIdException> {
    @Override
    public Response toResponse(DuplicateEventIdException duplicate) {
        return Problem.of(
                        409,
                        "duplicate-event-id",
                        "An event id is already stored",
                        duplicate.getMessage())
                .build();
    }
}
