package io.arbor.cli;

import io.arbor.archive.ArchiveVerifier;
import jakarta.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code arbor archive verify}: the archive directory's files (docs/archive.md). */
@Command(
        name = "archive",
        mixinStandardHelpOptions = true,
        description = {
            "The archive tier's files: old global-log ranges as compressed segments with manifests"
                    + " in a directory (docs/archive.md)."
        },
        subcommands = {ArchiveCommand.Verify.class})
final class ArchiveCommand {

    /** {@code arbor archive verify --dir D}: offline, no server, no database. */
    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = {
                "Check an archive directory without a server: every manifest reads and no two"
                        + " segments overlap; every data file has its manifest's size and SHA-256;"
                        + " every block its SHA-256, and decodes (gzip, one event a line) to the"
                        + " positions and count its manifest says, in increasing order inside the"
                        + " segment's range; each segment's count, tenants, recording times and"
                        + " streams' version ranges are its manifest's; each stream's versions"
                        + " follow one another without a gap (removals take a stream's prefix,"
                        + " never a hole); and every hash link a segment holds both ends of (a stream's"
                        + " version 1, or two consecutive versions) is recomputed"
                        + " (docs/tamper-evidence.md).",
                "Files ending in .partial and data files without a manifest are interrupted"
                        + " writes: listed as leftovers, not anomalies (no reader takes them for"
                        + " part of the archive; the next write of the range replaces them).",
                "Prints each anomaly and a summary; exits 1 on any anomaly, 2 for bad usage (no"
                        + " such directory), 4 when the directory cannot be read."
            })
    static final class Verify implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--dir", required = true, description = "the archive directory")
        Path dir;

        @Option(names = "--json", description = "Print one JSON object instead of a table")
        boolean json;

        @Override
        public Integer call() {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("archive verify: no directory " + dir);
            }
            PrintWriter out = spec.commandLine().getOut();
            long started = System.nanoTime();
            ArchiveVerifier.Report report;
            try {
                report = ArchiveVerifier.verify(dir);
            } catch (IOException unreadable) {
                spec.commandLine()
                        .getErr()
                        .println("arbor archive verify: cannot read " + dir + ": " + unreadable);
                return ArborCli.UNAVAILABLE;
            }
            double seconds = Math.round((System.nanoTime() - started) / 1e8) / 10.0;
            if (json) {
                out.println(
                        Json.createObjectBuilder()
                                .add("directory", dir.toString())
                                .add("segments", report.segments())
                                .add("blocks", report.blocks())
                                .add("events", report.events())
                                .add("bytes", report.bytes())
                                .add("hashLinks", report.hashLinks())
                                .add("leftovers", Json.createArrayBuilder(report.leftovers()))
                                .add("anomalies", report.anomalyCount())
                                .add("anomalyList", Json.createArrayBuilder(report.anomalies()))
                                .add("seconds", seconds)
                                .build());
            } else {
                report.anomalies().forEach(anomaly -> out.println("ANOMALY " + anomaly));
                if (report.anomalyCount() > report.anomalies().size()) {
                    out.println(
                            "… and "
                                    + (report.anomalyCount() - report.anomalies().size())
                                    + " more");
                }
                report.leftovers().forEach(leftover -> out.println("LEFTOVER " + leftover));
                new Table("CHECK", "VALUE")
                        .row("directory", dir)
                        .row("segments", report.segments())
                        .row("blocks", report.blocks())
                        .row("events", report.events())
                        .row("bytes", report.bytes())
                        .row("hashLinks", report.hashLinks())
                        .row("leftovers", report.leftovers().size())
                        .row("anomalies", report.anomalyCount())
                        .row("seconds", seconds)
                        .print(out);
                out.println(report.ok() ? "archive verify: OK" : "archive verify: FAILED");
            }
            out.flush();
            return report.ok() ? 0 : ArborCli.ANOMALY;
        }
    }
}
