package io.arbor.web.security;

/**
 * A valid token whose groups do not include the endpoint's least role: 403 ({@code
 * ForbiddenMapper}).
 */
public class RoleRequiredException extends RuntimeException {
    private final Role required;

    public RoleRequiredException(Endpoint endpoint, Role required) {
        super(
                endpoint
                        + (required == Role.OPERATOR
                                ? " is the store operator's: it needs the role "
                                        + required.label()
                                        + " (its work and figures span every tenant)"
                                : " needs the role " + required.group() + " or a higher one"));
        this.required = required;
    }

    public Role required() {
        return required;
    }
}
