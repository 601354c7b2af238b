package io.arbor.faults;

import io.arbor.client.ArborException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fault suite: drives load on loopback against the suite's own Arbor domain while injecting
 * faults, records every request and answer, then checks the store against that history ({@link
 * Checker}). Run it with {@code faults/run.sh}, which provisions the private PostgreSQL cluster and
 * Payara domain it may kill.
 *
 * <p>Scenarios: {@code kill9} (kill -9 of Payara under load, restart, N cycles), {@code pgterm}
 * (pg_terminate_backend on Arbor's connections under load), {@code pgstop} (PostgreSQL immediate
 * stop and restart under load), {@code contention} (writers × appends on a few shared streams with
 * expected versions), {@code live} (writers and a live reader over N events). Exits 1 when the
 * checker finds any anomaly.
 */
public final class FaultSuite {

    /** The flags, with the full run's sizes as defaults; {@code --short} is the test command's. */
    static final class Options {
        URI baseUrl = URI.create("http://127.0.0.1:24080/");
        String jdbcUrl = "jdbc:postgresql://127.0.0.1:25432/arbor";
        String dbUser = "arbor";
        String dbPassword = "arbor";
        Path ctl = Path.of("faults/ctl.sh");
        Path out = Path.of(".faults/runs");
        List<String> only = List.of("kill9", "pgterm", "pgstop", "contention", "live");
        boolean shortRun;
        Map<String, Long> sizes = new LinkedHashMap<>();

        Options() {
            sizes.put("kill-cycles", 20L);
            sizes.put("term-cycles", 10L);
            sizes.put("stop-cycles", 5L);
            sizes.put("fault-writers", 8L);
            sizes.put("fault-interval-ms", 4000L);
            sizes.put("pg-down-ms", 3000L);
            sizes.put("contention-writers", 64L);
            sizes.put("contention-appends", 500L);
            sizes.put("contention-streams", 4L);
            sizes.put("live-writers", 32L);
            sizes.put("live-events", 100_000L);
            sizes.put("request-timeout-s", 30L);
            // A live reader's read that takes longer than this is an anomaly (a hung thread).
            sizes.put("read-bound-s", 15L);
            sizes.put("seed", 7L);
        }

        void shortSizes() {
            shortRun = true;
            sizes.put("kill-cycles", 2L);
            sizes.put("term-cycles", 3L);
            sizes.put("stop-cycles", 1L);
            sizes.put("fault-writers", 4L);
            sizes.put("fault-interval-ms", 2000L);
            sizes.put("pg-down-ms", 2000L);
            sizes.put("contention-writers", 8L);
            sizes.put("contention-appends", 40L);
            sizes.put("contention-streams", 2L);
            sizes.put("live-writers", 8L);
            sizes.put("live-events", 3000L);
        }

        int i(String key) {
            return Math.toIntExact(sizes.get(key));
        }

        static Options parse(String[] args) {
            Options o = new Options();
            for (String a : args) {
                if (a.equals("--short")) {
                    o.shortSizes();
                }
            }
            for (int k = 0; k < args.length; k++) {
                String a = args[k];
                switch (a) {
                    case "--short" -> {}
                    case "--base-url" -> o.baseUrl = URI.create(args[++k]);
                    case "--jdbc-url" -> o.jdbcUrl = args[++k];
                    case "--db-user" -> o.dbUser = args[++k];
                    case "--db-password" -> o.dbPassword = args[++k];
                    case "--ctl" -> o.ctl = Path.of(args[++k]);
                    case "--out" -> o.out = Path.of(args[++k]);
                    case "--only" -> o.only = List.of(args[++k].split(","));
                    default -> {
                        String key = a.startsWith("--") ? a.substring(2) : a;
                        if (!o.sizes.containsKey(key) || k + 1 >= args.length) {
                            throw new IllegalArgumentException("unknown option " + a);
                        }
                        o.sizes.put(key, Long.parseLong(args[++k]));
                    }
                }
            }
            for (String s : o.only) {
                if (!List.of("kill9", "pgterm", "pgstop", "contention", "live").contains(s)) {
                    throw new IllegalArgumentException("unknown scenario " + s);
                }
            }
            return o;
        }
    }

    /** One row of the results table. */
    record Row(
            String fault,
            int cycles,
            Checker.Verdict verdict,
            List<Double> recoverySeconds,
            String command,
            double seconds) {}

