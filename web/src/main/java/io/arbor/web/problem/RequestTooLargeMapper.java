package io.arbor.web.problem;

import io.arbor.web.api.RequestTooLargeException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 413: a request body over the configured limit. */
@Provider
public class RequestTooLargeMapper implements ExceptionMapper<RequestTooLargeException> {
    @Override
    public Response toResponse(RequestTooLargeException tooLarge) {
        return Problem.of(
                        413,
                        "request-too-large",
                        "The request body is too large",
                        tooLarge.getMessage())
                .with("limit", tooLarge.limit())
                // The rest of the body stays unread: closing spares the container from draining
                // (or waiting for) bytes that were refused.
                .header("Connection", "close")
                .build();
    }
}
