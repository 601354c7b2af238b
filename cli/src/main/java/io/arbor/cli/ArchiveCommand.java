package io.arbor.cli;

import io.arbor.archive.ArchiveVerifier;
import io.arbor.client.ArchiveCatalogue;
import io.arbor.client.ArchiveJob;
import io.arbor.client.ArchiveRange;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arbor archive list | run | restore | verify}: the archive tier (docs/archive.md). {@code
 * verify} reads the files offline; the others ask the server (an admin's calls).
 */
@Command(
        name = "archive",
        mixinStandardHelpOptions = true,
        description = {
            "The archive tier's files: old global-log ranges as compressed segments with manifests"
                    + " in a directory (docs/archive.md)."
        },
        subcommands = {
            ArchiveCommand.ListRanges.class,
            ArchiveCommand.Run.class,
            ArchiveCommand.Restore.class,
            ArchiveCommand.Verify.class
        })
final class ArchiveCommand {

    /** {@code arbor archive list}: the catalogue. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = {
                "List every range of the global log and where its events are: attached (PostgreSQL"
                        + " only), archived (a verified segment, and still PostgreSQL) or detached"
                        + " (the archive alone), with each segment's events, bytes and SHA-256."
            })
    static final class ListRanges implements Callable<Integer> {
        @Mixin Common common;

        @Override
        public Integer call() {
            ArchiveCatalogue catalogue = common.client().archiveCatalogue();
            PrintWriter out = common.out();
            if (common.json) {
                JsonArrayBuilder ranges = Json.createArrayBuilder();
                for (ArchiveRange range : catalogue.ranges()) {
                    JsonObjectBuilder json =
                            Json.createObjectBuilder()
                                    .add("from", range.from())
                                    .add("to", range.to())
                                    .add("state", range.state());
                    optional(json, "stateChangedAt", range.stateChangedAt());
                    optional(json, "events", range.events());
                    optional(json, "bytes", range.bytes());
                    optional(json, "sha256", range.sha256());
                    optional(json, "maxRecordedAt", range.maxRecordedAt());
                    ranges.add(json);
                }
                JsonObjectBuilder json =
                        Json.createObjectBuilder().add("configured", catalogue.configured());
                optional(json, "dir", catalogue.dir());
                out.println(
                        json.add("graceSeconds", catalogue.graceSeconds())
                                .add("ranges", ranges)
                                .build());
            } else {
                out.println(
                        catalogue.configured()
                                ? "archive directory " + catalogue.dir()
                                : "archive not configured (arbor.archive.dir is empty)");
                Table table =
                        new Table(
                                "FROM", "TO", "STATE", "SINCE", "EVENTS", "BYTES", "NEWEST EVENT");
                for (ArchiveRange range : catalogue.ranges()) {
                    table.row(
                            range.from(),
                            range.to(),
                            range.state(),
                            orDash(range.stateChangedAt()),
                            orDash(range.events()),
                            orDash(range.bytes()),
                            orDash(range.maxRecordedAt()));
                }
                table.print(out);
            }
            out.flush();
            return 0;
        }
    }

    /** {@code arbor archive run [--below-position N] [--wait]}. */
    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = {
                "Start an archiver run: the sealed ranges whose events are all hashed and that end at"
                        + " or below --below-position (without it: those older than the server's"
                        + " arbor.archive.older-than-days) are written to the archive, and a grace"
                        + " later (arbor.archive.grace-seconds) their partitions are dropped."
                        + " Prints the job; exit 1 when it failed."
            })
    static final class Run implements Callable<Integer> {
        @Mixin Common common;

        @Option(
                names = "--below-position",
                paramLabel = "N",
                description = "Archive the ranges ending at or below this position")
        Long belowPosition;

        @Option(names = "--wait", description = "Wait for the job to end (polls each second)")
        boolean await;

        @Override
        public Integer call() throws InterruptedException {
            if (belowPosition != null && belowPosition < 0) {
                throw new IllegalArgumentException(
                        "archive run: --below-position is a position, at least 0");
            }
            return follow(common, common.client().runArchiver(belowPosition), await);
        }
    }

    /** {@code arbor archive restore --from N [--wait]}. */
    @Command(
            name = "restore",
            mixinStandardHelpOptions = true,
            description = {
                "Start the restore of one range into PostgreSQL: an archived range's rows never"
                        + " left; a detached one's partition is recreated from its segment, byte for"
                        + " byte. Prints the job; exit 1 when it failed."
            })
    static final class Restore implements Callable<Integer> {
        @Mixin Common common;

        @Option(
                names = "--from",
                required = true,
                paramLabel = "N",
                description = "The range's first position (arbor archive list)")
        long from;

        @Option(names = "--wait", description = "Wait for the job to end (polls each second)")
        boolean await;

        @Override
        public Integer call() throws InterruptedException {
            if (from < 0) {
                throw new IllegalArgumentException(
                        "archive restore: --from is a position, at least 0");
            }
            return follow(common, common.client().restoreArchivedRange(from), await);
        }
    }

    /** Prints the job, and with {@code await} each change until it ends; 1 when it failed. */
    static int follow(Common common, ArchiveJob job, boolean await) throws InterruptedException {
        print(common, job);
        while (await && !job.finished()) {
            Thread.sleep(1000);
            ArchiveJob now = common.client().archiveJob(job.jobId());
            if (!now.equals(job)) {
                print(common, now);
            }
            job = now;
        }
        return job.state().equals("failed") ? ArborCli.ANOMALY : 0;
    }

    private static void print(Common common, ArchiveJob job) {
        PrintWriter out = common.out();
        if (common.json) {
            JsonObjectBuilder json =
                    Json.createObjectBuilder()
                            .add("jobId", job.jobId().toString())
                            .add("kind", job.kind())
                            .add("state", job.state());
            optional(json, "position", job.position());
            json.add("requestedAt", job.requestedAt().toString());
            optional(json, "finishedAt", job.finishedAt());
            json.add("archived", job.archived())
                    .add("detached", job.detached())
                    .add("restored", job.restored())
                    .add("skipped", job.skipped())
                    .add("events", job.events());
            optional(json, "failure", job.failure());
            out.println(json.build());
        } else {
            out.println(
                    job.kind()
                            + " job "
                            + job.jobId()
                            + " "
                            + job.state()
                            + ": "
                            + job.archived()
                            + " archived, "
                            + job.detached()
                            + " detached, "
                            + job.restored()
                            + " restored, "
                            + job.skipped()
                            + " skipped, "
                            + job.events()
                            + " events"
                            + (job.failure() == null ? "" : " (" + job.failure() + ")"));
        }
        out.flush();
    }

    private static void optional(JsonObjectBuilder json, String name, Object value) {
        if (value == null) {
            json.addNull(name);
        } else if (value instanceof Long number) {
            json.add(name, number);
        } else {
            json.add(name, value.toString());
        }
    }

    private static Object orDash(Object value) {
        return value == null ? "-" : value;
    }

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
