package io.arbor.cli;

import io.arbor.client.DevelopmentTokens;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arbor token --groups arbor-admin [--tenant t1] [--ttl-seconds 3600]}: a development JWT.
 */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = {
            "Mint a development token: an RS256 JWT signed with the key that server-config/run.sh"
                    + " configured the server with (issuer arbor-dev). Prints the token alone,"
                    + " for: export ARBOR_TOKEN=$(bin/arbor token --groups arbor-admin)",
            "Every other command sends --token, else $ARBOR_TOKEN, else the file"
                    + " ${sys:arbor.checkout:-.}/.arbor/token (run.sh writes an admin token"
                    + " there)."
        })
final class TokenCommand implements Callable<Integer> {
    /** A tenant as api.md defines it; the server refuses any other. */
    private static final Pattern TENANT = Pattern.compile("[a-z0-9-]{1,63}");

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--groups",
            required = true,
            split = ",",
            paramLabel = "ROLE",
            description = "Roles, comma-separated: arbor-reader, arbor-writer, arbor-admin")
    List<String> groups;

    @Option(
            names = "--tenant",
            paramLabel = "TENANT",
            description =
                    "The tenant ([a-z0-9-], 1 to 63 characters; default: none, read as"
                            + " the tenant default)")
    String tenant;

    @Option(
            names = "--ttl-seconds",
            paramLabel = "SECONDS",
            defaultValue = "3600",
            description = "How long the token is valid, in seconds (default: ${DEFAULT-VALUE})")
    long ttlSeconds;

    @Option(
            names = "--subject",
            paramLabel = "NAME",
            description =
                    "Who the caller is (sub and upn; events record it as writtenBy)."
                            + " Default: your user name")
    String subject = System.getProperty("user.name", "developer");

    @Option(
            names = "--key",
            paramLabel = "FILE",
            description =
                    "The PKCS#8 PEM RSA private key (default:"
                            + " ${sys:arbor.checkout:-.}/.arbor/dev-keys/private.pem, which"
                            + " server-config/run.sh creates)")
    Path key = DevelopmentTokens.localKey(ArborCli.checkout());

    @Option(names = "--json", description = "Print {token, subject, groups, tenant, ttlSeconds}")
    boolean json;

    @Override
    public Integer call() {
        for (String group : groups) {
            if (!DevelopmentTokens.ROLES.contains(group)) {
                throw new IllegalArgumentException(
                        "--groups: unknown role '"
                                + group
                                + "'; Arbor's roles are "
                                + String.join(", ", DevelopmentTokens.ROLES));
            }
        }
        if (tenant != null && !TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException(
                    "--tenant: '" + tenant + "' is not 1 to 63 characters of [a-z0-9-]");
        }
        if (ttlSeconds < 1) {
            throw new IllegalArgumentException("--ttl-seconds must be positive");
        }
        if (!Files.isRegularFile(key)) {
            throw new IllegalArgumentException(
                    "no development key at "
                            + key
                            + ": server-config/run.sh creates it, or give"
                            + " --key FILE (a PKCS#8 PEM RSA private key)");
        }
        String token =
                DevelopmentTokens.fromPemFile(key)
                        .token(groups)
                        .subject(subject)
                        .tenant(tenant)
                        .ttl(Duration.ofSeconds(ttlSeconds))
                        .sign();
        if (json) {
            JsonObjectBuilder out =
                    Json.createObjectBuilder()
                            .add("token", token)
                            .add("subject", subject)
                            .add("groups", Json.createArrayBuilder(groups));
            if (tenant != null) {
                out.add("tenant", tenant);
            }
            spec.commandLine().getOut().println(out.add("ttlSeconds", ttlSeconds).build());
        } else {
            spec.commandLine().getOut().println(token);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
