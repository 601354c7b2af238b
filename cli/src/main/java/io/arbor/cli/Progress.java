package io.arbor.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long command on stderr: a bar redrawn in place on a terminal, or a line every few
 * seconds otherwise (logs, CI), each with the rate and, when the total is known, the ETA.
 */
final class Progress {
    private static final long LINE_EVERY_NANOS = Duration.ofSeconds(5).toNanos();
    private static final long BAR_EVERY_NANOS = Duration.ofMillis(200).toNanos();

    private final PrintWriter err;
    private final String label;
    private final boolean terminal;
    private final LongSupplier clock;
    private final long start;
    private long total;
    private long done;
    private long lastDraw;

    /**
     * @param total the amount of work, or 0 when unknown
     */
    Progress(PrintWriter err, String label, long total) {
        this(
                err,
                label,
                total,
                System.console() != null && !"dumb".equals(System.getenv("TERM")),
                System::nanoTime);
    }

    /** With a given terminal mode and clock (nanoseconds), for tests. */
    Progress(PrintWriter err, String label, long total, boolean terminal, LongSupplier clock) {
        this.err = err;
        this.label = label;
        this.total = total;
        this.terminal = terminal;
        this.clock = clock;
        this.start = clock.getAsLong();
        this.lastDraw = start;
    }

    void total(long total) {
        this.total = total;
    }

    void advance(long amount) {
        done += amount;
        long now = clock.getAsLong();
        if (now - lastDraw >= (terminal ? BAR_EVERY_NANOS : LINE_EVERY_NANOS)) {
            lastDraw = now;
            draw(false);
        }
    }

    long done() {
        return done;
    }

    double seconds() {
        return (clock.getAsLong() - start) / 1e9;
    }

    double rate() {
        double s = seconds();
        return s <= 0 ? 0 : done / s;
    }

    /** The final line, always printed. */
    void finish() {
        draw(true);
    }

    private void draw(boolean last) {
        String line = line(last);
        if (terminal) {
            err.print("\r" + line + "   ");
            if (last) {
                err.println();
            }
        } else {
            err.println(line);
        }
        err.flush();
    }

    /**
     * One progress line: {@code export 2500/10000 (25%) 500/s ETA 0m15s}, or with the elapsed time
     * instead of the ETA when the total is unknown or the work is done ({@code finish}).
     */
    String line(boolean last) {
        double rate = rate();
        StringBuilder line = new StringBuilder(label).append(' ');
        if (total > 0) {
            double fraction = Math.min(1.0, (double) done / total);
            if (terminal) {
                int width = 30;
                int filled = (int) Math.round(fraction * width);
                line.append('[')
                        .append("#".repeat(filled))
                        .append(".".repeat(width - filled))
                        .append("] ");
            }
            line.append(String.format(Locale.ROOT, "%d/%d (%.0f%%)", done, total, fraction * 100));
        } else {
            line.append(done);
        }
        line.append(String.format(Locale.ROOT, "  %.0f/s", rate));
        if (!last && total > 0 && rate > 0 && done < total) {
            line.append("  ETA ").append(duration((long) ((total - done) / rate)));
        } else {
            line.append("  ").append(duration((long) seconds()));
        }
        return line.toString();
    }

    private static String duration(long seconds) {
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
}
