package io.arbor.cli;

import io.arbor.client.ArborClient;
import java.io.PrintWriter;
import java.net.URI;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every command takes: where Arbor is, and how to print. */
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

    @Option(names = "--json", description = "Print JSON (one object per line) instead of tables")
    boolean json;

    ArborClient client() {
        return ArborClient.connect(url);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
