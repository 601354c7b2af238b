package io.arbor.cli;

import io.arbor.client.ArborClient;
import jakarta.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** One in-process run of the command line: its exit status, stdout and stderr. */
record CliRun(int status, String out, String err) {
    static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var line = ArborCli.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        return new CliRun(line.execute(args), out.toString(), err.toString());
    }

    /** The stdout lines that are JSON objects. */
    List<JsonObject> json() {
        return out.lines().filter(l -> l.startsWith("{")).map(ArborClient::parseObject).toList();
    }
}
