package io.arbor.web.problem;

import io.arbor.web.api.RequestHeadTooLargeException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 414 or 431: a request target or header fields longer than Arbor reads. */
@Provider
public class RequestHeadTooLargeMapper implements ExceptionMapper<RequestHeadTooLargeException> {
    @Override
    public Response toResponse(RequestHeadTooLargeException tooLarge) {
        boolean target = tooLarge.status() == 414;
        return Problem.of(
                        tooLarge.status(),
                        target ? "uri-too-long" : "request-header-fields-too-large",
                        target ? "URI Too Long" : "Request Header Fields Too Large",
                        tooLarge.getMessage())
                .with("limit", tooLarge.limit())
                .build();
    }
}
