package io.arbor.cli;

import io.arbor.client.ArborClient;
import io.arbor.client.LogFilter;
import io.arbor.client.RecordedEvent;
import io.arbor.client.StreamSummary;
import jakarta.json.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code arbor export --out FILE.ndjson [--category --after]}. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Write events to an NDJSON file, one api.md EVENT object per line, in global-log order"
                    + " (so each stream's events appear in version order). `arbor import` reads it.",
            "The file is written to FILE.partial and renamed when complete. Prints a summary line"
                    + " (with --json, one object: exported, file, after, lastPosition); progress"
                    + " goes to stderr."
        })
final class ExportCommand implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--out", required = true, description = "the NDJSON file to write")
    Path out;

    @Option(names = "--category", description = "only events of streams in this category")
    String category;

    @Option(
            names = "--after",
            description = "only events after this global position (default 0: all)")
    long after;

    @Override
    public Integer call() throws IOException {
        // The stored form, with each event's hash: what an import must re-append to reproduce the
        // same chains (docs/tamper-evidence.md).
        ArborClient client = common.clientBuilder().storedForm(true).build();
        // The total for the ETA: every stream's version (exact for --after 0; an upper bound else).
        long total = client.listStreams(category).mapToLong(StreamSummary::version).sum();
        Progress progress = new Progress(common.err(), "export", total);
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        long lastPosition = after;
        try (BufferedWriter writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            for (RecordedEvent event :
                    (Iterable<RecordedEvent>)
                            client.readAll(after, new LogFilter(category, null))::iterator) {
                writer.write(ArborClient.toJson(event).toString());
                writer.write('\n');
                lastPosition = event.globalPosition();
                progress.advance(1);
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
                                    .build());
        } else {
            common.out()
                    .printf(
                            "exported %d events to %s (last position %d; continue with --after"
                                    + " %d)%n",
                            progress.done(), out, lastPosition, lastPosition);
        }
        common.out().flush();
        return 0;
    }
}
