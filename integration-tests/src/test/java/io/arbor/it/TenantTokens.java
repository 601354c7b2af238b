package io.arbor.it;

import io.arbor.client.DevelopmentTokens;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Development tokens for tests that act as a tenant (the token's {@code tenant} claim) and a
 * subject ({@code sub}), signed with the checkout's development key, which the test command
 * configures the domain with (docs/security.md).
 */
final class TenantTokens {
    private static DevelopmentTokens tokens;

    private TenantTokens() {}

    /** An {@code arbor-admin} token of {@code tenant}, for {@code subject}. */
    static String admin(String tenant, String subject) {
        return tokens().token("arbor-admin").tenant(tenant).subject(subject).sign();
    }

    /** A client that acts as {@code subject} of {@code tenant}, with every role. */
    static Arbor as(String tenant, String subject) {
        return Arbor.withToken(admin(tenant, subject));
    }

    private static synchronized DevelopmentTokens tokens() {
        if (tokens == null) {
            Path key = DevelopmentTokens.localKey(checkout());
            if (!Files.isRegularFile(key)) {
                throw new IllegalStateException(
                        "No development key at " + key + ": run the test command, which makes it");
            }
            tokens = DevelopmentTokens.fromPemFile(key);
        }
        return tokens;
    }

    /** The checkout whose test command runs the tests (Maven runs them in integration-tests/). */
    private static Path checkout() {
        String configured = System.getProperty("arbor.checkout");
        return configured != null ? Path.of(configured) : Path.of("").toAbsolutePath().getParent();
    }
}