    private final Options opt;
    private final Api api;
    private final Control control;
    private final long origin = System.nanoTime();
    private final String tag;
    private final Path runDir;

    FaultSuite(Options opt) {
        this.opt = opt;
        this.api = new Api(opt.baseUrl, Duration.ofSeconds(opt.sizes.get("request-timeout-s")));
        this.control = new Control(opt.ctl, opt.jdbcUrl, opt.dbUser, opt.dbPassword);
        this.tag = Long.toString(System.currentTimeMillis() / 1000 % 100_000_000, 36);
        this.runDir = opt.out.resolve(tag);
    }

    public static void main(String[] args) throws Exception {
        Options opt;
        try {
            opt = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("faults: " + e.getMessage());
            System.err.println(
                    "usage: faults/run.sh [--short] [--only kill9,pgterm,pgstop,contention,live]"
                            + " [--kill-cycles N] [--term-cycles N] [--stop-cycles N]"
                            + " [--fault-writers N] [--fault-interval-ms N] [--pg-down-ms N]"
                            + " [--contention-writers N] [--contention-appends N]"
                            + " [--contention-streams N] [--live-writers N] [--live-events N]"
                            + " [--request-timeout-s N] [--read-bound-s N] [--seed N]");
            System.exit(2);
            return;
        }
        System.exit(new FaultSuite(opt).run());
    }

    int run() throws Exception {
        log("run " + tag + ": " + opt.only + " against " + opt.baseUrl + ", history in " + runDir);
        log("sizes " + opt.sizes);
        waitReady(180);
        List<Row> rows = new ArrayList<>();
        for (String s : opt.only) {
            rows.add(
                    switch (s) {
                        case "kill9" -> kill9();
                        case "pgterm" -> pgTerminate();
                        case "pgstop" -> pgImmediateStop();
                        case "contention" -> contention();
                        default -> live();
                    });
            // Written after every scenario, so a long run that is cut short keeps its rows.
            Files.writeString(runDir.resolve("results.md"), table(rows), StandardCharsets.UTF_8);
        }
        System.out.println();
        System.out.println(table(rows));
        long anomalies = rows.stream().mapToLong(r -> r.verdict().anomalyCount()).sum();
        if (anomalies > 0) {
            log("FAILED: " + anomalies + " anomalies (details above and in " + runDir + ")");
            return 1;
        }
        log("OK: no anomalies; histories and results in " + runDir);
        return 0;
    }

    // ------------------------------------------------------------------ scenarios

    private String category(String name) {
        return name + tag;
    }

    private Load.Spec faultLoad(String name) {
        return new Load.Spec(
                category(name), opt.i("fault-writers"), 2, 2, 0.3, false, 4, true, 0, 0);
    }

    private Row kill9() throws Exception {
        int cycles = opt.i("kill-cycles");
        return scenario(
                "kill9",
                "kill -9 of Payara under load, restart",
                faultLoad("kill9"),
                Checker.Allowed.SERVER_OUTAGE,
                cycles,
                (load, history, recoveries) -> {
                    for (int c = 1; c <= cycles; c++) {
                        underLoad(opt.sizes.get("fault-interval-ms"));
                        log("kill9 cycle " + c + "/" + cycles + ": kill -9 of the Payara JVM");
                        control.run("payara-kill"); // returns once the JVM is gone
                        int mark = history.size();
                        long t = System.nanoTime();
                        control.run("payara-start");
                        double r = recovery(history, mark, t, t);
                        recoveries.add(r);
                        log(
                                String.format(
                                        Locale.ROOT, "kill9 cycle %d: recovered in %.1f s", c, r));
                    }
                },
                "--kill-cycles " + cycles + " --fault-writers " + opt.i("fault-writers"));
    }

    private Row pgTerminate() throws Exception {
        int cycles = opt.i("term-cycles");
        return scenario(
                "pgterm",
                "pg_terminate_backend under load",
                faultLoad("pgterm"),
                Checker.Allowed.DATABASE_OUTAGE,
                cycles,
                (load, history, recoveries) -> {
                    for (int c = 1; c <= cycles; c++) {
                        underLoad(opt.sizes.get("fault-interval-ms") / 2);
                        int killed = control.terminateArborBackends();
                        int mark = history.size();
                        long t = System.nanoTime();
                        double r = recovery(history, mark, t, t);
                        recoveries.add(r);
                        log(
                                String.format(
                                        Locale.ROOT,
                                        "pgterm cycle %d/%d: %d backends terminated, recovered in"
                                                + " %.2f s",
                                        c,
                                        cycles,
                                        killed,
                                        r));
                    }
                },
                "--term-cycles " + cycles + " --fault-writers " + opt.i("fault-writers"));
    }

