package io.arbor.cli;

import io.arbor.client.ArborClient;
import io.arbor.client.ArborException;
import io.arbor.client.FollowListener;
import io.arbor.client.LogFilter;
import io.arbor.client.RecordedEvent;
import java.time.Duration;
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
            "Print the last events of the global log (after --after, default 0); with --follow,"
                    + " keep printing new ones as they commit (one line each) until interrupted"
                    + " (ctrl-c).",
            "Finds the last events without reading the log: it bisects the position to read"
                    + " after, about 2*log2(P) requests of --lines events each for a log that ends"
                    + " at position P.",
            "While following, a server that goes away (restart, redeploy, database down) is"
                    + " waited for, forever, with a line on stderr per failed attempt (backoff up"
                    + " to 10 s); it resumes after the last event printed, missing none. The first"
                    + " read is not retried beyond the client's usual retries (exit 4)."
        })
final class TailCommand implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--category", description = "only events of streams in this category")
    String category;

    @Option(names = "--type", description = "only events of this type")
    String type;

    @Option(
            names = {"-n", "--lines"},
            description = "how many of the latest events to print first, 0 to 1000 (default: 10)")
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

    @Option(
            names = "--reconnect-max-ms",
            description = "while following, the longest wait between reconnection attempts",
            hidden = true)
    long reconnectMaxMillis = 10_000;

    @Override
    public Integer call() {
        if (lines < 0 || lines > 1000) {
            throw new IllegalArgumentException("--lines must be 0 to 1000");
        }
        if (reconnectMaxMillis < 1 || pollMillis < 0) {
            throw new IllegalArgumentException("--poll-ms and --reconnect-max-ms are positive");
        }
        ArborClient client = common.client();
        LogFilter filter = new LogFilter(category, type);
        // With -n 0 the last event is still needed: following starts after it.
        List<RecordedEvent> last = client.lastEvents(after, filter, Math.max(lines, 1));
        long position = last.isEmpty() ? after : last.get(last.size() - 1).globalPosition();
        List<RecordedEvent> first = last.subList(Math.max(0, last.size() - lines), last.size());
        first = first.subList(0, (int) Math.min(first.size(), maxEvents));
        Render.events(common, first);
        if (!follow) {
            return 0;
        }
        // limit, not takeWhile: takeWhile would wait for one event more before stopping.
        client.follow(
                        position,
                        filter,
                        Duration.ofMillis(pollMillis),
                        Duration.ofMillis(reconnectMaxMillis),
                        new Reconnecting())
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

    /** Tells the operator on stderr while the server is away; stdout keeps only events. */
    private final class Reconnecting implements FollowListener {
        @Override
        public void disconnected(ArborException why, int failures, Duration down, Duration wait) {
            common.err()
                    .printf(
                            "arbor tail: %s (%s, attempt %d); retrying in %s, ctrl-c to stop%n",
                            failures == 1
                                    ? "disconnected"
                                    : "still disconnected after " + show(down),
                            // Payara's 404 page is HTML: one line, and not all of it.
                            Table.brief(why.getMessage().replaceAll("\\s+", " "), 200),
                            failures,
                            show(wait));
            common.err().flush();
        }

        @Override
        public void reconnected(int failures, Duration down) {
            common.err()
                    .printf(
                            "arbor tail: reconnected after %s (%d failed attempt%s)%n",
                            show(down), failures, failures == 1 ? "" : "s");
            common.err().flush();
        }

        private static String show(Duration d) {
            long s = d.toSeconds();
            return s >= 60
                    ? (s / 60) + "m" + String.format("%02d", s % 60) + "s"
                    : String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
        }
    }
}
