package io.arbor.it;

import io.arbor.client.DevelopmentTokens;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The suite's bearer tokens, minted with the development private key whose public half the test
 * domain trusts (server-config/test.sh passes its path as {@code arbor.dev-key}). {@link Arbor}
 * sends {@link #admin()} on every request unless a test says otherwise.
 */
public final class Tokens {
    /** The {@code sub} of the suite's tokens: what an append records as its writer. */
    public static final String SUBJECT = "integration-tests";

    private static final DevelopmentTokens DEVELOPMENT =
            DevelopmentTokens.fromPemFile(
                    Path.of(System.getProperty("arbor.dev-key", "../.arbor/dev-keys/private.pem")));

    /** Outlives the longest suite run. */
    private static final String ADMIN = token("arbor-admin").ttl(Duration.ofHours(12)).sign();

    private Tokens() {}

    /** An {@code arbor-admin} token of the default tenant. */
    public static String admin() {
        return ADMIN;
    }

    /** The admin token as a header line, for tests that write HTTP/1.1 on a socket themselves. */
    public static String authorizationLine() {
        return "Authorization: Bearer " + ADMIN + "\r\n";
    }

    /** A client that acts as {@code subject} of {@code tenant}, with every role. */
    public static Arbor tenantAdmin(String tenant, String subject) {
        return new Arbor(token("arbor-admin").tenant(tenant).subject(subject).sign());
    }

    /** A token to be for {@code groups} (none: a valid token that grants no role). */
    public static DevelopmentTokens.Token token(String... groups) {
        return DEVELOPMENT.token(groups).subject(SUBJECT);
    }
}
