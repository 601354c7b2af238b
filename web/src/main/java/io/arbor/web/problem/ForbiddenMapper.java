package io.arbor.web.problem;

import io.arbor.web.security.RoleRequiredException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 403 {@code urn:arbor:problem:forbidden}: a valid token without the endpoint's role; {@code
 * requiredRole} names the least role that may call it (the README's "endpoint → role" table).
 */
@Provider
public class ForbiddenMapper implements ExceptionMapper<RoleRequiredException> {
    @Override
    public Response toResponse(RoleRequiredException refused) {
        return Problem.of(403, "forbidden", "The token lacks the role", refused.getMessage())
                .with("requiredRole", refused.required().group())
                .build();
    }
}
