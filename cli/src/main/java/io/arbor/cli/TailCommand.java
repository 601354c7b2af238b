package io.arbor.cli;

import io.arbor.client.ArborClient;
import io.arbor.client.LogFilter;
import io.arbor.client.RecordedEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code arbor tail [--category --type] [--follow]}. */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description = {
            "Print the last events of the global log; with --follow, keep printing new ones as they"
                    + " commit (one line each), until interrupted.",
            "Finds the end by paging through the log from --after (default 0)."
        })
final class TailCommand implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--category", description = "only events of streams in this category")
    String category;

    @Option(names = "--type", description = "only events of this type")
    String type;

    @Option(
            names = {"-n", "--lines"},
            description = "how many of the latest events to print first (default: 10)")
    int lines = 10;

    @Option(names = "--after", description = "start reading after this global position")
    long after;

    @Option(
            names = {"-f", "--follow"},
            description = "keep following the log live")
    boolean follow;

    @Option(
            names = "--poll-ms",
            description = "while following, how often to ask for new events (default: 500)")
    long pollMillis = 500;

    @Option(
            names = "--max-events",
            description = "stop after printing this many events (default: no limit)",
            hidden = true)
    long maxEvents = Long.MAX_VALUE;

    @Override
    public Integer call() {
        ArborClient client = common.client();
        LogFilter filter = new LogFilter(category, type);
        ArrayDeque<RecordedEvent> last = new ArrayDeque<>();
        long[] position = {after};
        client.readAll(after, filter)
                .forEach(
                        e -> {
                            position[0] = e.globalPosition();
                            if (lines > 0) {
                                if (last.size() == lines) {
                                    last.removeFirst();
                                }
                                last.addLast(e);
                            }
                        });
        List<RecordedEvent> first = List.copyOf(last);
        Render.events(common, first.subList(0, (int) Math.min(first.size(), maxEvents)));
        if (!follow) {
            return 0;
        }
        // limit, not takeWhile: takeWhile would wait for one event more before stopping.
        client.follow(position[0], filter, Duration.ofMillis(pollMillis))
                .limit(Math.max(0, maxEvents - first.size()))
                .forEach(
                        e -> {
                            if (common.json) {
                                common.out().println(ArborClient.toJson(e));
                            } else {
                                common.out()
                                        .printf(
                                                "%d  %s  v%d  %s  %s  %s  %s%n",
                                                e.globalPosition(),
                                                e.streamId(),
                                                e.version(),
                                                e.type(),
                                                e.recordedAt(),
                                                e.eventId(),
                                                Table.brief(e.data().toString(), 60));
                            }
                            common.out().flush();
                        });
        return 0;
    }
}