    private Row pgImmediateStop() throws Exception {
        int cycles = opt.i("stop-cycles");
        long down = opt.sizes.get("pg-down-ms");
        return scenario(
                "pgstop",
                "PostgreSQL immediate stop + restart under load",
                faultLoad("pgstop"),
                Checker.Allowed.DATABASE_OUTAGE,
                cycles,
                (load, history, recoveries) -> {
                    for (int c = 1; c <= cycles; c++) {
                        underLoad(opt.sizes.get("fault-interval-ms"));
                        log("pgstop cycle " + c + "/" + cycles + ": pg_ctl stop -m immediate");
                        control.run("pg-stop-immediate");
                        underLoad(down);
                        control.run("pg-start");
                        int mark = history.size();
                        long t = System.nanoTime();
                        double r = recovery(history, mark, t, t);
                        recoveries.add(r);
                        log(
                                String.format(
                                        Locale.ROOT,
                                        "pgstop cycle %d: database back, Arbor appending again"
                                                + " after %.1f s",
                                        c,
                                        r));
                    }
                },
                "--stop-cycles " + cycles + " --pg-down-ms " + down);
    }

    private Row contention() throws Exception {
        int writers = opt.i("contention-writers");
        int appends = opt.i("contention-appends");
        int streams = opt.i("contention-streams");
        return scenario(
                "contention",
                writers + " writers × " + appends + " appends on " + streams + " shared streams",
                new Load.Spec(
                        category("contention"),
                        writers,
                        0,
                        streams,
                        1.0,
                        true,
                        3,
                        false,
                        appends,
                        0),
                Checker.Allowed.CONTENTION,
                0,
                (load, history, recoveries) -> untilFinished(load),
                "--contention-writers "
                        + writers
                        + " --contention-appends "
                        + appends
                        + " --contention-streams "
                        + streams);
    }

    private Row live() throws Exception {
        int writers = opt.i("live-writers");
        long events = opt.sizes.get("live-events");
        return scenario(
                "live",
                writers + " writers + live reader over " + events + " events",
                new Load.Spec(category("live"), writers, 2, 0, 0, false, 5, false, 0, events),
                Checker.Allowed.CONTENTION,
                0,
                (load, history, recoveries) -> untilFinished(load),
                "--live-writers " + writers + " --live-events " + events);
    }

    /** What a scenario does while its load runs. */
    interface Faults {
        void inject(Load load, History history, List<Double> recoveries) throws Exception;
    }

