package io.arbor.web.security;

/**
 * The request has no valid bearer token: none at all, or one whose claims Arbor cannot use. 401
 * with {@code WWW-Authenticate: Bearer} ({@code UnauthorizedMapper}).
 */
public class NotAuthenticatedException extends RuntimeException {
    private final boolean tokenPresented;

    private NotAuthenticatedException(String message, boolean tokenPresented) {
        super(message);
        this.tokenPresented = tokenPresented;
    }

    /** No token came with the request. */
    public static NotAuthenticatedException noToken() {
        return new NotAuthenticatedException(
                "This request needs an Authorization: Bearer token", false);
    }

    /** A token came, valid as a JWT, with a claim Arbor refuses. */
    public static NotAuthenticatedException invalidClaim(String why) {
        return new NotAuthenticatedException(why, true);
    }

    /** True when a token came and was refused (RFC 6750 error {@code invalid_token}). */
    public boolean tokenPresented() {
        return tokenPresented;
    }
}
