package io.arbor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CPU time the server side spent during a measured window, from {@code /proc} (utime + stime,
 * clock ticks): the Payara JVM (one pid), the PostgreSQL processes serving one database (client
 * backends and autovacuum workers, found by their process title {@code postgres: [cluster: ]user
 * database …}), and the shared background processes of that database's cluster (walwriter,
 * checkpointer, background writer: their work is partly other databases'). Issue 17 sets its goals
 * in CPU per append, and on a machine shared with other work a throughput figure alone does not say
 * where the time went.
 *
 * <p>A window samples at its start and end, and polls every {@value #POLL_MILLIS} ms in between: a
 * backend that starts during the window counts from zero (pgbench's connections), and one that
 * exits keeps its last polled time (losing at most one poll interval of work).
 */
final class ServerCpu {
    static final long POLL_MILLIS = 100;

    /** "postgres: 15/main: arbor arbor_c17e 127.0.0.1(4242) idle", cluster name optional. */
    private static final Pattern TITLE =
            Pattern.compile("^postgres: (?:[^ ]+: )?(?:autovacuum worker (\\S+)|(\\S+) (\\S+) )");

    private static final Set<String> BACKGROUND =
            Set.of("walwriter", "checkpointer", "background writer");

    private final long payaraPid;
    private final String database;
    private final double millisPerTick;

    /**
     * The JVM {@code payaraPid} (0: not on this machine, or not known; its figures are NaN) and the
     * backends of {@code database} on the local cluster.
     */
    ServerCpu(long payaraPid, String database, long ticksPerSecond) {
        this.payaraPid = payaraPid;
        this.database = database;
        this.millisPerTick = 1000.0 / ticksPerSecond;
    }

    /** The machine's clock ticks per second ({@code getconf CLK_TCK}), 100 if that fails. */
    static long ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out =
                    new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return getconf.waitFor() == 0 ? Long.parseLong(out.trim()) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    /** Milliseconds of CPU over a window; NaN where a side could not be read. */
    record Used(double payaraMs, double postgresMs, double backgroundMs) {
        /** Per unit (append, event, transaction); NaN for no units. */
        Used per(long units) {
            return units <= 0
                    ? new Used(Double.NaN, Double.NaN, Double.NaN)
                    : new Used(payaraMs / units, postgresMs / units, backgroundMs / units);
        }

        double total() {
            return (Double.isNaN(payaraMs) ? 0 : payaraMs) + postgresMs;
        }

        Used times(long units) {
            return new Used(payaraMs * units, postgresMs * units, backgroundMs * units);
        }

        Used plus(Used other) {
            return new Used(
                    payaraMs + other.payaraMs,
                    postgresMs + other.postgresMs,
                    backgroundMs + other.backgroundMs);
        }

        Used minus(Used other) {
            return new Used(
                    payaraMs - other.payaraMs,
                    postgresMs - other.postgresMs,
                    backgroundMs - other.backgroundMs);
        }

        /** "Payara 2.86 ms + PostgreSQL 0.90 ms". */
        String brief() {
            return "Payara " + ms(payaraMs) + " + PostgreSQL " + ms(postgresMs);
        }

        static String ms(double millis) {
            return Double.isNaN(millis) ? "n/a" : String.format(Locale.ROOT, "%.2f ms", millis);
        }
    }

    /** Starts a window. */
    Window start() {
        return new Window();
    }

    /** One measured window: {@link #stop} ends it. */
    final class Window {
        private final long payaraStart;
        // pid -> {ticks at start, ticks last seen, parent pid}
        private final Map<Long, long[]> backends = new HashMap<>();
        private final Map<Long, long[]> background = new HashMap<>(); // of every cluster
        private final Set<Long> others = new HashSet<>(); // pids seen that are neither
        private final Thread poller;
        private volatile boolean running = true;

        private Window() {
            this.payaraStart = payaraPid > 0 ? ticks(payaraPid) : -1;
            synchronized (this) {
                scan(true);
            }
            poller =
                    new Thread(
                            () -> {
                                while (running) {
                                    try {
                                        Thread.sleep(POLL_MILLIS);
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                    synchronized (this) {
                                        scan(false);
                                    }
                                }
                            },
                            "server-cpu-" + database);
            poller.setDaemon(true);
            poller.start();
        }

        Used stop() {
            running = false;
            poller.interrupt();
            long payaraEnd = payaraPid > 0 ? ticks(payaraPid) : -1;
            synchronized (this) {
                scan(false);
                double payara =
                        payaraStart < 0 || payaraEnd < 0
                                ? Double.NaN
                                : (payaraEnd - payaraStart) * millisPerTick;
                // The background processes of the cluster whose postmaster forked the backends.
                Set<Long> postmasters = new HashSet<>();
                backends.values().forEach(b -> postmasters.add(b[2]));
                long shared = 0;
                for (long[] b : background.values()) {
                    shared += postmasters.contains(b[2]) ? b[1] - b[0] : 0;
                }
                long own = 0;
                for (long[] b : backends.values()) {
                    own += b[1] - b[0];
                }
                return new Used(payara, own * millisPerTick, shared * millisPerTick);
            }
        }

        /**
         * Every process: a new one is classified once by its title; a known one gets its latest
         * time. A backend that appears after the first scan counts from zero (it started in the
         * window); everything else from its time when first seen.
         */
        private void scan(boolean first) {
            try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"))) {
                for (Path dir : proc) {
                    String name = dir.getFileName().toString();
                    if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                        continue;
                    }
                    long pid = Long.parseLong(name);
                    long[] known =
                            backends.containsKey(pid) ? backends.get(pid) : background.get(pid);
                    if (known != null) {
                        long now = ticks(pid);
                        if (now >= 0) {
                            known[1] = now;
                        }
                        continue;
                    }
                    if (others.contains(pid)) {
                        continue;
                    }
                    String title = title(pid);
                    String[] fields = stat(pid);
                    if (title == null || fields == null) {
                        continue;
                    }
                    long now = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    long parent = Long.parseLong(fields[1]);
                    Matcher m = TITLE.matcher(title);
                    String db = !m.find() ? null : m.group(1) != null ? m.group(1) : m.group(3);
                    if (database.equals(db)) {
                        backends.put(pid, new long[] {first ? now : 0, now, parent});
                    } else if (background(title)) {
                        background.put(pid, new long[] {now, now, parent});
                    } else {
                        others.add(pid);
                    }
                }
            } catch (IOException e) {
                // /proc unreadable: the window reports what it has
            }
        }
    }

    private static boolean background(String title) {
        for (String process : BACKGROUND) {
            if (title.endsWith(": " + process) || title.equals("postgres: " + process)) {
                return true;
            }
        }
        return false;
    }

    /** The process title (its command line, NULs as spaces, trimmed), or null once gone. */
    private static String title(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException e) {
            return null;
        }
    }

    /** Fields of /proc/PID/stat after the command name: state, ppid, … utime (11), stime (12). */
    private static String[] stat(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** utime + stime of {@code pid} in clock ticks, -1 once it is gone. */
    static long ticks(long pid) {
        String[] fields = stat(pid);
        return fields == null ? -1 : Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
