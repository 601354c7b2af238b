package io.arbor.cli;

import io.arbor.client.ArborProblemException;
import io.arbor.client.ArborProtocolException;
import io.arbor.client.ArborUnavailableException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code arbor}: the operations tool. {@code arbor --help} lists the commands. */
@Command(
        name = "arbor",
        mixinStandardHelpOptions = true,
        version = "arbor 1.0",
        description =
                "Operate an Arbor event store: inspect, tail, consumer groups, export/import, verify,"
                        + " archive files, migrate; mint development tokens. Requests carry the token of --token,"
                        + " else $ARBOR_TOKEN, else the file ${sys:arbor.checkout:-.}/.arbor/token.",
        subcommands = {
            StreamsCommand.class,
            StreamCommand.class,
            EventCommand.class,
            SnapshotCommand.class,
            TailCommand.class,
            GroupsCommand.class,
            ScavengeCommand.class,
            ExportCommand.class,
            ImportCommand.class,
            VerifyCommand.class,
            ArchiveCommand.class,
            DbCommand.class,
            TokenCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:verify (or archive verify) found an anomaly, import refused a file, or a scavenge job failed",
            "2:bad usage",
            "3:the server answered with a problem (4xx/5xx)",
            "4:the server or database stayed unreachable, or the archive directory cannot be read",
            "5:an unexpected failure (a bug, or an answer the CLI does not understand)"
        })
public final class ArborCli implements Runnable {
    /** Exit status of a command that found something wrong (verify, import). */
    static final int ANOMALY = 1;

    static final int PROBLEM = 3;
    static final int UNAVAILABLE = 4;

    /**
     * Exit status of a failure nobody planned for. Distinct from {@link #ANOMALY}: a script reading
     * exit 1 as "verify found an anomaly" was told so when verify had died of a
     * NullPointerException (issue 13).
     */
    static final int UNEXPECTED = 5;

    /**
     * Liquibase logs every step at INFO through java.util.logging; the db commands print what
     * matters themselves. Held in a field: JUL keeps loggers only weakly.
     */
    private static final java.util.logging.Logger LIQUIBASE_LOG =
            java.util.logging.Logger.getLogger("liquibase");

    static {
        LIQUIBASE_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command line wired with Arbor's error handling; tests run commands through it. */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new ArborCli());
        line.setExecutionExceptionHandler(
                (failure, commandLine, parsed) -> {
                    PrintWriter err = commandLine.getErr();
                    if (failure instanceof ArborProblemException problem) {
                        err.println("arbor: " + problem.getMessage());
                        String advice = tokenAdvice(problem, commandLine);
                        if (advice != null) {
                            err.println(advice);
                        }
                        return PROBLEM;
                    }
                    if (failure instanceof ArborProtocolException protocol) {
                        // an answer, though not one api.md allows: like a problem, not an outage
                        err.println("arbor: " + protocol.getMessage());
                        return PROBLEM;
                    }
                    if (failure instanceof ArborUnavailableException unavailable) {
                        err.println("arbor: " + unavailable.getMessage());
                        return UNAVAILABLE;
                    }
                    if (failure instanceof IllegalArgumentException bad) {
                        err.println("arbor: " + bad.getMessage());
                        return 2;
                    }
                    // One line, never a stack trace: an operator's terminal or a script's log is
                    // no place for one, and the class and message are what a bug report needs.
                    err.println("arbor: unexpected failure: " + failure);
                    return UNEXPECTED;
                });
        return line;
    }

    /**
     * What to do after a 401 or 403, naming the token the command sent; null for other statuses.
     */
    static String tokenAdvice(ArborProblemException problem, CommandLine command) {
        Common.Token sent =
                command.getCommandSpec().mixins().values().stream()
                        .map(CommandLine.Model.CommandSpec::userObject)
                        .filter(Common.class::isInstance)
                        .map(common -> ((Common) common).sent())
                        .findFirst()
                        .orElse(Common.Token.NONE);
        String mint = "export ARBOR_TOKEN=$(bin/arbor token --groups arbor-admin)";
        if (problem.status() == 401) {
            return sent == Common.Token.NONE
                    ? "arbor: the server wants a bearer token, and this request carried none. Pass"
                            + " one with --token or ARBOR_TOKEN; for a development server, mint"
                            + " one: "
                            + mint
                    : "arbor: the server refused "
                            + sent.source()
                            + ": expired, malformed, or not signed by a key it trusts (a"
                            + " development token of another checkout?). For a development"
                            + " server, mint a new one: "
                            + mint;
        }
        if (problem.status() == 403) {
            // The server names the least role the endpoint needs (api.md, 403).
            String role = problem.problem().string("requiredRole");
            String tenant = problem.problem().string("requiredTenant");
            if (role != null && tenant != null) {
                // The store operator's endpoints (/admin/archive*): the role in that tenant.
                return "arbor: "
                        + sent.source()
                        + " is valid, but this request is the store operator's: it needs "
                        + role
                        + " of the tenant "
                        + tenant
                        + ". Use such a token, e.g. bin/arbor token --groups "
                        + role
                        + " (no --tenant)";
            }
            return "arbor: "
                    + sent.source()
                    + " is valid, but its roles do not allow this request"
                    + (role == null
                            ? " (the README's table says which role each endpoint needs)"
                            : ", which needs " + role + " or a higher role")
                    + ". Use a token with that role, e.g. bin/arbor token --groups "
                    + (role == null ? "arbor-admin" : role);
        }
        return null;
    }

    /**
     * The checkout the CLI belongs to, where it finds {@code .arbor/token} and the development key:
     * {@code bin/arbor} passes it as {@code -Darbor.checkout}; else the working directory.
     */
    static Path checkout() {
        return Path.of(System.getProperty("arbor.checkout", ".")).toAbsolutePath().normalize();
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
