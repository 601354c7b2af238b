package io.arbor.faults;

import io.arbor.client.ArborException;
import io.arbor.client.DevelopmentTokens;
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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The fault suite: drives load on loopback against the suite's own Arbor domain while injecting
 * faults, records every request and answer, then checks the store against that history ({@link
 * Checker}). Run it with {@code faults/run.sh}, which provisions the private PostgreSQL cluster and
 * Payara domain it may kill.
 *
 * <p>Scenarios: {@code kill9} (kill -9 of Payara under load, restart, N cycles), {@code pgterm}
 * (pg_terminate_backend on Arbor's connections under load), {@code pgstop} (PostgreSQL immediate
 * stop and restart under load), {@code contention} (writers × appends on a few shared streams with
 * expected versions), {@code live} (writers and a live reader over N events), {@code scavenge}
 * (kill -9 of Payara in the middle of a scavenge, restart, the job must finish: {@link
 * ScavengeCheck}). Exits 1 when the checker finds any anomaly.
 */
public final class FaultSuite {

    /** Every scenario, in the order a run without {@code --only} runs them. */
    static final List<String> SCENARIOS =
            List.of("kill9", "pgterm", "pgstop", "contention", "live", "scavenge");

    /** The flags, with the full run's sizes as defaults; {@code --short} is the test command's. */
    static final class Options {
        URI baseUrl = URI.create("http://127.0.0.1:24080/");
        String jdbcUrl = "jdbc:postgresql://127.0.0.1:25432/arbor";
        String dbUser = "arbor";
        String dbPassword = "arbor";
        String dbOwnerUser = "arbor_owner";
        String dbOwnerPassword = "arbor_owner";
        Path ctl = Path.of("faults/ctl.sh");
        Path devKey;
        Path out = Path.of(".faults/runs");
        List<String> only = List.copyOf(SCENARIOS);
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
            // PostgreSQL stop and backend termination: Arbor must append again within this many
            // seconds of the database accepting connections, or it is an anomaly.
            sizes.put("recovery-bound-s", 10L);
            // After each fault cycle's recovery, the live subscriber must have delivered every
            // event acknowledged so far within this many seconds, or it is an anomaly.
            sizes.put("subscriber-bound-s", 60L);
            // After each fault cycle's recovery, the consumer group must have acked every event
            // acknowledged so far within this many seconds, or it is an anomaly.
            sizes.put("group-bound-s", 60L);
            // The consumer group's consumers; 0: no group.
            sizes.put("group-consumers", 2L);
            // Every this many ops of a writer, one is a multi-stream append (POST /events) to two
            // or three streams; 0: none.
            sizes.put("multi-every", 4L);
            // scavenge: streams seeded and hidden (a rule each, one in five untouched), their
            // events each, and how long the job may take to finish after the restart.
            sizes.put("scavenge-streams", 100L);
            sizes.put("scavenge-stream-events", 200L);
            sizes.put("scavenge-bound-s", 300L);
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
            sizes.put("scavenge-streams", 20L);
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
                    case "--db-owner-user" -> o.dbOwnerUser = args[++k];
                    case "--db-owner-password" -> o.dbOwnerPassword = args[++k];
                    case "--ctl" -> o.ctl = Path.of(args[++k]);
                    case "--dev-key" -> o.devKey = Path.of(args[++k]);
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
                if (!SCENARIOS.contains(s)) {
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
            List<Checker.Cycle> results,
            long recoveryBoundNanos,
            String command,
            double seconds) {}

    /**
     * Longer than the full run takes: a token that expired mid-run would turn every later request
     * into a 401, which the checker would count as failures of the store.
     */
    private static final Duration TOKEN_TTL = Duration.ofHours(12);

    private final Options opt;

    /** The bearer token of every request: ARBOR_TOKEN, else minted with --dev-key; null: none. */
    private final String token;

    private final Api api;
    private final Control control;
    private final long origin = System.nanoTime();
    private final String tag;
    private final Path runDir;

    /** The running scenario's consumer group, null when it runs none. */
    private volatile GroupConsumers group;

    /** Anomalies the running scenario's own checks found (its verdict counts them too). */
    private final List<String> scenarioAnomalies = new ArrayList<>();

