package io.arbor.cli;

import io.arbor.client.ArborClient;
import io.arbor.client.ArborException;
import io.arbor.client.FollowListener;
import io.arbor.client.LogFilter;
import io.arbor.client.RecordedEvent;
import io.arbor.client.Subscription;
import io.arbor.client.SubscriptionListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
            "--follow subscribes to the log (GET /events/subscribe, Server-Sent Events): the"
                    + " server pushes each event as it commits, with --category and --type applied"
                    + " on the server. A server that goes away (restart, redeploy, database down,"
                    + " a dropped subscription) is waited for, forever, with a line on stderr per"
                    + " failed attempt (backoff up to 10 s); it resumes after the last event"
                    + " printed, missing none and printing none twice. The first read is not"
                    + " retried beyond the client's usual retries (exit 4); an answer that is"
                    + " Arbor's own (400, 500) ends it (exit 3)."
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

    /** Accepted so that scripts written for the polling follower still run. */
    @Option(
            names = "--poll-ms",
            description =
                    "unused since --follow subscribes (the server pushes events); accepted for"
                            + " scripts that pass it")
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
        if (reconnectMaxMillis < 1) {
            throw new IllegalArgumentException("--reconnect-max-ms is positive");
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
        long wanted = Math.max(0, maxEvents - first.size());
        if (wanted == 0) {
            return 0;
        }
        ArborClient live =
                common.clientBuilder()
                        .reconnectBackoff(Duration.ofMillis(reconnectMaxMillis))
                        .build();
        Printer printer = new Printer(wanted);
        try (Subscription subscription = live.subscribe(filter, position, printer)) {
            // Until ctrl-c, --max-events, or a failure that is not an outage.
            while (subscription.isRunning() && !printer.enough.await(200, TimeUnit.MILLISECONDS)) {
                // waiting
            }
            Exception failure = subscription.failure().orElse(null);
            if (failure instanceof RuntimeException e) {
                throw e; // ArborCli maps Arbor's problems to exit 3
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Prints each event as it arrives, up to {@code wanted} of them. */
    private final class Printer extends Reconnecting implements SubscriptionListener {
        final CountDownLatch enough = new CountDownLatch(1);
        private long left;

        Printer(long wanted) {
            this.left = wanted;
        }

        @Override
        public void event(RecordedEvent e) {
            if (left == 0) {
                return; // --max-events printed; the subscription is being closed
            }
            Render.live(common, e);
            if (--left == 0) {
                enough.countDown();
            }
        }

        @Override
        public void dropped(long position, String reason) {
            common.err()
                    .printf(
                            "arbor tail: the server dropped the subscription after position %d"
                                    + " (%s)%n",
                            position, reason);
            common.err().flush();
        }
    }

    /** Tells the operator on stderr while the server is away; stdout keeps only events. */
    private class Reconnecting implements FollowListener {
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
