package io.arbor.cli;

import io.arbor.client.StreamSummary;
import jakarta.json.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code arbor streams list}. */
@Command(
        name = "streams",
        description = "Streams of the store.",
        mixinStandardHelpOptions = true,
        subcommands = {StreamsCommand.ListStreams.class})
final class StreamsCommand {

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List streams in id order, with their version and last append.")
    static final class ListStreams implements Callable<Integer> {
        @Mixin Common common;

        @Option(names = "--category", description = "only streams of this category")
        String category;

        @Option(names = "--limit", description = "at most this many (default: all)")
        long limit = Long.MAX_VALUE;

        @Override
        public Integer call() {
            Table table = new Table("STREAM", "CATEGORY", "VERSION", "CREATED", "UPDATED");
            long[] count = {0};
            common.client()
                    .listStreams(category)
                    .limit(limit)
                    .forEach(
                            s -> {
                                count[0]++;
                                if (common.json) {
                                    common.out().println(json(s));
                                } else {
                                    table.row(
                                            s.streamId(),
                                            s.category(),
                                            s.version(),
                                            s.createdAt(),
                                            s.updatedAt());
                                }
                            });
            if (!common.json) {
                table.print(common.out());
                common.out().println(count[0] + " stream" + (count[0] == 1 ? "" : "s"));
            }
            common.out().flush();
            return 0;
        }

        private static String json(StreamSummary s) {
            return Json.createObjectBuilder()
                    .add("streamId", s.streamId())
                    .add("category", s.category())
                    .add("version", s.version())
                    .add("createdAt", s.createdAt().toString())
                    .add("updatedAt", s.updatedAt().toString())
                    .build()
                    .toString();
        }
    }
}
