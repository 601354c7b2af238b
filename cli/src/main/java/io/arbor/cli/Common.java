package io.arbor.cli;

import io.arbor.client.ArborClient;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every command takes: where Arbor is, who is asking, and how to print. */
final class Common {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--url",
            defaultValue = "${env:ARBOR_URL:-http://localhost:8080}",
            description =
                    "Arbor's base URL (default: $ARBOR_URL or http://localhost:8080; /arbor/api is"
                            + " added when the URL has no path)")
    URI url;

    @Option(
            names = "--token",
            paramLabel = "JWT",
            description =
                    "The bearer token sent with every request. Default: $ARBOR_TOKEN, else the"
                            + " file ${sys:arbor.checkout:-.}/.arbor/token (server-config/run.sh"
                            + " writes an admin token there). `arbor token` mints one for a"
                            + " development server.")
    String token;

    @Option(names = "--json", description = "Print JSON (one object per line) instead of tables")
    boolean json;

    /** Where the token sent came from, for the message after a 401 or 403; null before. */
    private Token sent;

    /** A token and where it was found ({@code --token}, {@code $ARBOR_TOKEN}, a file). */
    record Token(String value, String source) {
        static final Token NONE = new Token(null, "no token");
    }

    /** The first of: {@code --token}, {@code environment} ($ARBOR_TOKEN), the token file. */
    static Token token(String option, String environment, Path file) {
        if (option != null && !option.isBlank()) {
            return new Token(option.strip(), "the token given with --token");
        }
        if (environment != null && !environment.isBlank()) {
            return new Token(environment.strip(), "the token in $ARBOR_TOKEN");
        }
        if (Files.isRegularFile(file)) {
            try {
                String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
                if (!text.isEmpty()) {
                    return new Token(text, "the token in " + file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the token file " + file + ": " + e, e);
            }
        }
        return Token.NONE;
    }

    /**
     * The tenant a bearer token acts for, read (not verified: the server does that) from its {@code
     * tenant} claim: {@code default} without a token or without the claim, as the server reads it;
     * null when the token is not a JWT this can read.
     */
    static String tenantClaim(String token) {
        if (token == null) {
            return "default";
        }
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonObject claims =
                    ArborClient.parseObject(
                            new String(
                                    Base64.getUrlDecoder().decode(parts[1]),
                                    StandardCharsets.UTF_8));
            return claims.getString("tenant", "default");
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** The tenant of the token this command will send (see {@link #tenantClaim}). */
    String tokenTenant() {
        return tenantClaim(token(token, System.getenv("ARBOR_TOKEN"), tokenFile()).value());
    }

    /** The token file that {@code server-config/run.sh} writes: {@code .arbor/token}. */
    static Path tokenFile() {
        return ArborCli.checkout().resolve(".arbor").resolve("token");
    }

    /** The token this command sent and where it came from ({@link Token#NONE} before any). */
    Token sent() {
        return sent == null ? Token.NONE : sent;
    }

    /** A client builder for the server at {@code --url}, sending the token. */
    ArborClient.Builder clientBuilder() {
        sent = token(token, System.getenv("ARBOR_TOKEN"), tokenFile());
        return ArborClient.builder(url).token(sent.value());
    }

    ArborClient client() {
        return clientBuilder().build();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
