package io.arbor.cli;

import io.arbor.client.ArborClient;
import io.arbor.client.Direction;
import io.arbor.client.StreamInfo;
import io.arbor.client.StreamPage;
import jakarta.json.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code arbor stream show ID}. */
@Command(
        name = "stream",
        description = "One stream.",
        mixinStandardHelpOptions = true,
        subcommands = {StreamCommand.Show.class})
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
                                        .build());
                Render.events(common, page.events());
                return 0;
            }
            common.out()
                    .printf(
                            "stream %s  version %d  category %s  created %s  updated %s%n",
                            info.streamId(),
                            info.version(),
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
}