    FaultSuite(Options opt) {
        this.opt = opt;
        this.token = DevelopmentTokens.toolToken(opt.devKey, TOKEN_TTL).orElse(null);
        this.api =
                new Api(opt.baseUrl, token, Duration.ofSeconds(opt.sizes.get("request-timeout-s")));
        this.control =
                new Control(
                        opt.ctl,
                        opt.jdbcUrl,
                        opt.dbUser,
                        opt.dbPassword,
                        opt.dbOwnerUser,
                        opt.dbOwnerPassword);
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
                    "usage: faults/run.sh [--short]"
                            + " [--only kill9,pgterm,pgstop,contention,live,scavenge]"
                            + " [--kill-cycles N] [--term-cycles N] [--stop-cycles N]"
                            + " [--fault-writers N] [--fault-interval-ms N] [--pg-down-ms N]"
                            + " [--contention-writers N] [--contention-appends N]"
                            + " [--contention-streams N] [--live-writers N] [--live-events N]"
                            + " [--request-timeout-s N] [--read-bound-s N]"
                            + " [--recovery-bound-s N] [--subscriber-bound-s N]"
                            + " [--group-bound-s N] [--group-consumers N] [--multi-every N]"
                            + " [--scavenge-streams N] [--scavenge-stream-events N]"
                            + " [--scavenge-bound-s N] [--seed N]");
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
                        case "scavenge" -> scavenge();
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
                category(name),
                opt.i("fault-writers"),
                2,
                2,
                0.3,
                false,
                4,
                true,
                0,
                0,
                opt.i("multi-every"));
    }

    private Row kill9() throws Exception {
        int cycles = opt.i("kill-cycles");
        return scenario(
                "kill9",
                "kill -9 of Payara under load, restart",
                faultLoad("kill9"),
                // Recovery needs a server restart by design: measured, not bounded.
                rules(Checker.Allowed.SERVER_OUTAGE, false, false),
                false,
                cycles,
                (load, history, results, readiness, delivered) -> {
                    for (int c = 1; c <= cycles; c++) {
                        underLoad(opt.sizes.get("fault-interval-ms"));
                        log("kill9 cycle " + c + "/" + cycles + ": kill -9 of the Payara JVM");
                        control.run("payara-kill"); // returns once the JVM is gone
                        int mark = history.size();
                        long t = System.nanoTime();
                        control.run("payara-start");
                        double r = seconds(t, firstAck(history, mark, t));
                        results.add(new Checker.Cycle(c, r, false, false, false));
                        log(
                                String.format(
                                        Locale.ROOT,
                                        "kill9 cycle %d: recovered in %.1f s from the restart",
                                        c,
                                        r));
                        delivered.check(c);
                    }
                },
                "--kill-cycles " + cycles + " --fault-writers " + opt.i("fault-writers"));
    }

    /**
     * {@code kill -9} of Payara while a scavenge runs, under the writers' load: streams of their
     * own category are seeded and hidden (deleted, truncated, max-count; one in five untouched), a
     * scavenge is started, the server is killed once the job is running and has removed some of
     * them, and started again. The job must then finish, and {@link ScavengeCheck} holds the seeded
     * streams to it (every hidden event gone, every other one still there, chains verifying); the
     * writers' events are checked as in every scenario.
     */
    private Row scavenge() throws Exception {
        int streams = opt.i("scavenge-streams");
        int events = opt.i("scavenge-stream-events");
        long bound = opt.sizes.get("scavenge-bound-s");
        HiddenStreams hidden = new HiddenStreams(api, control, opt.baseUrl, token);
        return scenario(
                "scavenge",
                "kill -9 of Payara mid-scavenge under load, restart, the scavenge finishes",
                faultLoad("scavenge"),
                rules(Checker.Allowed.SERVER_OUTAGE, false, false),
                false,
                1,
                (load, history, results, readiness, delivered) -> {
                    List<ScavengeCheck.Seeded> seeded =
                            hidden.seed(category("scavseed"), streams, events);
                    hidden.hide();
                    long hiddenEvents = ScavengeCheck.hidden(seeded);
                    log(
                            String.format(
                                    Locale.ROOT,
                                    "scavenge: %d streams of %d events seeded, %d events hidden by"
                                            + " their rules",
                                    seeded.size(),
                                    events,
                                    hiddenEvents));
                    underLoad(opt.sizes.get("fault-interval-ms"));
                    String jobId = hidden.startScavenge();
                    HiddenStreams.JobState atKill = midScavenge(hidden, jobId);
                    log(
                            String.format(
                                    Locale.ROOT,
                                    "scavenge: job %s %s with %d of %d hidden events removed:"
                                            + " kill -9 of the Payara JVM",
                                    jobId,
                                    atKill.state(),
                                    atKill.eventsRemoved(),
                                    hiddenEvents));
                    control.run("payara-kill");
                    int mark = history.size();
                    long t = System.nanoTime();
                    control.run("payara-start");
                    double r = seconds(t, firstAck(history, mark, t));
                    results.add(new Checker.Cycle(1, r, false, false, false));
                    log(String.format(Locale.ROOT, "scavenge: recovered in %.1f s", r));
                    delivered.check(1);
                    HiddenStreams.JobState last = null;
                    double toDone = Double.NaN;
                    long deadline = t + Duration.ofSeconds(bound).toNanos();
                    while (System.nanoTime() < deadline) {
                        HiddenStreams.JobState now = hidden.job(jobId);
                        if (now != null) {
                            last = now;
                            if (now.state().equals("done")) {
                                toDone = (System.nanoTime() - t) / 1e9;
                                break;
                            }
                            if (now.state().equals("failed")) {
                                break;
                            }
                        }
                        Load.sleep(200);
                    }
                    ScavengeCheck.Job job =
                            new ScavengeCheck.Job(
                                    atKill.state(),
                                    atKill.eventsRemoved(),
                                    last == null ? "unanswered" : last.state(),
                                    last == null ? -1 : last.eventsRemoved(),
                                    toDone);
                    log(
                            String.format(
                                    Locale.ROOT,
                                    "scavenge: job %s %s with %d events removed, %.1f s after the"
                                            + " restart; reading the seeded streams back",
                                    jobId,
                                    job.finalState(),
                                    job.finalRemoved(),
                                    Double.isNaN(toDone) ? (double) bound : toDone));
                    scenarioAnomalies.addAll(
                            ScavengeCheck.check(seeded, hidden.readBack(), job, bound));
                },
                "--scavenge-streams "
                        + streams
                        + " --scavenge-stream-events "
                        + events
                        + " --fault-writers "
                        + opt.i("fault-writers"));
    }

    /**
     * Polls the job every 50 ms until it is running and has removed events (or has ended, or two
     * minutes passed): when the kill goes in. Returns the last answer.
     */
    private static HiddenStreams.JobState midScavenge(HiddenStreams hidden, String jobId) {
        HiddenStreams.JobState last = new HiddenStreams.JobState("unanswered", 0);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            HiddenStreams.JobState now = hidden.job(jobId);
            if (now != null) {
                last = now;
                boolean started = now.state().equals("running") && now.eventsRemoved() > 0;
                if (started || now.state().equals("done") || now.state().equals("failed")) {
                    return now;
                }
            }
            Load.sleep(50);
        }
        return last;
    }

    private Row pgTerminate() throws Exception {
        int cycles = opt.i("term-cycles");
        return scenario(
                "pgterm",
                "pg_terminate_backend under load",
                faultLoad("pgterm"),
                // A termination may heal between two readiness samples: reported, not required.
                rules(Checker.Allowed.DATABASE_OUTAGE, true, false),
                true,
                cycles,
                (load, history, results, readiness, delivered) -> {
                    for (int c = 1; c <= cycles; c++) {
                        underLoad(opt.sizes.get("fault-interval-ms") / 2);
                        long faultAt = System.nanoTime();
                        int killed = control.terminateArborBackends();
                        // PostgreSQL accepted connections throughout; only Arbor's are gone, so
                        // the clock starts when the termination has been done.
                        int mark = history.size();
                        long back = System.nanoTime();
                        Checker.Cycle cycle = recovered(c, history, mark, faultAt, back, readiness);
                        results.add(cycle);
                        log(
                                String.format(
                                        Locale.ROOT,
                                        "pgterm cycle %d/%d: %d backends terminated, recovered in"
                                                + " %.2f s; %s",
                                        c,
                                        cycles,
                                        killed,
                                        cycle.recoverySeconds(),
                                        readiness(cycle)));
                        delivered.check(c);
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
                rules(Checker.Allowed.DATABASE_OUTAGE, true, true),
                true,
                cycles,
                (load, history, results, readiness, delivered) -> {
                    for (int c = 1; c <= cycles; c++) {
                        underLoad(opt.sizes.get("fault-interval-ms"));
                        if (group != null) {
                            group.pause(); // see GroupConsumers.pause: readiness must get a thread
                        }
                        log("pgstop cycle " + c + "/" + cycles + ": pg_ctl stop -m immediate");
                        long faultAt = System.nanoTime();
                        control.run("pg-stop-immediate");
                        underLoad(down);
                        int mark = history.size();
                        long back = startDatabase();
                        Checker.Cycle cycle = recovered(c, history, mark, faultAt, back, readiness);
                        results.add(cycle);
                        if (group != null) {
                            group.resume();
                        }
                        log(
                                String.format(
                                        Locale.ROOT,
                                        "pgstop cycle %d: database accepting connections again,"
                                                + " Arbor appending again %.1f s later; %s",
                                        c,
                                        cycle.recoverySeconds(),
                                        readiness(cycle)));
                        delivered.check(c);
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
                        0,
                        opt.i("multi-every")),
                rules(Checker.Allowed.CONTENTION, false, false),
                false,
                0,
                (load, history, results, readiness, delivered) -> untilFinished(load),
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
                new Load.Spec(
                        category("live"),
                        writers,
                        2,
                        0,
                        0,
                        false,
                        5,
                        false,
                        0,
                        events,
                        opt.i("multi-every")),
                rules(Checker.Allowed.CONTENTION, false, false),
                false,
                0,
                (load, history, results, readiness, delivered) -> untilFinished(load),
                "--live-writers " + writers + " --live-events " + events);
    }

    /** What a scenario does while its load runs. */
    interface Faults {
        /**
         * @param results where each fault cycle's recovery and readiness go
         * @param readiness the readiness samples, or null when the scenario takes none
         * @param delivered checks the live subscriber after each cycle's recovery
         */
        void inject(
                Load load,
                History history,
                List<Checker.Cycle> results,
                ReadinessProbe readiness,
                DeliveryCheck delivered)
                throws Exception;
    }

    /** After a fault cycle: has the live subscriber delivered every event acknowledged so far? */
    interface DeliveryCheck {
        void check(int cycle) throws InterruptedException;
    }

    /** The rules of a scenario, with the bounds the flags set. */
    private Checker.Rules rules(
            Checker.Allowed allowed, boolean recoveryBounded, boolean readinessMustGoDown) {
        return new Checker.Rules(
                allowed,
                Duration.ofSeconds(opt.sizes.get("read-bound-s")).toNanos(),
                recoveryBounded ? recoveryBoundNanos() : 0,
                readinessMustGoDown);
    }

    private long recoveryBoundNanos() {
        return Duration.ofSeconds(opt.sizes.get("recovery-bound-s")).toNanos();
    }

    private Row scenario(
            String name,
            String title,
            Load.Spec spec,
            Checker.Rules rules,
            boolean sampleReadiness,
            int cycles,
            Faults faults,
            String flags)
            throws Exception {
        log("=== " + name + ": " + title + " (category " + spec.category() + ")");
        long t0 = System.nanoTime();
        scenarioAnomalies.clear();
        List<Checker.Cycle> results = new ArrayList<>();
        Checker.Verdict v;
        Map<Integer, Long> readinessAnswers = Map.of();
        try (History history = new History(origin, runDir.resolve(name + ".history.jsonl"))) {
            Load load = new Load(api, history, spec, opt.sizes.get("seed"));
            LiveReader reader = new LiveReader(api, spec.category());
            LiveSubscriber subscriber =
                    new LiveSubscriber(opt.baseUrl, token, spec.category()).start();
            List<Checker.Delivery> deliveries = new ArrayList<>();
            GroupConsumers group =
                    opt.i("group-consumers") == 0
                            ? null
                            : new GroupConsumers(
                                            opt.baseUrl,
                                            token,
                                            "faults-" + spec.category(),
                                            spec.category(),
                                            opt.i("group-consumers"))
                                    .start();
            this.group = group;
            List<Checker.GroupCycle> groupCycles = new ArrayList<>();
            ReadinessProbe readiness =
                    sampleReadiness ? new ReadinessProbe(opt.baseUrl, 200).start() : null;
            if (readiness != null) {
                log(name + ": sampling " + readiness.uri() + " every 200 ms");
            }
            Thread progress = progress(name, load, reader, subscriber, group);
            load.start();
            reader.start();
            try {
                faults.inject(
                        load,
                        history,
                        results,
                        readiness,
                        c -> {
                            deliveries.add(delivered(name, c, history, subscriber));
                            if (group != null) {
                                groupCycles.add(groupAcked(name, c, history, group));
                            }
                        });
            } finally {
                load.stop();
                load.join();
                progress.interrupt();
                if (readiness != null) {
                    readiness.close();
                    readinessAnswers = readiness.statuses();
                }
            }
            log(name + ": load stopped; " + load.answers() + "; reading the store back");
            control.run("pg-start"); // a no-op unless a failed cycle left it stopped
            waitReady(300);
            StoreImage image = StoreImage.read(api, load.streams(), spec.category(), control);
            boolean caughtUp = reader.finish(120_000);
            reader.writeReads(runDir.resolve(name + ".reads.jsonl"), origin);
            List<UUID> finalLog = image.globalLog().stream().map(StoreImage.Ev::eventId).toList();
            Checker.SubscriberRun subscribed = subscriber.finish(finalLog, deliveries, 120_000);
            List<StoreImage.Ev> logged = image.globalLog();
            long last = logged.isEmpty() ? 0 : logged.get(logged.size() - 1).position();
            Checker.GroupRun grouped =
                    group == null ? null : group.finish(finalLog, last, groupCycles, 120_000);
            v =
                    Checker.check(
                                    history.attempts(),
                                    image,
                                    new Checker.ReaderRun(reader.seen(), caughtUp, reader.reads()),
                                    subscribed,
                                    grouped,
                                    results,
                                    rules)
                            .plus(scenarioAnomalies);
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
                                + " committed, %d not); multi-stream appends %d acknowledged, %d"
                                + " unknown; answers %s; reads checked %d, answers"
                                + " %s, %d over %d s; subscriber delivered %d events, %d"
                                + " reconnections; group acked %d events (%d twice, %d"
                                + " redeliveries); recovery %s, %d over the bound; readiness"
                                + " %s (samples %s); %d anomalies; %.0f s",
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
                        v.multiStreamOps(),
                        v.multiStreamUnknown(),
                        v.answers(),
                        v.readsChecked(),
                        v.readAnswers(),
                        v.slowReads(),
                        opt.sizes.get("read-bound-s"),
                        v.subscriberEvents(),
                        v.subscriberReconnections(),
                        v.groupAcked(),
                        v.groupAckedTwice(),
                        v.groupRedelivered(),
                        recovery(results),
                        v.slowRecoveries(),
                        readinessSummary(results),
                        readinessAnswers,
                        v.anomalyCount(),
                        secs));
        for (String a : v.anomalies()) {
            log("  ANOMALY " + a);
        }
        return new Row(
                name,
                cycles,
                v,
                results,
                rules.recoveryBoundNanos(),
                "faults/run.sh --only "
                        + name
                        + " "
                        + flags
                        + " --multi-every "
                        + opt.i("multi-every"),
                secs);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Starts PostgreSQL again and returns when it first accepted a connection of ours (on the
     * suite's clock), probing every 50 ms while {@code ctl.sh pg-start} runs: the recovery clock
     * starts then, not when the fault began nor when the start command returns.
     */
    private long startDatabase() {
        CompletableFuture<Void> start =
                CompletableFuture.runAsync(
                        () -> control.run("pg-start"),
                        r -> {
                            Thread t = new Thread(r, "pg-start");
                            t.setDaemon(true);
                            t.start();
                        });
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            if (control.acceptsConnections()) {
                long back = System.nanoTime();
                start.join(); // fails when ctl.sh did
                return back;
            }
            if (start.isCompletedExceptionally()) {
                start.join();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "PostgreSQL not accepting connections 120 s after pg-start");
            }
            Load.sleep(50);
        }
    }

    /**
     * Waits (up to {@code --group-bound-s}) for the consumer group to ack every event acknowledged
     * before this call, and records which it had not when the wait ended.
     */
    private Checker.GroupCycle groupAcked(
            String name, int cycle, History history, GroupConsumers group)
            throws InterruptedException {
        List<UUID> acknowledged = history.acknowledgedEventIds();
        long t = System.nanoTime();
        List<UUID> notAcked =
                group.awaitAcked(acknowledged, opt.sizes.get("group-bound-s") * 1_000);
        double waited = (System.nanoTime() - t) / 1e9;
        log(
                String.format(
                        Locale.ROOT,
                        "%s cycle %d: consumer group at %d events acked (%d acknowledged so far, %d"
                                + " not acked) after %.2f s, %d redeliveries",
                        name,
                        cycle,
                        group.ackedCount(),
                        acknowledged.size(),
                        notAcked.size(),
                        waited,
                        group.redelivered()));
        return new Checker.GroupCycle(cycle, acknowledged.size(), notAcked, waited);
    }

    /**
     * Waits (up to {@code --subscriber-bound-s}) for the live subscriber to deliver every event
     * acknowledged before this call, and records how far it had got when the wait ended.
     */
    private Checker.Delivery delivered(
            String name, int cycle, History history, LiveSubscriber subscriber)
            throws InterruptedException {
        List<UUID> acknowledged = history.acknowledgedEventIds();
        long t = System.nanoTime();
        int count =
                subscriber.awaitDelivered(
                        acknowledged, opt.sizes.get("subscriber-bound-s") * 1_000);
        double waited = (System.nanoTime() - t) / 1e9;
        log(
                String.format(
                        Locale.ROOT,
                        "%s cycle %d: live subscriber at %d events (%d acknowledged so far) after"
                                + " %.2f s, %d reconnections",
                        name,
                        cycle,
                        count,
                        acknowledged.size(),
                        waited,
                        subscriber.reconnections()));
        return new Checker.Delivery(cycle, acknowledged, count, waited);
    }

    /**
     * A database fault cycle's outcome: recovery from {@code backNanos} (the database accepting
     * connections again) to the first acknowledged append sent after it; whether readiness was DOWN
     * between the fault and that append; whether it is UP again within the recovery bound.
     */
    private Checker.Cycle recovered(
            int number,
            History history,
            int mark,
            long faultNanos,
            long backNanos,
            ReadinessProbe readiness) {
        long ack = firstAck(history, mark, backNanos);
        long recoveredAt = ack < 0 ? System.nanoTime() : ack;
        // First UP after recovery, then DOWN during the outage: samples go one at a time, so once
        // one sent after recovery has answered, every one sent during the outage has too.
        // UP within the recovery bound, plus one sample's timeout (a sample sent during the
        // outage may still be waiting).
        boolean up =
                readiness.awaitUp(
                        recoveredAt,
                        recoveredAt + recoveryBoundNanos() + ReadinessProbe.TIMEOUT.toNanos());
        boolean down = readiness.downBetween(faultNanos, recoveredAt);
        return new Checker.Cycle(number, seconds(backNanos, ack), true, down, up);
    }

    /**
     * When (on the suite's clock) the first append sent after {@code sentAfter} was acknowledged,
     * scanning the history from index {@code mark} (taken before {@code sentAfter}); -1 when none
     * was within 5 minutes.
     */
    private long firstAck(History history, int mark, long sentAfter) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        int i = mark;
        while (System.nanoTime() < deadline) {
            int size = history.size();
            for (; i < size; i++) {
                Attempt a = history.get(i);
                if (a.acknowledged() && a.startNanos() > sentAfter) {
                    return a.endNanos();
                }
            }
            Load.sleep(20);
        }
        log("no append acknowledged within 5 minutes of the fault");
        return -1;
    }

    /** Seconds from {@code from} to {@code to}; NaN when {@code to} is -1 (never). */
    private static double seconds(long from, long to) {
        return to < 0 ? Double.NaN : (to - from) / 1e9;
    }

    private static String readiness(Checker.Cycle c) {
        return "readiness DOWN during the outage: "
                + (c.readinessDown() ? "yes" : "no")
                + ", UP again after: "
                + (c.readinessUpAfter() ? "yes" : "no");
    }

    private void underLoad(long millis) {
        Load.sleep(millis);
    }

    private void untilFinished(Load load) throws InterruptedException {
        load.join();
    }

    private Thread progress(
            String name,
            Load load,
            LiveReader reader,
            LiveSubscriber subscriber,
            GroupConsumers group) {
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
                                                        + " (%d reads, %d not 200),"
                                                        + " subscriber at %d events (%d"
                                                        + " reconnections, %d drops), group"
                                                        + " at %d acked (%d redeliveries)",
                                                name,
                                                load.ackedOps(),
                                                load.ackedEvents(),
                                                load.answers(),
                                                reader.seenCount(),
                                                reader.readCount(),
                                                reader.failedReads(),
                                                subscriber.seenCount(),
                                                subscriber.reconnections(),
                                                subscriber.drops(),
                                                group == null ? 0 : group.ackedCount(),
                                                group == null ? 0 : group.redelivered()));
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
                        + " | half-written | unknown outcomes (committed / not) | multi-stream"
                        + " appends (acknowledged / unknown) | recovery time"
                        + " (median / max) | recoveries over the bound | readiness DOWN during"
                        + " outage / UP after | reads checked | subscriber (events /"
                        + " reconnections) | consumer group (acked / twice / redelivered) |"
                        + " anomalies | command |\n");
        b.append(
                "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | ---"
                        + " | --- | --- | --- |\n");
        for (Row r : rows) {
            Checker.Verdict v = r.verdict();
            b.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %d | %d | %d | %d | %d (%d / %d) | %d / %d | %s | %s | %s"
                                    + " | %s | %s"
                                    + " | %s | %d | `%s` |%n",
                            r.fault(),
                            r.cycles() == 0 ? "–" : Integer.toString(r.cycles()),
                            v.ackedEvents(),
                            v.lost(),
                            v.duplicates(),
                            v.halfWritten(),
                            v.indeterminateOps(),
                            v.resolvedCommitted(),
                            v.resolvedAbsent(),
                            v.multiStreamOps(),
                            v.multiStreamUnknown(),
                            recovery(r.results()),
                            overBound(r),
                            readinessSummary(r.results()),
                            reads(v),
                            v.subscriberEvents() < 0
                                    ? "–"
                                    : v.subscriberEvents() + " / " + v.subscriberReconnections(),
                            v.groupAcked() < 0
                                    ? "–"
                                    : v.groupAcked()
                                            + " / "
                                            + v.groupAckedTwice()
                                            + " / "
                                            + v.groupRedelivered(),
                            v.anomalyCount(),
                            r.command()));
        }
        return b.toString();
    }

    /** Median and maximum recovery, and how many cycles never recovered. */
    static String recovery(List<Checker.Cycle> cycles) {
        List<Double> s = new ArrayList<>();
        long never = 0;
        for (Checker.Cycle c : cycles) {
            if (Double.isNaN(c.recoverySeconds())) {
                never++;
            } else {
                s.add(c.recoverySeconds());
            }
        }
        if (s.isEmpty() && never == 0) {
            return "–";
        }
        String text = "–";
        if (!s.isEmpty()) {
            s.sort(null);
            text = secs(s.get(s.size() / 2)) + " / " + secs(s.get(s.size() - 1));
        }
        return never == 0 ? text : text + " (" + never + " never)";
    }

    private static String secs(double seconds) {
        return String.format(Locale.ROOT, seconds < 10 ? "%.2f s" : "%.1f s", seconds);
    }

    private static String overBound(Row r) {
        if (r.results().isEmpty()) {
            return "–";
        }
        if (r.recoveryBoundNanos() <= 0) {
            return "not bounded";
        }
        return String.format(
                Locale.ROOT,
                "%d of %d (bound %.0f s)",
                r.verdict().slowRecoveries(),
                r.results().size(),
                r.recoveryBoundNanos() / 1e9);
    }

    /** In how many sampled cycles readiness was DOWN during the outage, and UP after it. */
    static String readinessSummary(List<Checker.Cycle> cycles) {
        List<Checker.Cycle> sampled =
                cycles.stream().filter(Checker.Cycle::readinessSampled).toList();
        if (sampled.isEmpty()) {
            return "–";
        }
        long down = sampled.stream().filter(Checker.Cycle::readinessDown).count();
        long up = sampled.stream().filter(Checker.Cycle::readinessUpAfter).count();
        return down + "/" + sampled.size() + " / " + up + "/" + sampled.size();
    }

    /** Reads checked, with the answers other than 200 and the reads over the bound. */
    static String reads(Checker.Verdict v) {
        List<String> other = new ArrayList<>();
        v.readAnswers()
                .forEach(
                        (status, n) -> {
                            if (status != 200) {
                                String what =
                                        switch (status) {
                                            case Attempt.UNKNOWN -> "no answer";
                                            case LiveReader.Read.PENDING -> "unanswered";
                                            default -> Integer.toString(status);
                                        };
                                other.add(what + ": " + n);
                            }
                        });
        if (v.slowReads() > 0) {
            other.add("over the bound: " + v.slowReads());
        }
        return v.readsChecked() + (other.isEmpty() ? "" : " (" + String.join(", ", other) + ")");
    }

    private static void log(String message) {
        System.out.println(
                "[faults " + Instant.now().toString().substring(11, 19) + "] " + message);
    }
}
