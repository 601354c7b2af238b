package io.arbor.web.problem;

import io.arbor.domain.InvalidInputException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 400: the request breaks the contract; {@code pointer} names the offending field or parameter. */
@Provider
public class InvalidInputMapper implements ExceptionMapper<InvalidInputException> {
    @Override
    public Response toResponse(InvalidInputException invalid) {
        return Problem.of(400, "invalid-request", "The request is invalid", invalid.getMessage())
                .with("pointer", invalid.pointer())
                .build();
    }
}
