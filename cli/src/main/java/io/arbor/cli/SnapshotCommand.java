package io.arbor.cli;

import io.arbor.client.Snapshot;
import jakarta.json.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code arbor snapshot show ID}. */
@Command(
        name = "snapshot",
        description = "Snapshots.",
        mixinStandardHelpOptions = true,
        subcommands = {SnapshotCommand.Show.class})
final class SnapshotCommand {

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show a stream's latest snapshot.")
    static final class Show implements Callable<Integer> {
        @Mixin Common common;

        @Parameters(paramLabel = "ID", description = "the stream id")
        String streamId;

        @Override
        public Integer call() {
            Snapshot snapshot = common.client().latestSnapshot(streamId);
            if (common.json) {
                common.out()
                        .println(
                                Json.createObjectBuilder()
                                        .add("streamId", snapshot.streamId())
                                        .add("version", snapshot.version())
                                        .add("type", snapshot.type())
                                        .add("data", snapshot.data())
                                        .add("createdAt", snapshot.createdAt().toString())
                                        .build());
            } else {
                common.out()
                        .printf(
                                "snapshot of %s at version %d%ntype      %s%ncreated   %s%ndata      %s%n",
                                snapshot.streamId(),
                                snapshot.version(),
                                snapshot.type(),
                                snapshot.createdAt(),
                                EventCommand.pretty(snapshot.data()).replace("\n", "\n          "));
            }
            common.out().flush();
            return 0;
        }
    }
}
