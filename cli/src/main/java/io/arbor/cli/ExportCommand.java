package io.arbor.cli;

import io.arbor.client.ArborClient;
import io.arbor.client.LogFilter;
import io.arbor.client.RecordedEvent;
import io.arbor.client.StreamSummary;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code arbor export --out FILE.ndjson [--category --after]}. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Write events to an NDJSON file (format 2): a header line {\"arborExport\":2,…}, then"
                    + " one api.md EVENT object per line, in global-log order (so each stream's"
                    + " events appear in version order), then one {\"stream\":{…}} line per stream"
                    + " with a lifecycle: retention metadata, soft or hard delete, or a first"
                    + " version past 1 with the hash its chain continues from (docs/lifecycle.md)."
                    + " `arbor import` reads it (and format 1: events only, no header).",
            "The lifecycle lines come from the database (--db-url or $ARBOR_DB_URL, --tenant):"
                    + " deleted streams are not in the API. Without a database, or with --after"
                    + " (a continuation), the file has none and its header says so; an import of it"
                    + " cannot recreate deleted or truncated streams.",
            "The file is written to FILE.partial and renamed when complete. Prints a summary line"
                    + " (with --json, one object: exported, file, after, lastPosition); progress"
                    + " goes to stderr."
        })
final class ExportCommand implements Callable<Integer> {
    /** The file format: 2 since stream lifecycle (a header and lifecycle lines); 1 had neither. */
    static final int FORMAT = 2;

    @Mixin Common common;
    @Mixin DbOptions db;

    @Option(
            names = "--tenant",
            defaultValue = "default",
            description =
                    "the tenant the API shows (the token's tenant claim; default: ${DEFAULT-VALUE}):"
                            + " whose stream rows the lifecycle lines are read from")
    String tenant;

    @Option(names = "--out", required = true, description = "the NDJSON file to write")
    Path out;

    @Option(names = "--category", description = "only events of streams in this category")
    String category;

    @Option(
            names = "--after",
            description = "only events after this global position (default 0: all)")
    long after;

    @Option(
            names = "--archive-dir",
            defaultValue = "${env:ARBOR_ARCHIVE_DIR}",
            description =
                    "the archive directory (the server's arbor.archive.dir; default:"
                            + " $ARBOR_ARCHIVE_DIR): where the hash seeding a stream's lifecycle"
                            + " record is read when only the archive holds that event. Needed"
                            + " only then; without it such an export fails and says so")
    Path archiveDir;

    @Override
    public Integer call() throws IOException, SQLException {
        // The stored form, with each event's hash: what an import must re-append to reproduce the
        // same chains (docs/tamper-evidence.md).
        ArborClient client = common.clientBuilder().storedForm(true).build();
        // The total for the ETA: every stream's version (exact for --after 0; an upper bound else).
        long total = client.listStreams(category).mapToLong(StreamSummary::version).sum();
        Progress progress = new Progress(common.err(), "export", total);
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        long lastPosition = after;
        // Lifecycle lines describe whole streams: a continuation (--after) starts mid-stream.
        String lifecycle =
                after > 0
                        ? "not exported (--after)"
                        : db.given() ? "exported" : "not exported (no database)";
        Map<String, Long> firstExported = new HashMap<>();
        int records = 0;
        try (BufferedWriter writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            JsonObjectBuilder header =
                    Json.createObjectBuilder()
                            .add("arborExport", FORMAT)
                            .add("after", after)
                            .add("lifecycle", lifecycle);
            writer.write(
                    (category == null ? header : header.add("category", category))
                            .build()
                            .toString());
            writer.write('\n');
            for (RecordedEvent event :
                    (Iterable<RecordedEvent>)
                            client.readAll(after, new LogFilter(category, null))::iterator) {
                writer.write(ArborClient.toJson(event).toString());
                writer.write('\n');
                firstExported.putIfAbsent(event.streamId(), event.version());
                lastPosition = event.globalPosition();
                progress.advance(1);
            }
            if (lifecycle.equals("exported")) {
                // After the events: where each stream starts in the file is what they show.
                try (Connection connection = db.connect()) {
                    for (LifecycleRecord record :
                            LifecycleRecord.read(
                                    connection,
                                    tenant,
                                    category,
                                    firstExported,
                                    new ArchiveHashes(archiveDir))) {
                        writer.write(record.toJson().toString());
                        writer.write('\n');
                        records++;
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Files.move(
                partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        progress.total(progress.done());
        progress.finish();
        if (common.json) {
            common.out()
                    .println(
                            Json.createObjectBuilder()
                                    .add("exported", progress.done())
                                    .add("file", out.toString())
                                    .add("after", after)
                                    .add("lastPosition", lastPosition)
                                    .add("lifecycle", lifecycle)
                                    .add("streamRecords", records)
                                    .build());
        } else {
            common.out()
                    .printf(
                            "exported %d events to %s (last position %d; continue with --after"
                                    + " %d); stream lifecycle %s (%d streams)%n",
                            progress.done(), out, lastPosition, lastPosition, lifecycle, records);
        }
        common.out().flush();
        return 0;
    }
}
