package io.arbor.client;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Development tokens: RS256 JSON Web Tokens signed with a local private key, which a development
 * server trusts because its run command configured the matching public key (issuer {@value
 * #ISSUER}). {@code bin/arbor token}, the integration tests, the benchmark and the fault suite mint
 * their tokens here. JDK cryptography only, so the client needs no JWT library.
 *
 * <pre>{@code
 * DevelopmentTokens tokens = DevelopmentTokens.fromPemFile(DevelopmentTokens.localKey(root));
 * String admin = tokens.token("arbor-admin").sign();
 * String reader = tokens.token("arbor-reader").tenant("t1").ttl(Duration.ofMinutes(5)).sign();
 * String expired = tokens.token("arbor-admin").sign(Flaw.EXPIRED); // the server must answer 401
 * }</pre>
 *
 * <p>Claims (api.md, "Authentication, roles, tenants"): {@code iss}, {@code sub}, {@code upn} (the
 * subject again: MicroProfile JWT names the caller by it), {@code groups}, {@code tenant} (only
 * when set; absent means the tenant {@code default}), {@code iat}, {@code exp}, {@code jti}.
 */
public final class DevelopmentTokens {
    /** The issuer of development tokens, which the run command configures the server to expect. */
    public static final String ISSUER = "arbor-dev";

    /** A token's lifetime unless {@link Token#ttl} says otherwise. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);

    /** The roles Arbor knows, from least to most; a token carries them in {@code groups}. */
    public static final List<String> ROLES = List.of("arbor-reader", "arbor-writer", "arbor-admin");

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final PrivateKey key;
    private final Clock clock;

    private DevelopmentTokens(PrivateKey key, Clock clock) {
        this.key = Objects.requireNonNull(key, "key");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Tokens signed with {@code key}, an RSA private key. */
    public static DevelopmentTokens of(PrivateKey key) {
        return of(key, Clock.systemUTC());
    }

    /** Tokens signed with {@code key}, issued at the times {@code clock} tells (for tests). */
    public static DevelopmentTokens of(PrivateKey key, Clock clock) {
        if (!"RSA".equals(key.getAlgorithm())) {
            throw new IllegalArgumentException(
                    "RS256 needs an RSA private key, not " + key.getAlgorithm());
        }
        return new DevelopmentTokens(key, clock);
    }

    /**
     * Tokens signed with the RSA private key in a PEM file of PKCS#8 form ({@code -----BEGIN
     * PRIVATE KEY-----}), as the run command writes {@code .arbor/dev-keys/private.pem}.
     *
     * @throws UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException when it holds no PKCS#8 RSA private key
     */
    public static DevelopmentTokens fromPemFile(Path pem) {
        String text;
        try {
            text = Files.readString(pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the private key " + pem + ": " + e, e);
        }
        try {
            return of(privateKey(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(pem + ": " + e.getMessage(), e);
        }
    }

    /** Where a checkout's run command keeps its development private key. */
    public static Path localKey(Path checkout) {
        return checkout.resolve(".arbor").resolve("dev-keys").resolve("private.pem");
    }

    /**
     * The token a tool sends when nobody gave it one: {@code ARBOR_TOKEN} when set, else an {@code
     * arbor-admin} token of the default tenant valid for {@code ttl}, minted with the development
     * key at {@code devKey} when that file exists, else none (a server with security off needs
     * none).
     */
    public static Optional<String> toolToken(Path devKey, Duration ttl) {
        return toolToken(System.getenv("ARBOR_TOKEN"), devKey, ttl);
    }

    static Optional<String> toolToken(String token, Path devKey, Duration ttl) {
        if (token != null && !token.isBlank()) {
            return Optional.of(token.strip());
        }
        if (devKey == null || !Files.isRegularFile(devKey)) {
            return Optional.empty();
        }
        return Optional.of(fromPemFile(devKey).token("arbor-admin").ttl(ttl).sign());
    }

    /** A token to be for {@code groups} (none: a valid token that grants no role). */
    public Token token(String... groups) {
        return token(List.of(groups));
    }

    /** A token to be for {@code groups} (empty: a valid token that grants no role). */
    public Token token(List<String> groups) {
        return new Token(List.copyOf(groups));
    }

    /**
     * The ways a token can be wrong, each of which a server must refuse with 401: every flaw is
     * applied to an otherwise valid token, so a test that sends {@code sign(flaw)} for each value
     * tests exactly that flaw.
     */
    public enum Flaw {
        /** It expired an hour ago (beyond any clock-skew allowance). */
        EXPIRED,
        /** Issued by {@code not-arbor-dev}. */
        WRONG_ISSUER,
        /** Header {@code "alg":"none"} and no signature. */
        ALG_NONE,
        /** Signed properly, but with a key the server does not know. */
        OTHER_KEY,
        /** Its signature does not match its content (one bit of it flipped). */
        BAD_SIGNATURE
    }

    /** The claims of one token; set what differs from the defaults, then {@link #sign}. */
    public final class Token {
        private final List<String> groups;
        private String subject = System.getProperty("user.name", "developer");
        private String tenant;
        private Duration ttl = DEFAULT_TTL;
        private String issuer = ISSUER;

        private Token(List<String> groups) {
            this.groups = groups;
        }

        /** {@code sub} and {@code upn}: who the caller is (default: the OS user's name). */
        public Token subject(String subject) {
            this.subject = requireText(subject, "subject");
            return this;
        }

        /**
         * {@code tenant} (default: none, which the server reads as {@code default}). Not checked
         * here, so that tests can send a malformed one; the server checks it.
         */
        public Token tenant(String tenant) {
            this.tenant = tenant;
            return this;
        }

        /** How long from now the token is valid (default {@link #DEFAULT_TTL}). */
        public Token ttl(Duration ttl) {
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("a token's ttl must be positive, not " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        /** {@code iss} (default {@value #ISSUER}), for a server that expects another issuer. */
        public Token issuer(String issuer) {
            this.issuer = requireText(issuer, "issuer");
            return this;
        }

        /** The signed token, in compact form: {@code header.payload.signature}. */
        public String sign() {
            return signed(claims(issuer, clock.instant(), ttl), key);
        }

        /** A token that is wrong in exactly one way, for tests that the server refuses it. */
        public String sign(Flaw flaw) {
            Instant now = clock.instant();
            return switch (flaw) {
                case EXPIRED ->
                        signed(
                                claims(issuer, now.minus(Duration.ofHours(2)), Duration.ofHours(1)),
                                key);
                case WRONG_ISSUER -> signed(claims("not-" + ISSUER, now, ttl), key);
                case ALG_NONE -> part(header("none")) + "." + part(claims(issuer, now, ttl)) + ".";
                case OTHER_KEY -> signed(claims(issuer, now, ttl), OtherKey.KEY);
                case BAD_SIGNATURE -> {
                    String token = signed(claims(issuer, now, ttl), key);
                    int dot = token.lastIndexOf('.');
                    byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
                    signature[signature.length / 2] ^= 1;
                    yield token.substring(0, dot + 1) + BASE64URL.encodeToString(signature);
                }
            };
        }

        private JsonObject claims(String iss, Instant issuedAt, Duration lifetime) {
            JsonArrayBuilder roles = Json.createArrayBuilder();
            groups.forEach(roles::add);
            JsonObjectBuilder claims =
                    Json.createObjectBuilder()
                            .add("iss", iss)
                            .add("sub", subject)
                            .add("upn", subject)
                            .add("groups", roles);
            if (tenant != null) {
                claims.add("tenant", tenant);
            }
            return claims.add("iat", issuedAt.getEpochSecond())
                    .add("exp", issuedAt.plus(lifetime).getEpochSecond())
                    .add("jti", UUID.randomUUID().toString())
                    .build();
        }
    }

    private static String signed(JsonObject claims, PrivateKey with) {
        String content = part(header("RS256")) + "." + part(claims);
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(with);
            rs256.update(content.getBytes(StandardCharsets.US_ASCII));
            return content + "." + BASE64URL.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RS256 signing failed: " + e, e);
        }
    }

    private static JsonObject header(String alg) {
        return Json.createObjectBuilder().add("alg", alg).add("typ", "JWT").build();
    }

    private static String part(JsonObject json) {
        return BASE64URL.encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a token's " + name + " must not be blank");
        }
        return value;
    }

    /** Reads a PKCS#8 PEM private key; says how to convert the other common forms. */
    static PrivateKey privateKey(String pem) {
        if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")) {
            throw new IllegalArgumentException(
                    "a PKCS#1 key (BEGIN RSA PRIVATE KEY); convert it to PKCS#8 with: openssl"
                            + " pkcs8 -topk8 -nocrypt -in KEY -out private.pem");
        }
        if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new IllegalArgumentException(
                    "an encrypted key; development keys are unencrypted PKCS#8 (openssl pkcs8"
                            + " -topk8 -nocrypt)");
        }
        String begin = "-----BEGIN PRIVATE KEY-----";
        String end = "-----END PRIVATE KEY-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException(
                    "no PKCS#8 private key (-----BEGIN PRIVATE KEY----- … -----END PRIVATE"
                            + " KEY-----)");
        }
        String base64 = pem.substring(from + begin.length(), to).replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA private key: " + e.getMessage(), e);
        }
    }

    /** A fresh RSA key pair (2048 bits), e.g. for a test's own keys. */
    public static KeyPair generateKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no RSA key pair generator: " + e, e);
        }
    }

    /** The key of {@link Flaw#OTHER_KEY}: made once, on first use, never known to a server. */
    private static final class OtherKey {
        static final PrivateKey KEY = generateKeyPair().getPrivate();
    }
}
