package io.arbor.cli;

import io.arbor.client.ArborClient;
import io.arbor.client.Direction;
import io.arbor.client.StreamInfo;
import io.arbor.client.StreamMetadata;
import io.arbor.client.StreamPage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code arbor stream show ID}, {@code arbor stream metadata ID}, {@code arbor stream delete ID}.
 */
@Command(
        name = "stream",
        description = "One stream.",
        mixinStandardHelpOptions = true,
        subcommands = {
            StreamCommand.Show.class,
            StreamCommand.Metadata.class,
            StreamCommand.Delete.class
        })
final class StreamCommand {

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show a stream's head and a page of its events.")
    static final class Show implements Callable<Integer> {
        @Mixin Common common;

        @Parameters(paramLabel = "ID", description = "the stream id")
        String streamId;

        @Option(
                names = "--from",
                description = "first version to show (default: 1, or the last with --backward)")
        Long from;

        @Option(names = "--limit", description = "events to show, 1 to 1000 (default: 20)")
        int limit = 20;

        @Option(names = "--backward", description = "newest first")
        boolean backward;

        @Override
        public Integer call() {
            ArborClient client = common.client();
            StreamInfo info = client.streamInfo(streamId);
            StreamPage page =
                    client.readStreamPage(
                            streamId,
                            from,
                            limit,
                            backward ? Direction.BACKWARD : Direction.FORWARD);
            if (common.json) {
                common.out()
                        .println(
                                Json.createObjectBuilder()
                                        .add("streamId", info.streamId())
                                        .add("version", info.version())
                                        .add("createdAt", info.createdAt().toString())
                                        .add("updatedAt", info.updatedAt().toString())
                                        .add("firstVersion", info.firstVersion())
                                        .build());
                Render.events(common, page.events());
                return 0;
            }
            common.out()
                    .printf(
                            "stream %s  version %d%s  category %s  created %s  updated %s%n",
                            info.streamId(),
                            info.version(),
                            info.firstVersion() > 1 ? "  first visible " + info.firstVersion() : "",
                            ArborClient.categoryOf(info.streamId()),
                            info.createdAt(),
                            info.updatedAt());
            Render.events(common, page.events());
            page.next()
                    .ifPresent(
                            next ->
                                    common.out()
                                            .printf(
                                                    "more: arbor stream show %s --from %d%s%n",
                                                    streamId, next, backward ? " --backward" : ""));
            common.out().flush();
            return 0;
        }
    }

    @Command(
            name = "metadata",
            mixinStandardHelpOptions = true,
            description = {
                "Show a stream's metadata, or set it with any of the options.",
                "Setting replaces the whole metadata: a rule not given is cleared."
            })
    static final class Metadata implements Callable<Integer> {
        @Mixin Common common;

        @Parameters(paramLabel = "ID", description = "the stream id")
        String streamId;

        @Option(
                names = "--max-age",
                paramLabel = "S",
                description = "hide events older than S seconds")
        Long maxAge;

        @Option(
                names = "--max-count",
                paramLabel = "N",
                description = "keep only the last N versions visible")
        Long maxCount;

        @Option(
                names = "--truncate-before",
                paramLabel = "V",
                description = "hide the versions below V (at most the stream's version + 1)")
        Long truncateBefore;

        @Option(names = "--custom", paramLabel = "JSON", description = "a JSON object of your own")
        String custom;

        @Override
        public Integer call() {
            ArborClient client = common.client();
            StreamMetadata metadata;
            if (maxAge == null && maxCount == null && truncateBefore == null && custom == null) {
                metadata = client.streamMetadata(streamId);
            } else {
                JsonObject customObject = null;
                if (custom != null) {
                    try {
                        customObject = ArborClient.parseObject(custom);
                    } catch (RuntimeException notAnObject) {
                        throw new IllegalArgumentException(
                                "--custom must be a JSON object: " + custom);
                    }
                }
                metadata =
                        client.setStreamMetadata(
                                streamId,
                                new StreamMetadata(maxAge, maxCount, truncateBefore, customObject));
            }
            if (common.json) {
                JsonObjectBuilder json = Json.createObjectBuilder().add("streamId", streamId);
                addRule(json, "maxAge", metadata.maxAge());
                addRule(json, "maxCount", metadata.maxCount());
                addRule(json, "truncateBefore", metadata.truncateBefore());
                common.out().println(json.add("custom", metadata.custom()).build());
            } else {
                common.out()
                        .printf(
                                "metadata of %s%nmax age          %s%nmax count        %s%ntruncate before  %s%ncustom           %s%n",
                                streamId,
                                metadata.maxAge() == null ? "-" : metadata.maxAge() + " s",
                                metadata.maxCount() == null ? "-" : metadata.maxCount(),
                                metadata.truncateBefore() == null ? "-" : metadata.truncateBefore(),
                                metadata.custom());
            }
            common.out().flush();
            return 0;
        }

        private static void addRule(JsonObjectBuilder json, String name, Long value) {
            if (value == null) {
                json.addNull(name);
            } else {
                json.add(name, value);
            }
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = {
                "Delete a stream (an admin's right).",
                "Soft (the default): its reads answer 404 until the next append, which continues"
                        + " its numbering.",
                "--hard: a tombstone; every read and append of it is refused (410), forever."
            })
    static final class Delete implements Callable<Integer> {
        @Mixin Common common;

        @Parameters(paramLabel = "ID", description = "the stream id")
        String streamId;

        @Option(names = "--hard", description = "delete for ever: the id can never be used again")
        boolean hard;

        @Override
        public Integer call() {
            common.client().deleteStream(streamId, hard);
            if (common.json) {
                common.out()
                        .println(
                                Json.createObjectBuilder()
                                        .add("streamId", streamId)
                                        .add("deleted", hard ? "hard" : "soft")
                                        .build());
            } else {
                common.out().printf("deleted %s (%s)%n", streamId, hard ? "hard" : "soft");
            }
            common.out().flush();
            return 0;
        }
    }
}
