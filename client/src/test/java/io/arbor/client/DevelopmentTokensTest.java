package io.arbor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.client.DevelopmentTokens.Flaw;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevelopmentTokensTest {
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");

    private static KeyPair keys;
    private static DevelopmentTokens tokens;

    @BeforeAll
    static void keys() {
        keys = DevelopmentTokens.generateKeyPair();
        tokens = DevelopmentTokens.of(keys.getPrivate(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void aTokenIsSignedWithRs256AndVerifiesWithThePublicKey() throws Exception {
        String token = tokens.token("arbor-admin").sign();

        String[] parts = token.split("\\.", -1);
        assertEquals(3, parts.length, token);
        for (String part : parts) {
            assertTrue(BASE64URL.matcher(part).matches(), "base64url without padding: " + part);
        }
        assertEquals(
                Json.createObjectBuilder().add("alg", "RS256").add("typ", "JWT").build(),
                json(parts[0]));
        assertTrue(verifies(token, keys.getPublic()));
    }

    @Test
    void theClaimsAreThoseApiMdNames() {
        JsonObject claims =
                payload(
                        tokens.token("arbor-reader", "arbor-writer")
                                .subject("ada")
                                .tenant("t1")
                                .ttl(Duration.ofMinutes(5))
                                .sign());

        assertEquals("arbor-dev", claims.getString("iss"));
        assertEquals("ada", claims.getString("sub"));
        assertEquals("ada", claims.getString("upn"));
        assertEquals(
                Json.createArrayBuilder().add("arbor-reader").add("arbor-writer").build(),
                claims.getJsonArray("groups"));
        assertEquals("t1", claims.getString("tenant"));
        assertEquals(NOW.getEpochSecond(), claims.getJsonNumber("iat").longValue());
        assertEquals(NOW.getEpochSecond() + 300, claims.getJsonNumber("exp").longValue());
        assertFalse(claims.getString("jti").isBlank());
    }

    @Test
    void aTokenWithoutTenantHasNoTenantClaimAndLivesAnHour() {
        JsonObject claims = payload(tokens.token("arbor-admin").sign());

        assertFalse(claims.containsKey("tenant"), claims.toString());
        assertEquals(3600, claims.getJsonNumber("exp").longValue() - NOW.getEpochSecond());
    }

    @Test
    void everyTokenHasItsOwnId() {
        assertNotEquals(
                payload(tokens.token("arbor-admin").sign()).getString("jti"),
                payload(tokens.token("arbor-admin").sign()).getString("jti"));
    }

    @Test
    void aTokenWithNoGroupsIsValidButGrantsNothing() {
        String token = tokens.token().sign();

        assertTrue(verifies(token, keys.getPublic()));
        assertTrue(payload(token).getJsonArray("groups").isEmpty());
    }

    @Test
    void anExpiredTokenExpiredAnHourAgo() {
        String token = tokens.token("arbor-admin").sign(Flaw.EXPIRED);

        assertTrue(verifies(token, keys.getPublic()), "only its time is wrong");
        assertEquals(
                NOW.minus(Duration.ofHours(1)).getEpochSecond(),
                payload(token).getJsonNumber("exp").longValue());
    }

    @Test
    void aWrongIssuerIsTheOnlyFlawOfThatToken() {
        String token = tokens.token("arbor-admin").sign(Flaw.WRONG_ISSUER);

        assertTrue(verifies(token, keys.getPublic()));
        assertEquals("not-arbor-dev", payload(token).getString("iss"));
    }

    @Test
    void algNoneHasNoSignature() {
        String token = tokens.token("arbor-admin").sign(Flaw.ALG_NONE);

        assertTrue(token.endsWith("."), token);
        assertEquals("none", json(token.split("\\.")[0]).getString("alg"));
        assertEquals("arbor-dev", payload(token).getString("iss"));
    }

    @Test
    void anotherKeysSignatureDoesNotVerify() {
        String token = tokens.token("arbor-admin").sign(Flaw.OTHER_KEY);

        assertEquals("RS256", json(token.split("\\.")[0]).getString("alg"));
        assertFalse(verifies(token, keys.getPublic()));
    }

    @Test
    void aBadSignatureDoesNotVerifyThoughItsClaimsAreValid() {
        String token = tokens.token("arbor-admin").sign(Flaw.BAD_SIGNATURE);

        assertFalse(verifies(token, keys.getPublic()));
        assertEquals("arbor-dev", payload(token).getString("iss"));
        assertTrue(payload(token).getJsonNumber("exp").longValue() > NOW.getEpochSecond());
    }

    @Test
    void aPkcs8PemFileIsRead(@TempDir Path dir) throws Exception {
        String token = DevelopmentTokens.fromPemFile(writeKey(dir)).token("arbor-admin").sign();

        assertTrue(verifies(token, keys.getPublic()));
    }

    @Test
    void aPkcs1PemFileIsRefusedWithTheCommandThatConvertsIt(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("rsa.pem");
        Files.writeString(pem, pem("RSA PRIVATE KEY", new byte[] {1, 2, 3}));

        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> DevelopmentTokens.fromPemFile(pem));
        assertTrue(e.getMessage().contains("openssl pkcs8 -topk8"), e.getMessage());
    }

    @Test
    void aFileWithoutAKeyIsRefused(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("public.pem");
        Files.writeString(pem, pem("PUBLIC KEY", keys.getPublic().getEncoded()));

        assertThrows(IllegalArgumentException.class, () -> DevelopmentTokens.fromPemFile(pem));
    }

    @Test
    void theLocalKeyIsWhereTheRunCommandKeepsIt() {
        assertEquals(
                Path.of("/src/arbor/.arbor/dev-keys/private.pem"),
                DevelopmentTokens.localKey(Path.of("/src/arbor")));
    }

    @Test
    void aToolSendsArborTokenWhenItIsSet(@TempDir Path dir) throws Exception {
        Path pem = writeKey(dir);

        assertEquals(
                Optional.of("given"),
                DevelopmentTokens.toolToken(" given\n", pem, Duration.ofHours(1)));
    }

    @Test
    void aToolWithoutArborTokenMintsAnAdminTokenWithTheDevelopmentKey(@TempDir Path dir)
            throws Exception {
        String token =
                DevelopmentTokens.toolToken(null, writeKey(dir), Duration.ofHours(1)).orElseThrow();

        assertTrue(verifies(token, keys.getPublic()));
        assertEquals(
                Json.createArrayBuilder().add("arbor-admin").build(),
                payload(token).getJsonArray("groups"));
    }

    @Test
    void aToolWithoutTokenOrKeySendsNone(@TempDir Path dir) {
        assertEquals(
                Optional.empty(),
                DevelopmentTokens.toolToken("", dir.resolve("absent.pem"), Duration.ofHours(1)));
    }

    @Test
    void aNonPositiveTtlIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> tokens.token().ttl(Duration.ZERO));
    }

    private static Path writeKey(Path dir) throws Exception {
        Path pem = dir.resolve("private.pem");
        Files.writeString(pem, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        return pem;
    }

    static boolean verifies(String token, PublicKey key) {
        int dot = token.lastIndexOf('.');
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(key);
            rs256.update(token.substring(0, dot).getBytes(StandardCharsets.US_ASCII));
            return rs256.verify(Base64.getUrlDecoder().decode(token.substring(dot + 1)));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static JsonObject payload(String token) {
        return json(token.split("\\.")[1]);
    }

    private static JsonObject json(String part) {
        String text = new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
        return Json.createReader(new StringReader(text)).readObject();
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN "
                + label
                + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END "
                + label
                + "-----\n";
    }
}
