package io.arbor.web.problem;

import io.arbor.domain.InvalidInputException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 400: the request breaks the contract. {@code pointer} (an RFC 6901 JSON pointer into the body) or
 * {@code parameter} (a query or path parameter's name) names what is refused.
 */
@Provider
public class InvalidInputMapper implements ExceptionMapper<InvalidInputException> {
    @Override
    public Response toResponse(InvalidInputException invalid) {
        Problem problem =
                Problem.of(400, "invalid-request", "The request is invalid", invalid.getMessage());
        if (invalid.pointer() != null) {
            problem.with("pointer", invalid.pointer());
        } else {
            problem.with("parameter", invalid.parameter());
        }
        return problem.build();
    }
}
