package io.arbor.web.security;

import io.arbor.domain.Tenant;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.security.Principal;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Every request to {@code /arbor/api}: who sent it and whether they may. Payara's MP-JWT mechanism
 * ({@code @LoginConfig} on {@code ArborApplication}) has already verified a bearer token, if one
 * came (signature, issuer, expiry; a token that fails is answered 401 before JAX-RS, by {@code
 * TokenRefusedServlet}); this filter refuses a request without one (401), finds the endpoint's
 * least role in {@link AccessRules} and refuses a token whose {@code groups} lack it (403), and
 * fills {@link Caller} with the token's tenant and subject.
 *
 * <p>No {@code @RolesAllowed}: with MP-JWT, Payara 6 answers 403 to a valid token on
 * {@code @Stateless} endpoints (payara/Payara#6819), and one table is easier to check than
 * annotations spread over every resource.
 *
 * <p>{@code arbor.security.enabled=false}: no token is needed, every request has every role, and
 * the tenant is {@link Tenant#DEFAULT}.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
@ApplicationScoped
public class SecurityFilter implements ContainerRequestFilter {
    static final String TENANT_CLAIM = "tenant";

    private final Map<Method, Endpoint> endpoints = new ConcurrentHashMap<>();

    @Inject Caller caller;

    @Inject
    @ConfigProperty(name = "arbor.security.enabled")
    boolean enabled;

    @Context ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        // Jersey answers OPTIONS itself, with the Allow header only: a CORS preflight never
        // carries a token.
        if (!enabled || request.getMethod().equals(HttpMethod.OPTIONS)) {
            return;
        }
        Method matched = resource.getResourceMethod();
        Endpoint endpoint =
                matched == null
                        ? null
                        : endpoints.computeIfAbsent(
                                matched,
                                method -> Endpoint.of(resource.getResourceClass(), method));
        Role least = endpoint == null ? null : AccessRules.leastRole(endpoint);
        if (least == null) {
            // AccessRulesTest keeps this from happening; if it does, refuse rather than allow.
            throw new IllegalStateException("No access rule for " + endpoint);
        }
        Principal principal = request.getSecurityContext().getUserPrincipal();
        if (!(principal instanceof JsonWebToken token)) {
            throw NotAuthenticatedException.noToken();
        }
        Tenant tenant = tenant(token);
        caller.identify(tenant, token.getSubject());
        Role role =
                Role.of(token.getGroups() == null ? Set.of() : token.getGroups(), tenant)
                        .orElse(null);
        if (role == null || !role.grants(least)) {
            throw new RoleRequiredException(endpoint, least);
        }
    }

    /**
     * The token's {@code tenant} claim; {@link Tenant#DEFAULT} without one. A claim that is not a
     * tenant name is refused with 401, not 403: the token itself is malformed (RFC 6750 {@code
     * invalid_token}); there is no tenant the caller could be refused in.
     */
    static Tenant tenant(JsonWebToken token) {
        Object claim = token.getClaim(TENANT_CLAIM);
        if (claim == null) {
            return Tenant.DEFAULT;
        }
        String value =
                claim instanceof JsonString json
                        ? json.getString()
                        : claim instanceof String text ? text : null;
        if (!Tenant.valid(value)) {
            throw NotAuthenticatedException.invalidClaim(
                    "The token's tenant claim must be a string of 1 to 63 characters of a-z 0-9 -");
        }
        return new Tenant(value);
    }
}
