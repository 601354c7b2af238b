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
        Problem problem =
                Problem.of(
                        409,
                        "duplicate-event-id",
                        "An event id is already stored",
                        duplicate.getMessage());
        // The first id that is not a retry; unknown when the unique index caught a concurrent
        // reuse.
        if (duplicate.eventId() != null) {
            problem.with("eventId", duplicate.eventId().toString());
        }
        return problem.build();
    }
}
