package io.arbor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.client.DevelopmentTokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code arbor token}, and where every other command finds the token it sends. */
class TokenCommandTest {
    @TempDir static Path dir;

    private static KeyPair keys;
    private static Path key;

    @BeforeAll
    static void key() throws Exception {
        keys = DevelopmentTokens.generateKeyPair();
        key = dir.resolve("private.pem");
        Files.writeString(
                key,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
    }

    private static CliRun token(String... args) {
        List<String> all = new ArrayList<>(List.of("token", "--key", key.toString()));
        all.addAll(List.of(args));
        return CliRun.run(all.toArray(String[]::new));
    }

    private static JsonObject claims(String token) {
        String payload = token.split("\\.")[1];
        return Json.createReader(
                        new StringReader(
                                new String(
                                        Base64.getUrlDecoder().decode(payload),
                                        StandardCharsets.UTF_8)))
                .readObject();
    }

    @Test
    void printsASignedTokenWithTheGroupsTenantSubjectAndTtlAsked() throws Exception {
        CliRun run =
                token(
                        "--groups", "arbor-reader,arbor-writer",
                        "--tenant", "t1",
                        "--subject", "ada",
                        "--ttl-seconds", "60");
        assertEquals(0, run.status(), run.err());
        String token = run.out().strip();
        assertEquals(1, run.out().lines().count(), "the token alone, for $(…)");

        JsonObject claims = claims(token);
        assertEquals("arbor-dev", claims.getString("iss"));
        assertEquals("ada", claims.getString("sub"));
        assertEquals("t1", claims.getString("tenant"));
        assertEquals(
                Json.createArrayBuilder().add("arbor-reader").add("arbor-writer").build(),
                claims.getJsonArray("groups"));
        assertEquals(
                60,
                claims.getJsonNumber("exp").longValue() - claims.getJsonNumber("iat").longValue());

        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(keys.getPublic());
        rs256.update(
                token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII));
        assertTrue(
                rs256.verify(
                        Base64.getUrlDecoder()
                                .decode(token.substring(token.lastIndexOf('.') + 1))));
    }

    @Test
    void jsonOutputCarriesTheTokenAndWhatItSays() {
        CliRun run = token("--groups", "arbor-admin", "--json");
        assertEquals(0, run.status(), run.err());
        JsonObject out = run.json().get(0);
        assertEquals(
                List.of("arbor-admin"),
                out.getJsonArray("groups").getValuesAs(jakarta.json.JsonString::getString));
        assertEquals(3600, out.getInt("ttlSeconds"));
        assertEquals(
                "arbor-admin", claims(out.getString("token")).getJsonArray("groups").getString(0));
    }

    @Test
    void anUnknownRoleIsBadUsageNamingTheRoles() {
        CliRun run = token("--groups", "admin");
        assertEquals(2, run.status());
        assertTrue(run.err().contains("arbor-reader, arbor-writer, arbor-admin"), run.err());
    }

    @Test
    void aMalformedTenantIsBadUsage() {
        assertEquals(2, token("--groups", "arbor-admin", "--tenant", "Tenant_1").status());
    }

    @Test
    void aMissingKeySaysWhoCreatesIt() {
        CliRun run =
                CliRun.run(
                        "token",
                        "--groups",
                        "arbor-admin",
                        "--key",
                        dir.resolve("no.pem").toString());
        assertEquals(2, run.status());
        assertTrue(run.err().contains("server-config/run.sh creates it"), run.err());
    }

    @Test
    void theTokenIsTakenFromTheOptionThenTheEnvironmentThenTheFile() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "from-file\n");
        assertEquals(
                new Common.Token("from-option", "the token given with --token"),
                Common.token("from-option", "from-env", file));
        assertEquals(
                new Common.Token("from-env", "the token in $ARBOR_TOKEN"),
                Common.token(null, "from-env", file));
        assertEquals(
                new Common.Token("from-file", "the token in " + file),
                Common.token(null, "", file));
        assertEquals(Common.Token.NONE, Common.token(null, null, dir.resolve("absent")));
    }

    @Test
    void everyCommandThatCallsTheServerTakesAToken() {
        List<String> without = new ArrayList<>();
        ArrayDeque<CommandLine> lines = new ArrayDeque<>(List.of(ArborCli.commandLine()));
        while (!lines.isEmpty()) {
            CommandLine line = lines.removeFirst();
            lines.addAll(line.getSubcommands().values());
            if (line.getCommandSpec().findOption("--url") != null
                    && line.getCommandSpec().findOption("--token") == null) {
                without.add(line.getCommandSpec().qualifiedName());
            }
        }
        assertEquals(List.of(), without);
    }
}
