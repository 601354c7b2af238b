package io.arbor.web.problem;

import io.arbor.web.security.NotAuthenticatedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 401 {@code urn:arbor:problem:unauthorized} with {@code WWW-Authenticate: Bearer} (RFC 6750): the
 * request carried no token, or one that Arbor refused. A token that fails Payara's MP-JWT checks
 * (signature, issuer, expiry, {@code alg}) never reaches JAX-RS: {@code TokenRefusedServlet} gives
 * the same answer for it.
 */
@Provider
public class UnauthorizedMapper implements ExceptionMapper<NotAuthenticatedException> {
    private static final String REALM = "Bearer realm=\"arbor\"";
    private static final String TITLE = "A valid bearer token is needed";

    @Override
    public Response toResponse(NotAuthenticatedException refused) {
        return refused.tokenPresented()
                ? invalidToken(refused.getMessage())
                : Problem.of(401, "unauthorized", TITLE, refused.getMessage())
                        .header(HttpHeaders.WWW_AUTHENTICATE, REALM)
                        .build();
    }

    /** The answer to a token that was presented and refused ({@code error="invalid_token"}). */
    public static Response invalidToken(String detail) {
        return Problem.of(401, "unauthorized", TITLE, detail)
                .header(HttpHeaders.WWW_AUTHENTICATE, REALM + ", error=\"invalid_token\"")
                .build();
    }
}
