package io.arbor.web.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The errors JAX-RS raises itself (no such resource 404, method not allowed 405, unsupported
 * content type 415, not acceptable 406), as problem+json with their own status.
 */
@Provider
public class HttpProblemMapper implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException failure) {
        Response original = failure.getResponse();
        int status = original.getStatus();
        Response.StatusType reason = Response.Status.fromStatusCode(status);
        String title = reason != null ? reason.getReasonPhrase() : "HTTP " + status;
        Problem problem =
                Problem.of(
                        status,
                        "http-" + status,
                        title,
                        failure.getMessage() != null ? failure.getMessage() : title);
        original.getHeaders()
                .forEach(
                        (name, values) -> {
                            if (!name.equalsIgnoreCase("Content-Type")) {
                                values.forEach(value -> problem.header(name, value));
                            }
                        });
        return problem.build();
    }
}