    private Row scenario(
            String name,
            String title,
            Load.Spec spec,
            Checker.Allowed allowed,
            int cycles,
            Faults faults,
            String flags)
            throws Exception {
        log("=== " + name + ": " + title + " (category " + spec.category() + ")");
        long t0 = System.nanoTime();
        List<Double> recoveries = new ArrayList<>();
        Checker.Verdict v;
        try (History history = new History(origin, runDir.resolve(name + ".history.jsonl"))) {
            Load load = new Load(api, history, spec, opt.sizes.get("seed"));
            LiveReader reader = new LiveReader(api, spec.category());
            Thread progress = progress(name, load, reader);
            load.start();
            reader.start();
            try {
                faults.inject(load, history, recoveries);
            } finally {
                load.stop();
                load.join();
                progress.interrupt();
            }
            log(name + ": load stopped; " + load.answers() + "; reading the store back");
            control.run("pg-start"); // a no-op unless a failed cycle left it stopped
            waitReady(300);
            StoreImage image = StoreImage.read(api, load.streams(), spec.category(), control);
            boolean caughtUp = reader.finish(120_000);
            reader.writeReads(runDir.resolve(name + ".reads.jsonl"), origin);
            v =
                    Checker.check(
                            history.attempts(),
                            image,
                            new Checker.ReaderRun(reader.seen(), caughtUp, reader.reads()),
                            new Checker.Rules(
                                    allowed,
                                    Duration.ofSeconds(opt.sizes.get("read-bound-s")).toNanos()));
            Files.writeString(
                    runDir.resolve(name + ".verdict.txt"),
                    v.toString().replace(", ", ",\n  ") + "\n",
                    StandardCharsets.UTF_8);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        log(
                String.format(
                        Locale.ROOT,
                        "%s: %d appends / %d events acknowledged, %d stored, lost %d, duplicates"
                                + " %d, half-written %d; unknown outcomes %d (resolved: %d"
                                + " committed, %d not); answers %s; reads checked %d, answers"
                                + " %s, %d over %d s; %d anomalies; %.0f s",
                        name,
                        v.ackedOps(),
                        v.ackedEvents(),
                        v.storedEvents(),
                        v.lost(),
                        v.duplicates(),
                        v.halfWritten(),
                        v.indeterminateOps(),
                        v.resolvedCommitted(),
                        v.resolvedAbsent(),
                        v.answers(),
                        v.readsChecked(),
                        v.readAnswers(),
                        v.slowReads(),
                        opt.sizes.get("read-bound-s"),
                        v.anomalyCount(),
                        secs));
        for (String a : v.anomalies()) {
            log("  ANOMALY " + a);
        }
        return new Row(
                name, cycles, v, recoveries, "faults/run.sh --only " + name + " " + flags, secs);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Seconds from {@code from} to the first acknowledged append that was sent after {@code
     * sentAfter}, scanning the history from index {@code mark}.
     */
    private double recovery(History history, int mark, long sentAfter, long from) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        int i = mark;
        while (System.nanoTime() < deadline) {
            int size = history.size();
            for (; i < size; i++) {
                Attempt a = history.get(i);
                if (a.acknowledged() && a.startNanos() > sentAfter) {
                    return (a.endNanos() - from) / 1e9;
                }
            }
            Load.sleep(20);
        }
        throw new IllegalStateException("no append acknowledged within 5 minutes of the fault");
    }

    private void underLoad(long millis) {
        Load.sleep(millis);
    }

    private void untilFinished(Load load) throws InterruptedException {
        load.join();
    }

    private Thread progress(String name, Load load, LiveReader reader) {
        Thread t =
                new Thread(
                        () -> {
                            while (!Thread.currentThread().isInterrupted()) {
                                try {
                                    Thread.sleep(5000);
                                } catch (InterruptedException e) {
                                    return;
                                }
                                log(
                                        String.format(
                                                Locale.ROOT,
                                                "  %s: %d appends / %d events acknowledged,"
                                                        + " answers %s, reader at %d events"
                                                        + " (%d reads, %d not 200)",
                                                name,
                                                load.ackedOps(),
                                                load.ackedEvents(),
                                                load.answers(),
                                                reader.seenCount(),
                                                reader.readCount(),
                                                reader.failedReads()));
                            }
                        },
                        name + "-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits until Arbor answers a read of the global log (through its pool, so the DB is up). */
    private void waitReady(int seconds) {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (true) {
            try {
                api.globalLog(0, 1, "ready");
                return;
            } catch (ArborException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "Arbor not answering after " + seconds + " s: " + e, e);
                }
                Load.sleep(500);
            }
        }
    }

    static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append(
                "| fault | cycles | events acknowledged | acknowledged events lost | duplicates"
                        + " | half-written | unknown outcomes (committed / not) | recovery time"
                        + " (median / max) | anomalies | command |\n");
        b.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Row r : rows) {
            Checker.Verdict v = r.verdict();
            b.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %d | %d | %d | %d | %d (%d / %d) | %s | %d | `%s` |%n",
                            r.fault(),
                            r.cycles() == 0 ? "–" : Integer.toString(r.cycles()),
                            v.ackedEvents(),
                            v.lost(),
                            v.duplicates(),
                            v.halfWritten(),
                            v.indeterminateOps(),
                            v.resolvedCommitted(),
                            v.resolvedAbsent(),
                            recovery(r.recoverySeconds()),
                            v.anomalyCount(),
                            r.command()));
        }
        return b.toString();
    }

    private static String recovery(List<Double> seconds) {
        if (seconds.isEmpty()) {
            return "–";
        }
        List<Double> s = new ArrayList<>(seconds);
        s.sort(null);
        return String.format(
                Locale.ROOT, "%.1f s / %.1f s", s.get(s.size() / 2), s.get(s.size() - 1));
    }

    private static void log(String message) {
        System.out.println(
                "[faults " + Instant.now().toString().substring(11, 19) + "] " + message);
    }
}
