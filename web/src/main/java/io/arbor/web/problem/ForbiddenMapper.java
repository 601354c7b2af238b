package io.arbor.web.problem;

import io.arbor.domain.Tenant;
import io.arbor.web.security.Role;
import io.arbor.web.security.RoleRequiredException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 403 {@code urn:arbor:problem:forbidden}: a valid token without the endpoint's role; {@code
 * requiredRole} names the least role that may call it (the README's "endpoint → role" table), and
 * {@code requiredTenant} the tenant {@code default} for the store operator's endpoints.
 */
@Provider
public class ForbiddenMapper implements ExceptionMapper<RoleRequiredException> {
    @Override
    public Response toResponse(RoleRequiredException refused) {
        Problem problem =
                Problem.of(403, "forbidden", "The token lacks the role", refused.getMessage())
                        .with("requiredRole", refused.required().group());
        if (refused.required() == Role.OPERATOR) {
            // The role alone is not enough: only the tenant default's admin is the operator.
            problem = problem.with("requiredTenant", Tenant.DEFAULT.value());
        }
        return problem.build();
    }
}
