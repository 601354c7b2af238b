package io.arbor.bench;

import io.arbor.bench.Http.Reply;
import io.arbor.bench.Load.Outcome;
import io.arbor.bench.Load.Result;
import io.arbor.client.DevelopmentTokens;
import io.arbor.spi.EventHash;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Arbor's benchmark: one run measures the raw-SQL ceiling (pgbench) and Arbor over REST on the same
 * machine, and prints every figure with its ratio to a baseline taken in the same run. Run it with
 * {@code bench/run.sh} (see there and the README for the options).
 */
public final class Bench {
    private static final String EVENT =
            "{\"type\":\"Deposited\",\"data\":{\"amount\":10,\"currency\":\"EUR\"}}";

    private final Options options;
    private final Http http;
    private final Groups groups;

    /** The server's CPU in every measured window: the Payara JVM, Arbor's database's backends. */
    private final ServerCpu cpu;

    /** PostgreSQL's CPU in the raw-SQL ceiling: the backends of the scratch database. */
    private final ServerCpu ceilingCpu;

    private final String run = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    private final List<Row> rows = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    /** One line of the final table. */
    record Row(String scenario, String figure, String baseline, String ratio, String goal) {}

    /**
     * Long enough for the longest run (scenario 8 seeds ten million rows first): a token that
     * expired mid-run would turn every later request into a 401.
     */
    private static final Duration TOKEN_TTL = Duration.ofHours(12);

    private Bench(Options options) {
        this.options = options;
        this.http =
                new Http(
                        options.base,
                        DevelopmentTokens.toolToken(options.devKey, TOKEN_TTL).orElse(null));
        this.groups = new Groups(http);
        long ticks = ServerCpu.ticksPerSecond();
        this.cpu = new ServerCpu(options.serverPid, options.database(), ticks);
        this.ceilingCpu = new ServerCpu(0, options.ceilingDb, ticks);
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Bench bench = new Bench(options);
        int status = bench.runAll();
        System.exit(status);
    }

    private int runAll() throws Exception {
        try (Store store =
                new Store(
                        options.jdbc,
                        options.dbUser,
                        options.dbPassword,
                        options.dbOwnerUser,
                        options.dbOwnerPassword)) {
            printSetup(store);
            requireReady();
            requireAccess();
            if (options.reset) {
                System.out.println(
                        "== resetting the store (TRUNCATE snapshots, event_tags, events, streams)");
                store.reset();
                System.out.printf(Locale.ROOT, "store after reset: %,d events%n", store.events());
            }
            Ceiling ceiling = options.wants(1) ? ceiling() : null;
            Result emptyStore = null;
            long emptyCount = 0;
            if (options.wants(8)) {
                emptyCount = store.events();
                System.out.printf(
                        Locale.ROOT,
                        "== 8: append p50 with the store as it is (%,d events)%n",
                        emptyCount);
                emptyStore = singleAppends("8: append, 1 client, " + emptyCount + " stored", 1);
            }
            if (options.wants(2)) {
                singleAppendScenarios(ceiling);
            }
            if (options.wants(3)) {
                batchedAppends(ceiling);
            }
            if (options.wants(4)) {
                contendedWriters();
            }
            if (options.wants(5)) {
                hotReads();
            }
            if (options.wants(6) || options.wants(7) || options.wants(13)) {
                String stream = "recovery-" + run;
                long size = Math.max(options.catchupEvents, options.recoveryEvents);
                System.out.printf(
                        Locale.ROOT, "== seeding stream %s with %,d events (SQL)%n", stream, size);
                store.seedStream(stream, "recovery", size);
                store.settle();
                if (options.wants(6)) {
                    catchUp();
                }
                if (options.wants(7)) {
                    recovery(stream, size);
                }
                if (options.wants(13)) {
                    sseCatchUp();
                }
            }
            if (options.wants(8)) {
                long stored = store.events();
                long missing = Math.max(0, options.storedEvents - stored);
                missing = (missing + 99) / 100 * 100;
                if (missing > 0) {
                    System.out.printf(
                            Locale.ROOT,
                            "== seeding %,d events in streams of 100 (SQL), to %,d stored%n",
                            missing,
                            stored + missing);
                    store.seedStreams("seed-" + run + "-", "seed", missing, 100);
                    store.settle();
                }
                long fullCount = store.events();
                System.out.printf(
                        Locale.ROOT, "== 8: append p50 with %,d events stored%n", fullCount);
                Result full = singleAppends("8: append, 1 client, " + fullCount + " stored", 1);
                double ratio = full.p50Millis() / emptyStore.p50Millis();
                rows.add(
                        new Row(
                                String.format(
                                        Locale.ROOT,
                                        "8. append p50, 1 client, %,d events stored",
                                        fullCount),
                                ms(full.p50Millis())
                                        + " p50 (p99 "
                                        + ms(full.p99Millis())
                                        + "); "
                                        + cpuPer(full, "append", false),
                                String.format(
                                        Locale.ROOT,
                                        "%s p50 at %,d stored",
                                        ms(emptyStore.p50Millis()),
                                        emptyCount),
                                ratio(ratio),
                                goal(ratio <= 1.2, "≤ 1.2")));
            }
            if (options.wants(9)) {
                sustained();
            }
            if (options.wants(10)) {
                schemaValidation();
            }
            if (options.wants(11)) {
                deliveryLatency(store);
            }
            if (options.wants(12)) {
                fanOut(store);
            }
            if (options.wants(14)) {
                groupThroughput(store);
            }
            if (options.wants(15)) {
                rebuild(store);
            }
            if (options.wants(16)) {
                securityCost();
            }
            if (options.wants(17)) {
                conditionalAppends();
            }
            if (options.wants(18)) {
                multiStreamAppends();
            }
            if (options.wants(20)) {
                queryByTag(store);
            }
            if (options.wants(21)) {
                scavengeUnderAppends(store);
            }
            if (options.wants(22)) {
                atStoreAsItIs(store);
            }
        }
        printTable();
        if (!problems.isEmpty()) {
            System.out.println();
            System.out.println(
                    "FAILED: the run saw unexpected answers, so its figures do not count:");
            problems.forEach(p -> System.out.println("  - " + p));
            return 1;
        }
        return 0;
    }

    // ------------------------------------------------------------------ setup and report ----

    private void printSetup(Store store) throws Exception {
        System.out.println(
                "Arbor benchmark, run " + run + (options.smoke ? " (smoke: tiny sizes)" : ""));
        System.out.println("date: " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        long memKb = 0;
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                memKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        System.out.printf(
                Locale.ROOT,
                "machine: %d cores, %.1f GiB RAM, %s %s; load average %s%n",
                Runtime.getRuntime().availableProcessors(),
                memKb / 1024.0 / 1024.0,
                System.getProperty("os.name"),
                System.getProperty("os.version"),
                Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println(
                "load generator: java "
                        + System.getProperty("java.version")
                        + ", HTTP/1.1 keep-alive over plain sockets, HdrHistogram, pre-built bodies");
        System.out.printf(
                "postgresql: %s; fsync=%s synchronous_commit=%s shared_buffers=%s"
                        + " max_connections=%s%n",
                store.setting("server_version"),
                store.setting("fsync"),
                store.setting("synchronous_commit"),
                store.setting("shared_buffers"),
                store.setting("max_connections"));
        options.info.forEach((k, v) -> System.out.println(k + ": " + v));
        System.out.println(
                "server CPU: from /proc (utime + stime) at the start and end of each measured"
                        + " window: Payara = JVM pid "
                        + (options.serverPid > 0 ? options.serverPid : "unknown (n/a)")
                        + "; PostgreSQL = the backends of database "
                        + options.database()
                        + " (autovacuum included), per acknowledged append (per event for"
                        + " batches); \"bg\" = the cluster's walwriter, checkpointer and"
                        + " background writer, shared with other databases");
        System.out.printf(
                Locale.ROOT,
                "settings: target %s, database %s; %d s per measurement after %d s warm-up;"
                        + " pgbench %d s per run; batch %d events x %d clients; %d writers;"
                        + " hot reads %d streams x %d clients; catch-up %,d events;"
                        + " recovery %,d events, tail %,d; stored %,d events; sustained %,.0f"
                        + " events/s (%d per request) for %d s; live subscriptions %d s at that"
                        + " rate, fan-out to %d%s; consumer groups: %d consumers, fetch %d, over"
                        + " %,d events, rebuild over %,d; scavenge of %,d events; scenarios %s%n",
                options.base,
                options.jdbc,
                options.measureMillis / 1000,
                options.warmupMillis / 1000,
                options.ceilingSeconds,
                options.batchSize,
                options.batchClients,
                options.writers,
                options.readStreams,
                options.readClients,
                options.catchupEvents,
                options.recoveryEvents,
                options.recoveryTail,
                options.storedEvents,
                options.rate,
                options.sustainedBatch,
                options.sustainedSeconds,
                options.liveSeconds,
                options.subscribers,
                options.otherInstance == null ? "" : ", other instance " + options.otherInstance,
                options.groupConsumers,
                options.groupFetch,
                options.groupEvents,
                options.rebuildEvents,
                options.scavengeEvents,
                (options.only.isEmpty() ? "all" : options.only.toString())
                        + (options.skip.isEmpty() ? "" : " except " + options.skip));
        System.out.printf(Locale.ROOT, "store at start: %,d events%n", store.events());
    }

    private void requireReady() throws Exception {
        Reply ready = http.getServer(options.base, "/health/ready");
        if (ready.status() != 200) {
            throw new IllegalStateException(
                    options.base
                            + "/health/ready answered "
                            + ready.status()
                            + ": "
                            + ready.body());
        }
    }

    /** Fails at once, saying what to do, when the server refuses this run's token (or none). */
    private void requireAccess() throws Exception {
        Reply reply = http.get("/streams?limit=1", false, true);
        if (reply.status() == 401 || reply.status() == 403) {
            throw new IllegalStateException(
                    "GET /streams answered "
                            + reply.status()
                            + (http.token() == null
                                    ? " to a request without a token: set ARBOR_TOKEN, or let"
                                            + " server-config/run.sh create the development key ("
                                            + options.devKey
                                            + ")"
                                    : " to the run's token (ARBOR_TOKEN, else minted with "
                                            + options.devKey
                                            + "): it needs the role arbor-admin")
                            + ": "
                            + reply.body());
        }
    }

    private void printTable() {
        System.out.println();
        System.out.println("| scenario | figure | baseline (same run) | ratio | goal |");
        System.out.println("| --- | --- | --- | --- | --- |");
        for (Row row : rows) {
            System.out.printf(
                    "| %s | %s | %s | %s | %s |%n",
                    row.scenario(), row.figure(), row.baseline(), row.ratio(), row.goal());
        }
    }

    private void check(Result result) {
        if (result.failed() > 0) {
            problems.add(
                    result.label()
                            + ": "
                            + result.failed()
                            + " failed requests, e.g. "
                            + result.failures());
        }
        System.out.printf(
                Locale.ROOT,
                "  %s: %,.0f ok/s (%,.0f units/s), p50 %s, p99 %s, max %s; %d refused, %d failed%n",
                result.label(),
                result.perSecond(),
                result.unitsPerSecond(),
                ms(result.p50Millis()),
                ms(result.p99Millis()),
                ms(result.maxMillis()),
                result.refused(),
                result.failed());
        ServerCpu.Used per = result.cpu().per(result.ok());
        System.out.printf(
                Locale.ROOT,
                "    CPU per ok request: %s (bg %s)%s%n",
                per.brief(),
                ServerCpu.Used.ms(per.backgroundMs()),
                result.units() == result.ok()
                        ? ""
                        : "; per unit: " + result.cpu().per(result.units()).brief());
    }

    /** "484/s, p50 …, p99 …; CPU/append …": a row's figure for single-event appends. */
    private static String appendFigure(Result result) {
        return tps(result.perSecond())
                + "/s, p50 "
                + ms(result.p50Millis())
                + ", p99 "
                + ms(result.p99Millis())
                + "; "
                + cpuPer(result, "append", false);
    }

    /** "CPU/append Payara 2.86 ms + PostgreSQL 0.90 ms", per ok request or per unit (event). */
    private static String cpuPer(Result result, String unit, boolean perUnit) {
        return "CPU/"
                + unit
                + " "
                + result.cpu().per(perUnit ? result.units() : result.ok()).brief();
    }

    // ------------------------------------------------------------------------ scenarios ----

    /**
     * pgbench figures: Arbor's append shape, ordered and naive, by client count; the 100-event
     * batch in events/s; PostgreSQL's CPU per transaction of the ordered shape at 8 clients and per
     * event of the batch.
     */
    record Ceiling(
            Map<Integer, Double> ordered,
            Map<Integer, Double> naive,
            double batchEvents,
            ServerCpu.Used perAppend,
            ServerCpu.Used perBatchEvent) {}

    /** One pgbench run: transactions per second and processed, the backends' CPU. */
    record PgBench(double tps, long transactions, ServerCpu.Used cpu) {
        ServerCpu.Used perTransaction() {
            return cpu.per(transactions);
        }
    }

    private Ceiling ceiling() throws Exception {
        System.out.println("== 1: raw-SQL ceiling (pgbench, Arbor's append shape, no server)");
        Map<Integer, Double> ordered = new LinkedHashMap<>();
        Map<Integer, Double> naive = new LinkedHashMap<>();
        ServerCpu.Used perAppend = null;
        for (int clients : new int[] {1, 8}) {
            naive.put(clients, pgbench("append-unordered.sql", clients, 1).tps());
            PgBench run = pgbench("append-ordered.sql", clients, 1);
            ordered.put(clients, run.tps());
            perAppend = run.perTransaction();
            rows.add(
                    new Row(
                            "1. raw SQL, single-event append, " + clients + " client(s)",
                            tps(ordered.get(clients))
                                    + " appends/s (commit-ordered positions); CPU/append"
                                    + " PostgreSQL "
                                    + ServerCpu.Used.ms(perAppend.postgresMs()),
                            tps(naive.get(clients)) + "/s with a naive sequence",
                            ratio(ordered.get(clients) / naive.get(clients)),
                            "ceiling"));
        }
        PgBench batch = pgbench("append-ordered-batch.sql", 8, options.batchSize);
        double batchEvents = batch.tps() * options.batchSize;
        ServerCpu.Used perEvent = batch.cpu().per(batch.transactions() * options.batchSize);
        rows.add(
                new Row(
                        "1. raw SQL, " + options.batchSize + "-event append, 8 clients",
                        tps(batchEvents)
                                + " events/s; CPU/event PostgreSQL "
                                + ServerCpu.Used.ms(perEvent.postgresMs()),
                        "",
                        "",
                        "ceiling"));
        return new Ceiling(ordered, naive, batchEvents, perAppend, perEvent);
    }

    private PgBench pgbench(String script, int clients, int events) throws Exception {
        Matcher url =
                Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/.*").matcher(options.jdbc);
        if (!url.matches()) {
            throw new IllegalArgumentException("cannot read host and port from " + options.jdbc);
        }
        List<String> command =
                List.of(
                        "pgbench",
                        "-h",
                        url.group(1),
                        "-p",
                        url.group(2) == null ? "5432" : url.group(2),
                        "-U",
                        options.dbUser,
                        "-n",
                        "-c",
                        Integer.toString(clients),
                        "-j",
                        Integer.toString(Math.min(clients, 2)),
                        "-T",
                        Integer.toString(options.ceilingSeconds),
                        "-D",
                        "n=" + events,
                        "-f",
                        options.pgbenchDir.resolve(script).toString(),
                        options.ceilingDb);
        System.out.printf(
                "    .. pgbench %s, %d client(s), %d s%n", script, clients, options.ceilingSeconds);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", options.dbPassword);
        // The window spans pgbench's whole run: its backends start in it, and its few connection
        // set-ups count against thousands of transactions.
        ServerCpu.Window window = ceilingCpu.start();
        Process process = builder.start();
        double tps = -1;
        long transactions = -1;
        StringBuilder output = new StringBuilder();
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                output.append(line).append('\n');
                Matcher m = Pattern.compile("^tps = ([0-9.]+)").matcher(line);
                if (m.find()) {
                    tps = Double.parseDouble(m.group(1));
                }
                m =
                        Pattern.compile("^number of transactions actually processed: (\\d+)")
                                .matcher(line);
                if (m.find()) {
                    transactions = Long.parseLong(m.group(1));
                }
            }
        }
        int status = process.waitFor();
        ServerCpu.Used used = window.stop();
        if (status != 0 || tps < 0 || transactions < 0) {
            throw new IllegalStateException("pgbench failed: " + command + "\n" + output);
        }
        PgBench run = new PgBench(tps, transactions, used);
        System.out.printf(
                Locale.ROOT,
                "    .. %,.0f tps, %,d transactions; CPU per transaction: PostgreSQL %s (bg %s)%n",
                tps,
                transactions,
                ServerCpu.Used.ms(run.perTransaction().postgresMs()),
                ServerCpu.Used.ms(run.perTransaction().backgroundMs()));
        return run;
    }

    private Result singleAppends(String label, int clients) throws InterruptedException {
        byte[] body = ("{\"events\":[" + EVENT + "]}").getBytes(StandardCharsets.UTF_8);
        String prefix = label.replaceAll("[^0-9a-z]", "") + "-" + run;
        Result result =
                Load.closed(
                        label,
                        cpu,
                        clients,
                        options.warmupMillis,
                        options.measureMillis,
                        c -> {
                            String[] paths = new String[1000];
                            for (int i = 0; i < paths.length; i++) {
                                paths[i] =
                                        "/streams/append" + prefix + "-c" + c + "-" + i + "/events";
                            }
                            int[] next = {0};
                            return units -> {
                                Reply reply = http.post(paths[next[0]++ % paths.length], body);
                                return expect(reply, 201);
                            };
                        });
        check(result);
        return result;
    }

    private void singleAppendScenarios(Ceiling ceiling) throws InterruptedException {
        System.out.println("== 2: REST single-event appends, distinct streams");
        for (int clients : options.appendClients) {
            Result result = singleAppends("2: single appends, " + clients + " clients", clients);
            // The ceiling has 1 and 8 clients; more clients are held against 8.
            int baseClients = Math.min(clients, 8);
            Double base = ceiling == null ? null : ceiling.ordered().get(baseClients);
            rows.add(
                    new Row(
                            "2. REST single-event append, " + clients + " client(s)",
                            appendFigure(result),
                            base == null ? "" : "raw SQL " + baseClients + " clients",
                            base == null ? "" : ratio(result.perSecond() / base),
                            clients == 8 && base != null
                                    ? goal(result.perSecond() / base >= 0.6, "≥ 0.6")
                                    : ""));
            if (clients == 8) {
                ServerCpu.Used per = result.cpu().per(result.ok());
                ServerCpu.Used raw = ceiling == null ? null : ceiling.perAppend();
                rows.add(
                        new Row(
                                "2. CPU per REST single-event append, 8 clients",
                                per.brief(),
                                raw == null
                                        ? ""
                                        : "raw SQL, 8 clients: PostgreSQL "
                                                + ServerCpu.Used.ms(raw.postgresMs()),
                                raw == null ? "" : ratio(per.total() / raw.postgresMs()),
                                goal(
                                        per.payaraMs() <= 0.7 && per.postgresMs() <= 0.5,
                                        "Payara ≤ 0.7 ms, PostgreSQL ≤ 0.5 ms")));
                rows.add(hashChainCost(per));
            }
        }
    }

    /**
     * Hash chains on vs off (issue 18), without an "off" switch in the store: the CPU the append
     * path adds for a chain is hashing each event ({@link EventHash#hash}: canonical JSON of its
     * stored content, SHA-256 after its predecessor's hash), measured here in-process, on this
     * scenario's own event, as thread CPU time; held against the server's CPU per single-event
     * append measured in the same run ({@code per}, Payara + PostgreSQL, hashing included). On a
     * CPU-bound server, throughput with chains is then {@code 1 - h / cpu} of what it would be
     * without them (the 32 more bytes the event row and the stream row carry are not in it).
     */
    private static Row hashChainCost(ServerCpu.Used per) {
        String data = "{\"amount\":10,\"currency\":\"EUR\"}";
        java.util.UUID id = java.util.UUID.randomUUID();
        java.lang.management.ThreadMXBean threads =
                java.lang.management.ManagementFactory.getThreadMXBean();
        int rounds = 200_000;
        hashRounds(rounds, data, id); // warm-up: JIT
        long start = threads.getCurrentThreadCpuTime();
        hashRounds(rounds, data, id);
        double hashMs = (threads.getCurrentThreadCpuTime() - start) / 1e6 / rounds;
        double serverMs = per.total();
        double onVsOff = 1 - hashMs / serverMs; // off: the same CPU per append, less the hashing
        return new Row(
                "2. hash chains on vs off: hashing CPU per single-event append, 8 clients",
                String.format(Locale.ROOT, "%.1f µs per event", hashMs * 1000),
                "server CPU per append " + ServerCpu.Used.ms(serverMs),
                ratio(onVsOff),
                goal(onVsOff >= 0.95, "≥ 0.95× throughput"));
    }

    /** One stream's chain of {@code rounds} single-event appends of {@code data}. */
    private static byte[] hashRounds(int rounds, String data, java.util.UUID id) {
        byte[] previous = EventHash.GENESIS;
        for (int i = 0; i < rounds; i++) {
            previous =
                    EventHash.hash(
                            previous,
                            id,
                            "append-bench",
                            i + 1,
                            "Deposited",
                            1,
                            data,
                            "{}",
                            List.of());
        }
        return previous;
    }

    /**
     * 10: what validating events against a registered JSON Schema costs an append (issue 6): the
     * same 10-event appends at 4 clients, of a type without a schema, then of a type with one (5
     * typed properties, 2 required, a minimum and a maxLength), then without again; the baseline is
     * the mean of the two unvalidated runs, so drift during the run hits both sides.
     */
    private void schemaValidation() throws Exception {
        System.out.println("== 10: append with and without JSON Schema validation, 10 events");
        String validated = "BenchValidated" + run;
        byte[] schema =
                ("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\","
                                + "\"required\":[\"amount\",\"currency\"],\"properties\":{"
                                + "\"amount\":{\"type\":\"integer\",\"minimum\":0},"
                                + "\"currency\":{\"type\":\"string\",\"maxLength\":3},"
                                + "\"account\":{\"type\":\"string\"},"
                                + "\"note\":{\"type\":\"string\"},"
                                + "\"at\":{\"type\":\"integer\"}}}")
                        .getBytes(StandardCharsets.UTF_8);
        Reply registered = http.put("/schemas/" + validated + "/versions/1", schema);
        if (registered.status() != 201 && registered.status() != 200) {
            throw new IllegalStateException("registering the schema: " + registered);
        }
        Result plainBefore = tenEventAppends("10: without a schema", "BenchPlain" + run);
        Result checked = tenEventAppends("10: validated", validated);
        Result plainAfter = tenEventAppends("10: without a schema, again", "BenchPlain" + run);
        double plainRate = (plainBefore.unitsPerSecond() + plainAfter.unitsPerSecond()) / 2;
        double plainP50 = (plainBefore.p50Millis() + plainAfter.p50Millis()) / 2;
        rows.add(
                new Row(
                        "10. 10-event appends with JSON Schema validation, 4 clients",
                        tps(checked.unitsPerSecond())
                                + " events/s, p50 "
                                + ms(checked.p50Millis())
                                + "; "
                                + cpuPer(checked, "event", true),
                        tps(plainRate)
                                + " events/s, p50 "
                                + ms(plainP50)
                                + " without a schema; "
                                + cpuPer(plainAfter, "event", true),
                        ratio(checked.unitsPerSecond() / plainRate),
                        "measured"));
    }

    /**
     * 17: appends with an append condition of one tag (an index range scan that finds nothing, and
     * the advisory locks) against the same appends without one, 8 clients, in one run: plain,
     * conditional, plain again. Each request writes one event with a tag of its own, so every
     * condition holds.
     */
    private void conditionalAppends() throws Exception {
        System.out.println("== 17: appends with and without an append condition, 8 clients");
        againstBaseline(
                "17. appends with a one-tag append condition, 8 clients",
                "plain",
                measured -> taggedAppends(measured ? "17: conditional" : "17: plain", measured));
    }

    /** How one side of an A/B/A comparison runs: the measured side, or the baseline. */
    private interface Variant {
        Result run(boolean measured) throws InterruptedException;
    }

    /**
     * Runs the baseline, the measured side, the baseline again (so drift shows in neither), and
     * adds a row: the measured side's requests per second against the baselines' mean, goal 0.8×.
     */
    private void againstBaseline(String scenario, String baselineName, Variant side)
            throws InterruptedException {
        Result before = side.run(false);
        Result measured = side.run(true);
        Result after = side.run(false);
        double baseline = (before.perSecond() + after.perSecond()) / 2;
        double ratio = measured.perSecond() / baseline;
        rows.add(
                new Row(
                        scenario,
                        appendFigure(measured),
                        tps(baseline)
                                + "/s "
                                + baselineName
                                + "; "
                                + cpuPer(after, "append", false),
                        ratio(ratio),
                        goal(ratio >= 0.8, "≥ 0.8")));
    }

    private Result taggedAppends(String label, boolean conditional) throws InterruptedException {
        String prefix = label.replaceAll("[^0-9a-z]", "") + "-" + run;
        return closedAppends(
                label,
                8,
                1,
                (c, n) -> {
                    String tag = "bench:" + prefix + "-c" + c + "-" + n;
                    String body =
                            "{\"events\":[{\"type\":\"BenchTagged\",\"data\":{\"n\":"
                                    + n
                                    + "},\"tags\":[\""
                                    + tag
                                    + "\"]}]"
                                    + (conditional
                                            ? ",\"condition\":{\"failIfEventsMatch\":"
                                                    + "{\"items\":[{\"tags\":[\""
                                                    + tag
                                                    + "\"]}]},\"after\":0}"
                                            : "")
                                    + "}";
                    return new String[] {
                        "/streams/tagged" + prefix + "-c" + c + "-" + (n % 100) + "/events", body
                    };
                });
    }

    /**
     * {@code clients} in a closed loop, each request {@code (path, body)} of {@code units} events
     * made of the client's index and its own request count, every one answered 201.
     */
    private Result closedAppends(
            String label, int clients, int units, BiFunction<Integer, Integer, String[]> request)
            throws InterruptedException {
        Result result =
                Load.closed(
                        label,
                        cpu,
                        clients,
                        options.warmupMillis,
                        options.measureMillis,
                        c -> {
                            int[] next = {0};
                            return counted -> {
                                String[] sent = request.apply(c, next[0]++);
                                counted.value = units;
                                return expect(
                                        http.post(
                                                sent[0], sent[1].getBytes(StandardCharsets.UTF_8)),
                                        201);
                            };
                        });
        check(result);
        return result;
    }

    /**
     * 18: {@code POST /events} of one event to each of 2 streams against a single-stream append of
     * one event, per request, 8 clients, in one run: single, multi, single again.
     */
    private void multiStreamAppends() throws Exception {
        System.out.println("== 18: 2-stream appends against single-stream appends, 8 clients");
        againstBaseline(
                "18. append to 2 streams in one request (POST /events), 8 clients",
                "single-stream",
                measured ->
                        pairedAppends(
                                measured ? "18: two streams" : "18: single stream", measured));
    }

    private Result pairedAppends(String label, boolean twoStreams) throws InterruptedException {
        String prefix = label.replaceAll("[^0-9a-z]", "") + "-" + run;
        String event = "{\"type\":\"BenchPaired\",\"data\":{\"n\":1}}";
        return closedAppends(
                label,
                8,
                1,
                (c, n) -> {
                    String stream = "paired" + prefix + "-c" + c + "-" + (n % 100);
                    return twoStreams
                            ? new String[] {
                                "/events",
                                "{\"streams\":[{\"streamId\":\""
                                        + stream
                                        + "-a\",\"events\":["
                                        + event
                                        + "]},{\"streamId\":\""
                                        + stream
                                        + "-b\",\"events\":["
                                        + event
                                        + "]}]}"
                            }
                            : new String[] {
                                "/streams/" + stream + "-a/events", "{\"events\":[" + event + "]}"
                            };
                });
    }

    private Result tenEventAppends(String label, String type) throws InterruptedException {
        String event =
                "{\"type\":\""
                        + type
                        + "\",\"data\":{\"amount\":10,\"currency\":\"EUR\",\"account\":\"a-1\","
                        + "\"note\":\"bench\",\"at\":1}}";
        byte[] body =
                ("{\"events\":["
                                + String.join(",", java.util.Collections.nCopies(10, event))
                                + "]}")
                        .getBytes(StandardCharsets.UTF_8);
        String prefix = label.replaceAll("[^0-9a-z]", "") + "-" + run;
        String text = new String(body, StandardCharsets.UTF_8);
        return closedAppends(
                label,
                4,
                10,
                (c, n) ->
                        new String[] {
                            "/streams/schema" + prefix + "-c" + c + "-" + (n % 100) + "/events",
                            text
                        });
    }

    private void batchedAppends(Ceiling ceiling) throws InterruptedException {
        System.out.println(
                "== 3: REST batched appends, " + options.batchSize + " events per request");
        StringBuilder json = new StringBuilder("{\"events\":[");
        for (int i = 0; i < options.batchSize; i++) {
            json.append(i == 0 ? "" : ",").append(EVENT);
        }
        byte[] body = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        Result result =
                Load.closed(
                        "3: batched appends, " + options.batchClients + " clients",
                        cpu,
                        options.batchClients,
                        options.warmupMillis,
                        options.measureMillis,
                        c -> {
                            int[] next = {0};
                            return units -> {
                                Reply reply =
                                        http.post(
                                                "/streams/batch-"
                                                        + run
                                                        + "-c"
                                                        + c
                                                        + "-"
                                                        + (next[0]++ % 100)
                                                        + "/events",
                                                body);
                                units.value = options.batchSize;
                                return expect(reply, 201);
                            };
                        });
        check(result);
        double eventsPerSecond = result.unitsPerSecond();
        rows.add(
                new Row(
                        "3. REST "
                                + options.batchSize
                                + "-event appends, "
                                + options.batchClients
                                + " clients",
                        tps(eventsPerSecond)
                                + " events/s, p50 "
                                + ms(result.p50Millis())
                                + "; "
                                + cpuPer(result, "event", true),
                        ceiling == null
                                ? ""
                                : "raw SQL "
                                        + options.batchSize
                                        + "-event, 8 clients (CPU/event PostgreSQL "
                                        + ServerCpu.Used.ms(ceiling.perBatchEvent().postgresMs())
                                        + ")",
                        ceiling == null ? "" : ratio(eventsPerSecond / ceiling.batchEvents()),
                        (ceiling == null
                                        ? ""
                                        : goal(
                                                        eventsPerSecond / ceiling.batchEvents()
                                                                >= 0.9,
                                                        "≥ 0.9×")
                                                + "; ")
                                + goal(eventsPerSecond >= 40_000, "≥ 40,000 events/s")));
    }

    /**
     * {@code writers} closed loops appending one event each to one stream: with {@code exact}, each
     * sends the version it last saw (from its 201, or the 409's {@code actualVersion}); without,
     * {@code "any"}, which never conflicts.
     */
    private Result writersOnOneStream(int writers, boolean exact) throws InterruptedException {
        String kind = exact ? "exact" : "any";
        String path = "/streams/contended-" + run + "-" + kind + "-w" + writers + "/events";
        byte[] prefix = "{\"expectedVersion\":".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = (",\"events\":[" + EVENT + "]}").getBytes(StandardCharsets.UTF_8);
        byte[] any =
                ("{\"expectedVersion\":\"any\",\"events\":[" + EVENT + "]}")
                        .getBytes(StandardCharsets.UTF_8);
        Result result =
                Load.closed(
                        "4: " + writers + " writer(s) on one stream, expected version " + kind,
                        cpu,
                        writers,
                        options.warmupMillis,
                        options.measureMillis,
                        c -> {
                            long[] known = {0};
                            return units -> {
                                if (!exact) {
                                    return expect(http.post(path, any), 201);
                                }
                                byte[] version =
                                        Long.toString(known[0]).getBytes(StandardCharsets.UTF_8);
                                byte[] body =
                                        new byte[prefix.length + version.length + suffix.length];
                                System.arraycopy(prefix, 0, body, 0, prefix.length);
                                System.arraycopy(version, 0, body, prefix.length, version.length);
                                System.arraycopy(
                                        suffix,
                                        0,
                                        body,
                                        prefix.length + version.length,
                                        suffix.length);
                                Reply reply = http.post(path, body);
                                if (reply.status() == 201) {
                                    known[0] = reply.number("toVersion");
                                    return Outcome.OK;
                                }
                                if (reply.status() == 409 && reply.number("actualVersion") >= 0) {
                                    known[0] = reply.number("actualVersion");
                                    return Outcome.REFUSED;
                                }
                                throw unexpected(reply);
                            };
                        });
        check(result);
        return result;
    }

    /**
     * 4: writers on one stream. With exact expected versions, {@code --writers} against 1: the
     * goodput, and what a refused append (409) costs: the window's CPU less its accepted appends at
     * the one writer's CPU per append, divided by the refusals (with 64 writers refusals are most
     * requests, so the estimate rests on them). With {@code "any"}, {@code --writers} against 1:
     * appends that wait for each other instead of failing.
     */
    private void contendedWriters() throws InterruptedException {
        System.out.println("== 4: writers on one stream, exact expected versions and \"any\"");
        Result one = writersOnOneStream(1, true);
        Result many = writersOnOneStream(options.writers, true);
        Result oneAny = writersOnOneStream(1, false);
        Result manyAny = writersOnOneStream(options.writers, false);
        double ratio = many.perSecond() / one.perSecond();
        rows.add(
                new Row(
                        "4. " + options.writers + " writers on one stream, expected versions",
                        String.format(
                                Locale.ROOT,
                                "%s appends/s goodput; %,d × 409, %,d other answers",
                                tps(many.perSecond()),
                                many.refused(),
                                many.failed()),
                        tps(one.perSecond()) + "/s with 1 writer; " + cpuPer(one, "append", false),
                        ratio(ratio),
                        goal(ratio >= 0.8 && many.failed() == 0, "≥ 0.8, only 201/409")));
        ServerCpu.Used accepted = one.cpu().per(one.ok());
        ServerCpu.Used refused = many.cpu().minus(accepted.times(many.ok())).per(many.refused());
        double share = refused.total() / accepted.total();
        rows.add(
                new Row(
                        "4. CPU per refused append (409), " + options.writers + " writers",
                        refused.brief()
                                + String.format(
                                        Locale.ROOT,
                                        " (%,d refused, %,d accepted in the window)",
                                        many.refused(),
                                        many.ok()),
                        "accepted append, 1 writer: " + accepted.brief(),
                        ratio(share),
                        goal(share <= 0.25, "≤ 0.25×")));
        double anyRatio = manyAny.perSecond() / oneAny.perSecond();
        rows.add(
                new Row(
                        "4. " + options.writers + " writers on one stream, expectedVersion any",
                        appendFigure(manyAny),
                        tps(oneAny.perSecond())
                                + "/s with 1 writer; "
                                + cpuPer(oneAny, "append", false),
                        ratio(anyRatio),
                        goal(anyRatio >= 0.8 && manyAny.failed() == 0, "≥ 0.8")));
    }

    /**
     * {@code --read-streams} streams of 100 events, named {@code name-RUN-i}; returns the read of
     * each one's 100-event page, once read (so the hot cache holds them).
     */
    private String[] hotStreams(String name) throws Exception {
        StringBuilder json = new StringBuilder("{\"events\":[");
        for (int i = 0; i < 100; i++) {
            json.append(i == 0 ? "" : ",").append(EVENT);
        }
        byte[] body = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        String[] paths = new String[options.readStreams];
        for (int i = 0; i < paths.length; i++) {
            String stream = "/streams/" + name + "-" + run + "-" + i + "/events";
            Reply reply = http.post(stream, body);
            if (reply.status() != 201) {
                throw unexpected(reply);
            }
            paths[i] = stream + "?from=1&limit=100";
        }
        fillCache(paths);
        return paths;
    }

    private void fillCache(String[] paths) throws Exception {
        for (String path : paths) {
            expect(http.get(path, false, false), 200);
        }
    }

    /** Reads of a random one of {@code paths} by {@code clients}; {@code bypass}: cache off. */
    private Result hotReadLoad(
            String label, String[] paths, boolean bypass, long warmup, long measure)
            throws InterruptedException {
        Result result =
                Load.closed(
                        label,
                        cpu,
                        options.readClients,
                        warmup,
                        measure,
                        c ->
                                units -> {
                                    String path =
                                            paths[
                                                    ThreadLocalRandom.current()
                                                            .nextInt(paths.length)];
                                    return expect(http.get(path, bypass, false), 200);
                                });
        check(result);
        return result;
    }

    private void hotReads() throws Exception {
        System.out.println("== 5: hot-stream reads, 100-event pages, cache on vs off");
        String[] paths = hotStreams("hot");
        Histogram on = new Histogram(3);
        Histogram off = new Histogram(3);
        long onOk = 0;
        long offOk = 0;
        double onSeconds = 0;
        double offSeconds = 0;
        for (int round = 0; round < 2; round++) {
            for (boolean bypass : new boolean[] {true, false}) {
                Result result =
                        hotReadLoad(
                                "5: reads, cache "
                                        + (bypass ? "off" : "on")
                                        + ", round "
                                        + (round + 1),
                                paths,
                                bypass,
                                options.warmupMillis / 2,
                                options.measureMillis / 2);
                (bypass ? off : on).add(result.latencyMicros());
                if (bypass) {
                    offOk += result.ok();
                    offSeconds += result.seconds();
                } else {
                    onOk += result.ok();
                    onSeconds += result.seconds();
                }
            }
        }
        double onRate = onOk / onSeconds;
        double offRate = offOk / offSeconds;
        rows.add(
                new Row(
                        "5. hot-stream reads, cache on, " + options.readClients + " clients",
                        tps(onRate)
                                + " reads/s, p50 "
                                + ms(on.getValueAtPercentile(50) / 1000.0)
                                + ", p99 "
                                + ms(on.getValueAtPercentile(99) / 1000.0),
                        tps(offRate)
                                + " reads/s cache off (p50 "
                                + ms(off.getValueAtPercentile(50) / 1000.0)
                                + ")",
                        ratio(onRate / offRate),
                        "measured"));
    }

    private void catchUp() throws Exception {
        System.out.printf(
                Locale.ROOT,
                "== 6: global-log catch-up from position 0, %,d events%n",
                options.catchupEvents);
        Read read = pagedCatchUp();
        rows.add(
                new Row(
                        String.format(
                                Locale.ROOT,
                                "6. global-log catch-up from 0, %,d events, pages of 1,000",
                                read.events()),
                        tps(read.perSecond()) + " events/s (" + secs(read.seconds()) + ")",
                        "",
                        "",
                        "measured"));
    }

    /** A catch-up's count and time. */
    record Read(long events, double seconds) {
        double perSecond() {
            return events / seconds;
        }
    }

    /** The first {@code catchupEvents} events of the log, paged by {@code GET /events}. */
    private Read pagedCatchUp() throws Exception {
        return pagedRead("paged GET /events", 0, options.catchupEvents, null);
    }

    /**
     * {@code count} events of the log after position {@code after} (of one category, or all when
     * {@code category} is null), paged by {@code GET /events} with limit 1,000.
     */
    private Read pagedRead(String how, long after, long count, String category) throws Exception {
        String filter = category == null ? "" : "&category=" + category;
        long read = 0;
        long started = System.nanoTime();
        long lastReport = started;
        while (read < count) {
            Reply page = http.get("/events?after=" + after + "&limit=1000" + filter, false, true);
            if (page.status() != 200) {
                throw unexpected(page);
            }
            int events = page.count("\"globalPosition\":");
            if (events == 0) {
                break;
            }
            read += events;
            after = page.number("lastPosition");
            long now = System.nanoTime();
            if (now - lastReport > 2_000_000_000L) {
                System.out.printf(
                        Locale.ROOT,
                        "    .. read %,d events, at position %,d (%,.0f events/s)%n",
                        read,
                        after,
                        read / ((now - started) / 1e9));
                lastReport = now;
            }
        }
        return caughtUp(how, read, count, (System.nanoTime() - started) / 1e9);
    }

    /** A catch-up's end: checked against the events asked for, and printed. */
    private Read caughtUp(String how, long read, long count, double seconds) {
        if (read < count) {
            problems.add(
                    String.format(
                            Locale.ROOT,
                            "catch-up by %s read only %,d of %,d events",
                            how,
                            read,
                            count));
        }
        System.out.printf(
                Locale.ROOT,
                "  %s: %,d events in %s (%,.0f events/s)%n",
                how,
                read,
                secs(seconds),
                read / seconds);
        return new Read(read, seconds);
    }

    private void recovery(String stream, long size) throws Exception {
        long snapshotAt = Math.max(1, size - options.recoveryTail);
        System.out.printf(
                Locale.ROOT,
                "== 7: snapshot recovery: snapshot at %,d of %,d, then the tail%n",
                snapshotAt,
                size);
        Reply put =
                http.put(
                        "/streams/" + stream + "/snapshot",
                        ("{\"version\":"
                                        + snapshotAt
                                        + ",\"type\":\"AccountState\",\"data\":{\"balance\":"
                                        + snapshotAt
                                        + ",\"currency\":\"EUR\"}}")
                                .getBytes(StandardCharsets.UTF_8));
        if (put.status() != 201) {
            throw unexpected(put);
        }
        List<Double> times = new ArrayList<>();
        int repeats = options.smoke ? 2 : 5;
        long tail = 0;
        for (int i = 0; i < repeats; i++) {
            long started = System.nanoTime();
            Reply snapshot = http.get("/streams/" + stream + "/snapshot", false, true);
            if (snapshot.status() != 200) {
                throw unexpected(snapshot);
            }
            long from = snapshot.number("version") + 1;
            tail = 0;
            while (from > 0) {
                Reply page =
                        http.get(
                                "/streams/" + stream + "/events?from=" + from + "&limit=1000",
                                false,
                                true);
                if (page.status() != 200) {
                    throw unexpected(page);
                }
                tail += page.count("\"globalPosition\":");
                from = page.body().contains("\"next\":null") ? -1 : page.number("next");
            }
            times.add((System.nanoTime() - started) / 1e6);
        }
        if (tail != size - snapshotAt) {
            problems.add(
                    "recovery read a tail of " + tail + " events, expected " + (size - snapshotAt));
        }
        List<Double> warm = new ArrayList<>(times.subList(1, times.size()));
        warm.sort(Double::compare);
        rows.add(
                new Row(
                        String.format(
                                Locale.ROOT,
                                "7. snapshot recovery, %,d-event stream: snapshot + %,d-event tail",
                                size,
                                tail),
                        ms(times.get(0))
                                + " first, "
                                + ms(warm.get(warm.size() / 2))
                                + " warm (median)",
                        "",
                        "",
                        "measured"));
    }

    private void sustained() throws InterruptedException {
        double requests = options.rate / options.sustainedBatch;
        System.out.printf(
                Locale.ROOT,
                "== 9: sustained %,.0f events/s (%,.0f requests/s of %d) for %d s%n",
                options.rate,
                requests,
                options.sustainedBatch,
                options.sustainedSeconds);
        StringBuilder json = new StringBuilder("{\"events\":[");
        for (int i = 0; i < options.sustainedBatch; i++) {
            json.append(i == 0 ? "" : ",").append(EVENT);
        }
        byte[] body = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        Result result =
                Load.open(
                        "9: sustained",
                        cpu,
                        requests,
                        64,
                        options.warmupMillis,
                        options.sustainedSeconds * 1000L,
                        c -> {
                            int[] next = {0};
                            return units -> {
                                Reply reply =
                                        http.post(
                                                "/streams/steady-"
                                                        + run
                                                        + "-t"
                                                        + c
                                                        + "-"
                                                        + (next[0]++ % 100)
                                                        + "/events",
                                                body);
                                units.value = options.sustainedBatch;
                                return expect(reply, 201);
                            };
                        });
        check(result);
        rows.add(
                new Row(
                        String.format(
                                Locale.ROOT,
                                "9. sustained %,.0f events/s (%d-event appends) for %d s, open loop",
                                options.rate,
                                options.sustainedBatch,
                                options.sustainedSeconds),
                        "p99 "
                                + ms(result.p99Millis())
                                + ", p50 "
                                + ms(result.p50Millis())
                                + ", max "
                                + ms(result.maxMillis())
                                + "; "
                                + cpuPer(result, "event", true),
                        tps(result.unitsPerSecond()) + " events/s achieved",
                        "",
                        "measured"));
    }

    // ------------------------------------------------------------ live subscriptions ----

    /**
     * 11: how long an appended event takes to reach a live subscriber, at {@code rate} events/s in
     * {@code sustainedBatch}-event appends (open loop): from just before the append is written to
     * the subscriber having parsed the event frame, on the load generator's one clock. A subscriber
     * on the instance that takes the appends, and with {@code --other-instance}, one on the other
     * instance of the grid.
     */
    private void deliveryLatency(Store store) throws Exception {
        System.out.printf(
                Locale.ROOT,
                "== 11: append → delivery at %,.0f events/s (%d-event appends) for %d s%n",
                options.rate,
                options.sustainedBatch,
                options.liveSeconds);
        Map<String, String> servers = new LinkedHashMap<>();
        servers.put("the same instance", options.base);
        if (options.otherInstance != null) {
            servers.put("the other instance", options.otherInstance);
        }
        long head = store.head();
        List<Recorder> latencies = new ArrayList<>();
        List<Subscriber> subscribers = new ArrayList<>();
        try {
            for (Map.Entry<String, String> server : servers.entrySet()) {
                Recorder recorder = new Recorder(3);
                latencies.add(recorder);
                subscribers.add(
                        new Subscriber(
                                server.getKey(),
                                server.getValue(),
                                "/events/subscribe?after=" + head,
                                http.token(),
                                recorder,
                                Long.MAX_VALUE));
            }
            awaitCaughtUp(subscribers);
            Timed appends = timedAppends("11: appends", "latency", subscribers);
            List<String> where = new ArrayList<>(servers.keySet());
            for (int i = 0; i < subscribers.size(); i++) {
                Subscriber subscriber = subscribers.get(i);
                Histogram delivered = latencies.get(i).getIntervalHistogram();
                System.out.printf(
                        Locale.ROOT,
                        "  subscriber on %s: %,d timed events, p50 %s, p99 %s, max %s%n",
                        where.get(i),
                        delivered.getTotalCount(),
                        ms(delivered.getValueAtPercentile(50) / 1000.0),
                        ms(delivered.getValueAtPercentile(99) / 1000.0),
                        ms(delivered.getMaxValue() / 1000.0));
                double p99 = delivered.getValueAtPercentile(99) / 1000.0;
                rows.add(
                        new Row(
                                String.format(
                                        Locale.ROOT,
                                        "11. append → delivery, %,.0f events/s (%d-event appends),"
                                                + " subscriber on %s",
                                        options.rate,
                                        options.sustainedBatch,
                                        where.get(i)),
                                "p99 "
                                        + ms(p99)
                                        + ", p50 "
                                        + ms(delivered.getValueAtPercentile(50) / 1000.0)
                                        + ", max "
                                        + ms(delivered.getMaxValue() / 1000.0)
                                        + String.format(
                                                Locale.ROOT,
                                                " (%,d events, %,d of %,d received)",
                                                delivered.getTotalCount(),
                                                subscriber.timed(),
                                                appends.acknowledged()),
                                "append acknowledged: p99 "
                                        + ms(appends.result().p99Millis())
                                        + ", p50 "
                                        + ms(appends.result().p50Millis()),
                                "",
                                goal(p99 < 50 && subscriber.trouble() == null, "p99 < 50 ms")));
            }
            if (options.otherInstance == null) {
                System.out.println(
                        "  (no subscriber on another instance: pass --other-instance URL, or"
                                + " bench/run.sh --grid, to measure one)");
            }
        } finally {
            subscribers.forEach(Subscriber::close);
        }
    }

    /**
     * 12: one shared tailer per instance: the database statements and the deliveries of {@code
     * subscribers} live subscribers against 1 (and 0, the appends alone), each at {@code rate}
     * events/s, statements counted by pg_stat_statements over the same window.
     */
    private void fanOut(Store store) throws Exception {
        System.out.printf(
                Locale.ROOT,
                "== 12: fan-out, 0 / 1 / %d subscribers at %,.0f events/s (%d-event appends),"
                        + " %d s each%n",
                options.subscribers,
                options.rate,
                options.sustainedBatch,
                options.liveSeconds);
        Map<Integer, FanOut> phases = new LinkedHashMap<>();
        for (int count : new int[] {0, 1, options.subscribers}) {
            phases.put(count, fanOutPhase(store, count));
        }
        FanOut none = phases.get(0);
        FanOut one = phases.get(1);
        FanOut many = phases.get(options.subscribers);
        if (one.missing() != null) {
            rows.add(
                    new Row(
                            "12. fan-out, " + options.subscribers + " subscribers",
                            "pg_stat_statements unavailable: " + one.missing(),
                            "",
                            "",
                            "not measured"));
            return;
        }
        double ratio = many.statementsPerSecond() / one.statementsPerSecond();
        // Every subscriber had every event, and the appends kept the rate asked for: fewer appends
        // would make fewer statements and flatter the ratio.
        boolean keptUp =
                many.keptUp() == options.subscribers
                        && one.keptUp() == 1
                        && many.appendedPerSecond() >= 0.95 * options.rate;
        rows.add(
                new Row(
                        String.format(
                                Locale.ROOT,
                                "12. fan-out, %d subscribers on one instance, %,.0f events/s",
                                options.subscribers,
                                options.rate),
                        String.format(
                                Locale.ROOT,
                                "%s; %d/%d subscribers kept up; delivery p99 %s",
                                many.summary(),
                                many.keptUp(),
                                options.subscribers,
                                ms(many.p99Millis())),
                        String.format(
                                Locale.ROOT,
                                "1 subscriber: %s; appends alone: %s",
                                one.summary(),
                                none.summary()),
                        ratio(ratio)
                                + " (SELECTs "
                                + ratio(many.selectsPerSecond() / one.selectsPerSecond())
                                + "; per event appended "
                                + ratio(many.perEvent() / one.perEvent())
                                + ")",
                        goal(ratio <= 1.5 && keptUp, "≤ 1.5× at the full rate, all keep up")));
    }

    /** One phase of scenario 12: statements and deliveries per second. */
    record FanOut(
            double appendedPerSecond,
            double statementsPerSecond,
            double selectsPerSecond,
            double deliveredPerSecond,
            int keptUp,
            double p99Millis,
            String missing) {
        String summary() {
            return String.format(
                    Locale.ROOT,
                    "%s statements/s (%s SELECTs/s) at %s events/s appended, %s events delivered/s",
                    tps(statementsPerSecond),
                    tps(selectsPerSecond),
                    tps(appendedPerSecond),
                    tps(deliveredPerSecond));
        }

        /** Statements per event appended: the cost once the append rate is taken out. */
        double perEvent() {
            return statementsPerSecond / appendedPerSecond;
        }
    }

    private FanOut fanOutPhase(Store store, int count) throws Exception {
        long head = store.head();
        Recorder latencies = new Recorder(3);
        List<Subscriber> subscribers = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                subscribers.add(
                        new Subscriber(
                                "subscriber " + (i + 1) + " of " + count,
                                options.base,
                                "/events/subscribe?after=" + head,
                                http.token(),
                                latencies,
                                Long.MAX_VALUE));
            }
            awaitCaughtUp(subscribers);
            Store.Statements before = store.statements();
            long started = System.nanoTime();
            long deliveredBefore = subscribers.stream().mapToLong(Subscriber::timed).sum();
            long cpuBefore = ownCpuNanos();
            Timed appends = timedAppends("12: " + count + " subscriber(s)", "fanout", subscribers);
            // The window ends when the last subscriber has the last append (or gave up waiting).
            double seconds = (System.nanoTime() - started) / 1e9;
            double cores = (ownCpuNanos() - cpuBefore) / 1e9 / seconds;
            Store.Statements after = store.statements();
            long delivered =
                    subscribers.stream().mapToLong(Subscriber::timed).sum() - deliveredBefore;
            int keptUp = 0;
            for (Subscriber subscriber : subscribers) {
                if (subscriber.trouble() == null && subscriber.timed() == appends.acknowledged()) {
                    keptUp++;
                }
            }
            long statements = 0;
            long selects = 0;
            List<Map.Entry<String, Long>> delta = after.since(before);
            for (Map.Entry<String, Long> statement : delta) {
                statements += statement.getValue();
                if (statement.getKey().trim().toUpperCase(Locale.ROOT).startsWith("SELECT")) {
                    selects += statement.getValue();
                }
            }
            Histogram delivery = latencies.getIntervalHistogram();
            System.out.printf(
                    Locale.ROOT,
                    "  %d subscriber(s): %,.0f statements/s (%,.0f SELECTs/s) over %.1f s, %,.0f"
                            + " events/s appended; %,.0f events delivered/s; %d kept up; delivery"
                            + " p50 %s, p99 %s; this program used %.2f cores%n",
                    count,
                    statements / seconds,
                    selects / seconds,
                    seconds,
                    appends.acknowledged() / seconds,
                    delivered / seconds,
                    keptUp,
                    ms(delivery.getValueAtPercentile(50) / 1000.0),
                    ms(delivery.getValueAtPercentile(99) / 1000.0),
                    cores);
            if (after.missing() != null) {
                System.out.println("  pg_stat_statements: " + after.missing());
            }
            for (Map.Entry<String, Long> statement : delta.subList(0, Math.min(8, delta.size()))) {
                System.out.printf(
                        Locale.ROOT,
                        "    %,10.1f/s  %s%n",
                        statement.getValue() / seconds,
                        statement.getKey());
            }
            return new FanOut(
                    appends.acknowledged() / seconds,
                    statements / seconds,
                    selects / seconds,
                    delivered / seconds,
                    keptUp,
                    delivery.getValueAtPercentile(99) / 1000.0,
                    after.missing());
        } finally {
            subscribers.forEach(Subscriber::close);
        }
    }

    /** The appends of scenarios 11 and 12: their result, and how many events were acknowledged. */
    record Timed(Result result, long acknowledged) {}

    /**
     * {@code rate} events/s in {@code sustainedBatch}-event appends for {@code liveSeconds} after
     * the warm-up, each event marked with the nanoTime just before its append was written; then
     * waits until every subscriber has every acknowledged event (or 30 s), and reports whoever was
     * dropped, got events out of order, or missed some.
     */
    private Timed timedAppends(String label, String streams, List<Subscriber> subscribers)
            throws InterruptedException {
        AtomicLong acknowledged = new AtomicLong();
        String prefix = "/streams/" + streams + "-" + run + "-";
        long timeFrom = System.nanoTime() + options.warmupMillis * 1_000_000;
        subscribers.forEach(s -> s.timeFrom(timeFrom));
        Result result =
                Load.open(
                        label,
                        cpu,
                        options.rate / options.sustainedBatch,
                        64,
                        options.warmupMillis,
                        options.liveSeconds * 1000L,
                        c -> {
                            int[] next = {0};
                            return units -> {
                                String path = prefix + c + "-" + (next[0]++ % 100) + "/events";
                                Reply reply = http.post(path, timedAppend(System.nanoTime()));
                                units.value = options.sustainedBatch;
                                Outcome outcome = expect(reply, 201);
                                acknowledged.addAndGet(options.sustainedBatch);
                                return outcome;
                            };
                        });
        check(result);
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (Subscriber subscriber : subscribers) {
            while (subscriber.timed() < acknowledged.get()
                    && subscriber.trouble() == null
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }
        for (Subscriber subscriber : subscribers) {
            String trouble = subscriber.trouble();
            if (trouble != null && !subscriber.wasDropped()) {
                problems.add(label + ", " + trouble);
            } else if (trouble != null) {
                System.out.println("  " + trouble);
            } else if (subscriber.timed() != acknowledged.get()) {
                problems.add(
                        String.format(
                                Locale.ROOT,
                                "%s: a subscriber received %,d of %,d acknowledged events within"
                                        + " 30 s of the last append",
                                label,
                                subscriber.timed(),
                                acknowledged.get()));
            }
        }
        return new Timed(result, acknowledged.get());
    }

    /** The CPU time this program has used: how much of the machine the load generator took. */
    private static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** One append of {@code sustainedBatch} events, each carrying {@code sentNanos}. */
    private byte[] timedAppend(long sentNanos) {
        StringBuilder json = new StringBuilder(64 + options.sustainedBatch * 80);
        json.append("{\"events\":[");
        for (int i = 0; i < options.sustainedBatch; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"Timed\",\"data\":{\"")
                    .append(Subscriber.MARK)
                    .append("\":")
                    .append(sentNanos)
                    .append(",\"i\":")
                    .append(i)
                    .append("}}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private void awaitCaughtUp(List<Subscriber> subscribers) throws InterruptedException {
        for (Subscriber subscriber : subscribers) {
            if (!subscriber.awaitCaughtUp(60_000)) {
                throw new IllegalStateException(
                        "a subscriber was not caught up after 60 s: " + subscriber.trouble());
            }
        }
    }

    /**
     * 13: the first {@code catchupEvents} events of the log over one live subscription from 0,
     * against paging {@code GET /events} (limit 1,000) over the same events just before and after
     * (the mean of the two is the baseline, so a warmer cache favours neither side).
     */
    private void sseCatchUp() throws Exception {
        System.out.printf(
                Locale.ROOT,
                "== 13: catch-up of %,d events, live subscription vs paged GET /events%n",
                options.catchupEvents);
        Read pagedBefore = pagedCatchUp();
        long started = System.nanoTime();
        long cpuBefore = ownCpuNanos();
        Read live;
        try (Subscriber subscriber =
                new Subscriber(
                        "catch-up subscriber",
                        options.base,
                        "/events/subscribe?after=0",
                        http.token(),
                        null,
                        options.catchupEvents)) {
            subscriber.await(600_000);
            long ended = subscriber.stoppedAt() > 0 ? subscriber.stoppedAt() : System.nanoTime();
            if (subscriber.trouble() != null) {
                problems.add("13: " + subscriber.trouble());
            }
            live =
                    caughtUp(
                            "a live subscription",
                            subscriber.events(),
                            options.catchupEvents,
                            (ended - started) / 1e9);
        }
        System.out.printf(
                Locale.ROOT,
                "  (this program used %.2f cores while the subscription caught up)%n",
                (ownCpuNanos() - cpuBefore) / 1e9 / live.seconds());
        Read pagedAfter = pagedCatchUp();
        double paged = (pagedBefore.perSecond() + pagedAfter.perSecond()) / 2;
        double ratio = live.perSecond() / paged;
        rows.add(
                new Row(
                        String.format(
                                Locale.ROOT,
                                "13. catch-up over a live subscription from 0, %,d events",
                                live.events()),
                        tps(live.perSecond()) + " events/s (" + secs(live.seconds()) + ")",
                        String.format(
                                Locale.ROOT,
                                "paged GET /events, limit 1,000: %s events/s (%s before, %s"
                                        + " after)",
                                tps(paged),
                                tps(pagedBefore.perSecond()),
                                tps(pagedAfter.perSecond())),
                        ratio(ratio),
                        goal(ratio >= 1, "≥ 1×")));
    }

    // ---------------------------------------------------------------- consumer groups ----

    /**
     * What a group's consumers did.
     *
     * @param acked events acknowledged (the servers' {@code acked} counts, summed)
     * @param fetches fetches that leased at least one event
     * @param emptyFetches fetches that leased nothing
     * @param acks ack requests
     * @param seconds from the first fetch to the end (the last ack, or lag 0)
     * @param fetchMicros fetch latencies (those that leased events)
     * @param ackMicros ack latencies
     */
    record Consumed(
            long acked,
            long fetches,
            long emptyFetches,
            long acks,
            double seconds,
            Histogram fetchMicros,
            Histogram ackMicros) {
        double perSecond() {
            return acked / seconds;
        }

        String summary() {
            return String.format(
                    Locale.ROOT,
                    "%,d acked in %s (%,.0f events/s); %,d fetches (%.1f events each, p50 %s, p99"
                            + " %s), %,d empty; %,d acks (p50 %s, p99 %s)",
                    acked,
                    secs(seconds),
                    perSecond(),
                    fetches,
                    fetches == 0 ? 0.0 : (double) acked / fetches,
                    ms(fetchMicros.getValueAtPercentile(50) / 1000.0),
                    ms(fetchMicros.getValueAtPercentile(99) / 1000.0),
                    emptyFetches,
                    acks,
                    ms(ackMicros.getValueAtPercentile(50) / 1000.0),
                    ms(ackMicros.getValueAtPercentile(99) / 1000.0));
        }
    }

    /**
     * Runs {@code groupConsumers} consumers of {@code group}, each fetching up to {@code
     * groupFetch} events without waiting and acknowledging them in one request ({@code perBatch})
     * or one request per event, until {@code done} says so (asked after every ack and every empty
     * fetch, with the events acked so far) or a request fails. The clock starts when the consumers
     * are told to start and stops at the moment {@code done} first said yes.
     */
    private Consumed consume(
            String group, boolean perBatch, java.util.function.LongPredicate done, Runnable start)
            throws InterruptedException {
        AtomicLong acked = new AtomicLong();
        AtomicLong fetches = new AtomicLong();
        AtomicLong empty = new AtomicLong();
        AtomicLong acks = new AtomicLong();
        AtomicLong finished = new AtomicLong();
        Recorder fetchMicros = new Recorder(3);
        Recorder ackMicros = new Recorder(3);
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < options.groupConsumers; c++) {
            String consumer = "c-" + c;
            Thread thread =
                    new Thread(
                            () -> {
                                try {
                                    go.await();
                                    while (finished.get() == 0 && failures.isEmpty()) {
                                        long t0 = System.nanoTime();
                                        List<String> ids =
                                                groups.fetch(group, consumer, options.groupFetch);
                                        if (ids.isEmpty()) {
                                            empty.incrementAndGet();
                                            if (done.test(acked.get())) {
                                                finished.compareAndSet(0, System.nanoTime());
                                            }
                                            Thread.sleep(2);
                                            continue;
                                        }
                                        fetchMicros.recordValue((System.nanoTime() - t0) / 1000);
                                        fetches.incrementAndGet();
                                        List<List<String>> batches =
                                                perBatch
                                                        ? List.of(ids)
                                                        : ids.stream().map(List::of).toList();
                                        for (List<String> batch : batches) {
                                            long t1 = System.nanoTime();
                                            long n = groups.ack(group, consumer, batch);
                                            ackMicros.recordValue((System.nanoTime() - t1) / 1000);
                                            acks.incrementAndGet();
                                            if (done.test(acked.addAndGet(n))) {
                                                finished.compareAndSet(0, System.nanoTime());
                                            }
                                        }
                                    }
                                } catch (InterruptedException stopped) {
                                    Thread.currentThread().interrupt();
                                } catch (Exception failed) {
                                    failures.add(consumer + ": " + failed.getMessage());
                                }
                            },
                            "group-" + consumer);
            thread.start();
            threads.add(thread);
        }
        long started = System.nanoTime();
        go.countDown();
        start.run();
        long deadline = started + 3_600_000_000_000L;
        while (finished.get() == 0 && failures.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        finished.compareAndSet(0, System.nanoTime());
        for (Thread thread : threads) {
            thread.join(120_000);
        }
        if (!failures.isEmpty()) {
            problems.add(group + ": " + failures.get(0));
        }
        return new Consumed(
                acked.get(),
                fetches.get(),
                empty.get(),
                acks.get(),
                (finished.get() - started) / 1e9,
                fetchMicros.getIntervalHistogram(),
                ackMicros.getIntervalHistogram());
    }

    /**
     * 14: {@code groupConsumers} consumers of one round-robin group over {@code groupEvents} events
     * written beforehand (SQL, streams of 100), fetching up to {@code groupFetch} at a time,
     * acknowledging per batch and then per event (a fresh group each, both from the same position),
     * against paging {@code GET /events} (limit 1,000) over the same events just before and after
     * (the mean of the two is the baseline, as in 13). The group has no filter, so it delivers
     * exactly the events the pages read.
     */
    private void groupThroughput(Store store) throws Exception {
        long events = (options.groupEvents + 99) / 100 * 100;
        System.out.printf(
                Locale.ROOT,
                "== 14: consumer group, %d consumers, fetch %d, over %,d events: ack per batch,"
                        + " ack per event, vs paged GET /events%n",
                options.groupConsumers,
                options.groupFetch,
                events);
        long after = store.head();
        store.seedStreams("group-" + run + "-", "group", events, 100);
        store.settle();
        // Warm-up, not measured: both paths once, so that neither pays for a cold JIT or cold
        // buffers (the first run of this scenario read 12,904 events/s before, 114,126 after).
        pagedRead("warm-up: paged GET /events", after, events, null);
        long warmEvents = Math.min(events, Math.max(100, events / 5));
        groupRun(
                "warm-up, ack per batch",
                "bench-" + run + "-warmup",
                after,
                true,
                warmEvents,
                events);
        Read pagedBefore = pagedRead("paged GET /events", after, events, null);
        Store.Timings statementsBefore = store.timings();
        Consumed batched =
                groupRun("ack per batch", "bench-" + run + "-batch", after, true, events, events);
        printStatements(store.timings().since(statementsBefore), batched.fetches());
        Consumed single =
                groupRun("ack per event", "bench-" + run + "-single", after, false, events, events);
        Read pagedAfter = pagedRead("paged GET /events", after, events, null);
        double paged = (pagedBefore.perSecond() + pagedAfter.perSecond()) / 2;
        String baseline =
                String.format(
                        Locale.ROOT,
                        "paged GET /events, limit 1,000: %s events/s (%s before, %s after)",
                        tps(paged),
                        tps(pagedBefore.perSecond()),
                        tps(pagedAfter.perSecond()));
        double ratio = batched.perSecond() / paged;
        rows.add(
                new Row(
                        String.format(
                                Locale.ROOT,
                                "14. consumer group, %d consumers, fetch %d, ack per batch, %,d"
                                        + " events",
                                options.groupConsumers,
                                options.groupFetch,
                                events),
                        groupFigure(batched),
                        baseline,
                        ratio(ratio),
                        goal(ratio >= 0.5, "≥ 0.5×")));
        rows.add(
                new Row(
                        String.format(
                                Locale.ROOT,
                                "14. consumer group, %d consumers, fetch %d, ack per event, %,d"
                                        + " events",
                                options.groupConsumers,
                                options.groupFetch,
                                events),
                        groupFigure(single),
                        baseline,
                        ratio(single.perSecond() / paged),
                        "measured"));
    }

    private static String groupFigure(Consumed c) {
        return String.format(
                Locale.ROOT,
                "%s events/s (%s; fetch p50 %s, ack p50 %s)",
                tps(c.perSecond()),
                secs(c.seconds()),
                ms(c.fetchMicros().getValueAtPercentile(50) / 1000.0),
                ms(c.ackMicros().getValueAtPercentile(50) / 1000.0));
    }

    /**
     * A fresh group from position {@code after} over {@code total} events, consumed until {@code
     * events} are acked, checked (when all were: lag 0, nothing in flight or parked), and deleted.
     */
    private Consumed groupRun(
            String how, String group, long after, boolean perBatch, long events, long total)
            throws Exception {
        groups.create(group, null, Long.toString(after), 300);
        Consumed c = consume(group, perBatch, acked -> acked >= events, () -> {});
        System.out.println("  " + how + ": " + c.summary());
        // Consumers stopped part-way may have acked a few batches past the events asked for.
        if (events == total ? c.acked() != events : c.acked() < events) {
            problems.add(
                    String.format(
                            Locale.ROOT,
                            "14 (%s): %,d events acked, not %,d",
                            how,
                            c.acked(),
                            events));
        }
        if (events == total) {
            Groups.Status status = awaitLagZero(group, 10_000);
            if (status.lag() != 0 || status.inFlight() != 0 || status.parked() != 0) {
                problems.add("14 (" + how + "): the group ended at " + status);
            }
        }
        groups.delete(group);
        return c;
    }

    /** Reads the group's status until its lag is 0 or {@code millis} pass; the last status. */
    private Groups.Status awaitLagZero(String group, long millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000;
        Groups.Status status = groups.status(group);
        while (status.lag() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            status = groups.status(group);
        }
        return status;
    }

    /** The statements that took the most database time over a run, per fetch. */
    private static void printStatements(List<Store.Timing> timings, long fetches) {
        if (timings.isEmpty()) {
            System.out.println("  (pg_stat_statements unavailable: no statement times)");
            return;
        }
        double total = timings.stream().mapToDouble(Store.Timing::millis).sum();
        System.out.printf(
                Locale.ROOT,
                "  database time while the consumers ran: %,.0f ms in all, %.2f ms per fetch;"
                        + " the most:%n",
                total,
                fetches == 0 ? 0.0 : total / fetches);
        for (Store.Timing t : timings.subList(0, Math.min(8, timings.size()))) {
            System.out.printf(
                    Locale.ROOT,
                    "    %,9.0f ms %,8d calls %7.3f ms each  %s%n",
                    t.millis(),
                    t.calls(),
                    t.millis() / Math.max(1, t.calls()),
                    // its start and its end: the end tells FOR UPDATE from FOR SHARE
                    t.query().length() <= 130
                            ? t.query()
                            : t.query().substring(0, 85)
                                    + " … "
                                    + t.query().substring(t.query().length() - 40));
        }
    }

    /**
     * 15: rebuilding a read model: a group over one category of {@code rebuildEvents} events
     * (written beforehand, streams of 100), created at the end of the log, is reset to the
     * beginning while {@code groupConsumers} consumers fetch and acknowledge per batch; the clock
     * runs from just before the reset to the first status read that shows lag 0. The baseline is
     * paging {@code GET /events?category=…} (limit 1,000) over the same events.
     */
    private void rebuild(Store store) throws Exception {
        long events = (options.rebuildEvents + 99) / 100 * 100;
        String category = "rebuild" + run;
        String group = "bench-" + run + "-rebuild";
        System.out.printf(
                Locale.ROOT,
                "== 15: rebuild: reset a group over %,d events of category %s to the beginning,"
                        + " %d consumers acking per batch, until lag 0%n",
                events,
                category,
                options.groupConsumers);
        store.seedStreams(category + "-", category, events, 100);
        store.settle();
        groups.create(group, category, "end", 300);
        Groups.Status before = awaitLagZero(group, 10_000);
        if (before.lag() != 0) {
            problems.add("15: a group created at the end had lag " + before.lag());
        }
        AtomicLong resetAt = new AtomicLong();
        AtomicLong lagZeroAt = new AtomicLong();
        Consumed c =
                consume(
                        group,
                        true,
                        acked -> lagZeroAt.get() != 0,
                        () -> {
                            try {
                                resetAt.set(System.nanoTime());
                                groups.reset(group, "beginning");
                                // Lag 0 is the server's word that the rebuild is done: read it
                                // every 100 ms while the consumers work.
                                long deadline = System.nanoTime() + 3_600_000_000_000L;
                                long lastReport = System.nanoTime();
                                while (System.nanoTime() < deadline) {
                                    Groups.Status s = groups.status(group);
                                    if (s.lag() == 0) {
                                        lagZeroAt.set(System.nanoTime());
                                        return;
                                    }
                                    if (System.nanoTime() - lastReport > 5_000_000_000L) {
                                        System.out.printf(
                                                Locale.ROOT,
                                                "    .. lag %,d, in flight %,d%n",
                                                s.lag(),
                                                s.inFlight());
                                        lastReport = System.nanoTime();
                                    }
                                    Thread.sleep(100);
                                }
                                problems.add("15: lag not 0 after an hour");
                            } catch (Exception failed) {
                                problems.add("15: " + failed.getMessage());
                            }
                            lagZeroAt.compareAndSet(0, System.nanoTime());
                        });
        double seconds = (lagZeroAt.get() - resetAt.get()) / 1e9;
        System.out.println("  consumers: " + c.summary());
        if (c.acked() != events) {
            problems.add(
                    String.format(Locale.ROOT, "15: %,d events acked, not %,d", c.acked(), events));
        }
        Groups.Status after = groups.status(group);
        if (after.lag() != 0 || after.inFlight() != 0 || after.parked() != 0) {
            problems.add("15: the group ended at " + after);
        }
        groups.delete(group);
        Read paged = pagedRead("paged GET /events?category=" + category, 0, events, category);
        rows.add(
                new Row(
                        String.format(
                                Locale.ROOT,
                                "15. rebuild: reset to the beginning over %,d events, %d consumers"
                                        + " acking per batch of %d, until lag 0",
                                events,
                                options.groupConsumers,
                                options.groupFetch),
                        String.format(
                                Locale.ROOT,
                                "%s events/s (%s to lag 0)",
                                tps(events / seconds),
                                secs(seconds)),
                        "paged GET /events?category=…, limit 1,000: "
                                + tps(paged.perSecond())
                                + " events/s",
                        ratio(events / seconds / paged.perSecond()),
                        "measured"));
    }

    // -------------------------------------------------------------------------- helpers ----

    /** Results of one side of a comparison, over several phases: rates from totals. */
    private static final class Side {
        final Histogram latencies = new Histogram(3);
        long ok;
        double seconds;
        ServerCpu.Used cpu = new ServerCpu.Used(0, 0, 0);

        void add(Result result) {
            latencies.add(result.latencyMicros());
            ok += result.ok();
            seconds += result.seconds();
            cpu = cpu.plus(result.cpu());
        }

        double rate() {
            return ok / seconds;
        }

        String figure(String unit) {
            return tps(rate())
                    + " "
                    + unit
                    + ", p50 "
                    + ms(latencies.getValueAtPercentile(50) / 1000.0)
                    + ", p99 "
                    + ms(latencies.getValueAtPercentile(99) / 1000.0)
                    + "; CPU/request "
                    + cpu.per(ok).brief();
        }
    }

    /**
     * 16: what security costs (issue 16). Single-event appends at 8 clients and hot-stream reads
     * (100-event pages from the cache) at {@code --read-clients}, with security on (a bearer token
     * on every request, which Payara verifies, roles checked, row-level security on the tables) and
     * off (no token, no RLS), switched between phases by {@code --security-switch} ({@code
     * bench/security-switch.sh}: the domain's {@code arbor.security.enabled}, the tables' RLS, an
     * application reload). Phases off, on, off, on (off, on with --smoke), each side's figure from
     * its total over its phases, so that drift hits both; the run ends with security on.
     */
    private void securityCost() throws Exception {
        System.out.println("== 16: security on vs off: appends and hot-stream reads");
        String token = http.token();
        if (options.securitySwitch == null || token == null) {
            System.out.println(
                    "  skipped: "
                            + (token == null
                                    ? "no token (ARBOR_TOKEN, or the development key "
                                            + options.devKey
                                            + ")"
                                    : "no --security-switch (bench/run.sh gives one, except with"
                                            + " --grid)"));
            return;
        }
        Side[] appends = {new Side(), new Side()};
        Side[] reads = {new Side(), new Side()};
        boolean[] phases =
                options.smoke
                        ? new boolean[] {false, true}
                        : new boolean[] {false, true, false, true};
        boolean secured = true;
        String[] paths = null;
        try {
            for (boolean secure : phases) {
                String state = secure ? "on" : "off";
                switchSecurity(state);
                secured = secure;
                http.token(secure ? token : null);
                if (paths == null) {
                    paths = hotStreams("secured");
                } else {
                    fillCache(paths); // the application reload emptied it
                }
                int side = secure ? 1 : 0;
                appends[side].add(singleAppends("16: appends, 8 clients, security " + state, 8));
                reads[side].add(
                        hotReadLoad(
                                "16: reads, security " + state,
                                paths,
                                false,
                                options.warmupMillis,
                                options.measureMillis));
            }
        } finally {
            http.token(token);
            if (!secured) {
                switchSecurity("on");
            }
        }
        addSecurityRow("appends, 8 clients", "appends/s", appends);
        addSecurityRow(
                "hot-stream reads, 100-event pages, " + options.readClients + " clients",
                "reads/s",
                reads);
    }

    private void addSecurityRow(String what, String unit, Side[] offOn) {
        double ratio = offOn[1].rate() / offOn[0].rate();
        rows.add(
                new Row(
                        "16. " + what + ", security on",
                        offOn[1].figure(unit),
                        offOn[0].figure(unit) + " security off",
                        ratio(ratio),
                        goal(ratio >= 0.9, "≥ 0.9")));
    }

    /** Runs {@code --security-switch} with {@code on} or {@code off}; it returns once in force. */
    private void switchSecurity(String state) throws Exception {
        System.out.println(
                "  security " + state + ": " + options.securitySwitch.strip() + " " + state);
        Process process =
                new ProcessBuilder("/bin/sh", "-c", options.securitySwitch.strip() + " " + state)
                        .inheritIO()
                        .start();
        int status = process.waitFor();
        if (status != 0) {
            throw new IllegalStateException(
                    "the security switch exited " + status + ": " + options.securitySwitch);
        }
    }

    /**
     * 21: scavenging (issue 19): {@code --scavenge-events} events seeded with SQL in streams of 100
     * (visible while the baseline runs), single-event appends to other streams with 8 clients (the
     * baseline), then every seeded stream hidden ({@code truncate_before = version + 1}, as a soft
     * delete sets it) and a scavenge started ({@code POST /admin/scavenge}) with the same appends
     * running until the job is done (polled every 250 ms), then the appends once more without a
     * scavenge (so drift shows). Rows: the appends' p99 during the scavenge against the mean of the
     * two baselines' (goal ≤ 2×), and the scavenge's events removed per second (its job's {@code
     * eventsRemoved} over its {@code startedAt}..{@code finishedAt}). Every seeded row must be gone
     * afterwards, or the run fails.
     */
    private void scavengeUnderAppends(Store store) throws Exception {
        long events = (options.scavengeEvents + 99) / 100 * 100;
        String category = "scavenge" + run;
        System.out.printf(
                Locale.ROOT,
                "== 21: appends, 8 clients, without and during a scavenge of %,d hidden events%n",
                events);
        store.seedStreams(category + "-", category, events, 100);
        store.settle();
        Result before = appendsBesideScavenge("21: appends, no scavenge", true, () -> false);
        long streams = store.hideStreams(category + "-");
        System.out.printf(
                Locale.ROOT,
                "    .. %,d streams hidden (truncate_before = version + 1), %,d events%n",
                streams,
                store.categoryEvents(category));
        Reply started = http.post("/admin/scavenge", "{}".getBytes(StandardCharsets.UTF_8));
        if (started.status() != 202 || started.text("jobId") == null) {
            throw new IllegalStateException("POST /admin/scavenge: " + started);
        }
        String job = "/admin/scavenge/" + started.text("jobId");
        AtomicReference<Reply> ended = new AtomicReference<>();
        Thread poller =
                new Thread(
                        () -> {
                            while (ended.get() == null) {
                                try {
                                    Thread.sleep(250);
                                    Reply r = http.get(job, false, true);
                                    String state = r.status() == 200 ? r.text("state") : null;
                                    if ("done".equals(state) || "failed".equals(state)) {
                                        ended.set(r);
                                    } else if (r.status() != 200) {
                                        ended.set(r);
                                    }
                                } catch (InterruptedException e) {
                                    return;
                                } catch (Exception e) {
                                    ended.set(new Reply(-1, e.toString()));
                                }
                            }
                        },
                        "21-scavenge-poller");
        poller.setDaemon(true);
        poller.start();
        Result during =
                appendsBesideScavenge(
                        "21: appends during the scavenge", false, () -> ended.get() != null);
        poller.join(Duration.ofHours(1).toMillis());
        Reply last = ended.get();
        Result after = appendsBesideScavenge("21: appends, no scavenge, again", true, () -> false);
        long left = store.categoryEvents(category);
        if (last == null || last.status() != 200 || !"done".equals(last.text("state"))) {
            problems.add("21: the scavenge did not finish: " + last);
            return;
        }
        if (left != 0) {
            problems.add("21: " + left + " of the " + events + " hidden events still stored");
        }
        long removed = last.number("eventsRemoved");
        double seconds =
                Duration.between(
                                        Instant.parse(last.text("startedAt")),
                                        Instant.parse(last.text("finishedAt")))
                                .toMillis()
                        / 1000.0;
        double baseline = (before.p99Millis() + after.p99Millis()) / 2;
        double ratio = during.p99Millis() / baseline;
        boolean measured = during.ok() >= 100;
        rows.add(
                new Row(
                        String.format(
                                Locale.ROOT,
                                "21. append p99 during a scavenge of %,d hidden events, 8 clients",
                                events),
                        appendFigure(during)
                                + String.format(Locale.ROOT, " over %.1f s", during.seconds()),
                        "p99 "
                                + ms(before.p99Millis())
                                + " before, "
                                + ms(after.p99Millis())
                                + " after (p50 "
                                + ms(before.p50Millis())
                                + ", "
                                + ms(after.p50Millis())
                                + "; "
                                + tps((before.perSecond() + after.perSecond()) / 2)
                                + "/s)",
                        ratio(ratio),
                        measured
                                ? goal(ratio <= 2, "≤ 2×")
                                : "not measured: " + during.ok() + " appends during the scavenge"));
        rows.add(
                new Row(
                        "21. scavenging rate, appends running beside it",
                        String.format(
                                Locale.ROOT,
                                "%s events removed/s (%,d in %.1f s, job %s)",
                                seconds > 0 ? tps(removed / seconds) : "n/a",
                                removed,
                                seconds,
                                started.text("jobId")),
                        "",
                        "",
                        "measured"));
    }

    /**
     * Single-event appends by 8 clients to streams of their own (never the scavenged ones): with
     * {@code warm}, a warm-up then {@code --seconds}; without, measured at once until {@code done}
     * holds (at most an hour).
     */
    private Result appendsBesideScavenge(String label, boolean warm, BooleanSupplier done)
            throws InterruptedException {
        byte[] body = ("{\"events\":[" + EVENT + "]}").getBytes(StandardCharsets.UTF_8);
        String prefix = "/streams/beside" + run + "-" + label.replaceAll("[^0-9a-z]", "") + "-c";
        Result result =
                Load.closed(
                        label,
                        cpu,
                        8,
                        warm ? options.warmupMillis : 0,
                        warm ? options.measureMillis : Duration.ofHours(1).toMillis(),
                        done,
                        c -> {
                            int[] next = {0};
                            return units ->
                                    expect(
                                            http.post(
                                                    prefix
                                                            + c
                                                            + "-"
                                                            + (next[0]++ % 100)
                                                            + "/events",
                                                    body),
                                            201);
                        });
        check(result);
        return result;
    }

    /**
     * 22 (issue 20): appends and global-log catch-up on the store as it is, whatever it holds; a
     * driver (bench/at-scale.sh) seeds it beforehand and empties it afterwards, and compares
     * layouts of the events table from what {@code --results} records. Single-event appends at one
     * client (p50, p99), then {@code catchupEvents} events paged by {@code GET /events} (limit
     * 1,000) from position 0 and from the middle of the log, when the store holds twice that many.
     */
    private void atStoreAsItIs(Store store) throws Exception {
        long stored = store.events();
        String where =
                (options.layout.isEmpty() ? "" : options.layout + ", ")
                        + String.format(Locale.ROOT, "%,d stored", stored);
        System.out.printf(Locale.ROOT, "== 22: appends and catch-up, %s%n", where);
        Result appends = singleAppends("22: append, 1 client, " + stored + " stored", 1);
        rows.add(
                new Row(
                        "22. append, 1 client, " + where,
                        ms(appends.p50Millis())
                                + " p50, p99 "
                                + ms(appends.p99Millis())
                                + ", "
                                + tps(appends.perSecond())
                                + "/s; "
                                + cpuPer(appends, "append", false),
                        "",
                        "",
                        "measured"));
        List<String> lines = new ArrayList<>();
        lines.add("stored " + stored);
        lines.add(String.format(Locale.ROOT, "append_p50_ms %.3f", appends.p50Millis()));
        lines.add(String.format(Locale.ROOT, "append_p99_ms %.3f", appends.p99Millis()));
        lines.add(String.format(Locale.ROOT, "append_per_s %.1f", appends.perSecond()));
        // by the highest position, not the count: an archived range's rows have left the table
        long head = store.head();
        if (head >= 2 * options.catchupEvents) {
            long middle = head / 2;
            for (long after : new long[] {0, middle}) {
                Read read =
                        pagedRead(
                                "paged GET /events after " + after,
                                after,
                                options.catchupEvents,
                                null);
                String from = after == 0 ? "from 0" : "from the middle";
                rows.add(
                        new Row(
                                String.format(
                                        Locale.ROOT,
                                        "22. global-log catch-up %s (after %,d), %,d events, %s",
                                        from,
                                        after,
                                        read.events(),
                                        where),
                                tps(read.perSecond()) + " events/s (" + secs(read.seconds()) + ")",
                                "",
                                "",
                                "measured"));
                lines.add(
                        String.format(
                                Locale.ROOT,
                                "catchup_%s_per_s %.0f",
                                after == 0 ? "start" : "middle",
                                read.perSecond()));
            }
        } else {
            System.out.printf(
                    Locale.ROOT,
                    "  catch-up not measured: positions up to %,d, fewer than twice %,d%n",
                    head,
                    options.catchupEvents);
        }
        if (options.results != null) {
            Files.write(options.results, lines);
        }
    }

    /** The tag scenario 20 measures; its events stay in the store, and a later run reuses them. */
    private static final String QUERY_TAG = "bench-query-1000";

    /** How many of the seeded events carry {@link #QUERY_TAG}. */
    private static final int QUERY_MATCHING = 1_000;

    /**
     * Scenario 20 (issue 18): a query by one tag over {@code --query-events} stored events of which
     * 1,000, spread over the whole log, carry it: the first page at the default limit and all 1,000
     * (pages of 1,000), by {@code POST /events/query} and {@code GET /events?tag=}, one client,
     * warmed; the same two reads over raw SQL (the application's role, MatchingStatement's shape,
     * then the events by position) as the baseline.
     */
    private void queryByTag(Store store) throws Exception {
        long matching = store.tagged(QUERY_TAG);
        if (matching == 0) {
            long count = (options.queryEvents + 99) / 100 * 100;
            System.out.printf(
                    Locale.ROOT,
                    "== 20: seeding %,d tagged events in streams of 100 (SQL), %,d of them"
                            + " carrying %s%n",
                    count,
                    QUERY_MATCHING,
                    QUERY_TAG);
            long started = System.nanoTime();
            store.seedTaggedStreams("query-" + run + "-", count, 100, QUERY_TAG, QUERY_MATCHING);
            double loaded = (System.nanoTime() - started) / 1e9;
            store.settle();
            System.out.printf(
                    Locale.ROOT,
                    "    .. loaded in %s, %s with VACUUM ANALYZE%n",
                    secs(loaded),
                    secs((System.nanoTime() - started) / 1e9));
            matching = store.tagged(QUERY_TAG);
        }
        long stored = store.events();
        System.out.printf(
                Locale.ROOT,
                "== 20: query by one tag: %,d of %,d stored events carry %s%n",
                matching,
                stored,
                QUERY_TAG);
        long all = matching;
        byte[] firstPage =
                ("{\"items\":[{\"tags\":[\"" + QUERY_TAG + "\"]}]}")
                        .getBytes(StandardCharsets.UTF_8);
        Result postFirst =
                tagQuery(
                        "20: POST /events/query, first page",
                        units -> pageOutcome(http.post("/events/query", firstPage), units, all));
        Result getFirst =
                tagQuery(
                        "20: GET /events?tag=, first page",
                        units ->
                                pageOutcome(
                                        http.get("/events?tag=" + QUERY_TAG, false, true),
                                        units,
                                        all));
        Result postAll =
                tagQuery(
                        "20: POST /events/query, all matching",
                        units ->
                                pageThrough(
                                        units,
                                        all,
                                        after ->
                                                http.post(
                                                        "/events/query",
                                                        ("{\"items\":[{\"tags\":[\""
                                                                        + QUERY_TAG
                                                                        + "\"]}],\"after\":"
                                                                        + after
                                                                        + ",\"limit\":1000}")
                                                                .getBytes(
                                                                        StandardCharsets.UTF_8))));
        Result getAll =
                tagQuery(
                        "20: GET /events?tag=, all matching",
                        units ->
                                pageThrough(
                                        units,
                                        all,
                                        after ->
                                                http.get(
                                                        "/events?tag="
                                                                + QUERY_TAG
                                                                + "&after="
                                                                + after
                                                                + "&limit=1000",
                                                        false,
                                                        true)));
        int defaultLimit = (int) Math.min(all, postFirst.units() / Math.max(1, postFirst.ok()));
        long[] read = new long[1];
        Result sqlFirst =
                tagQuery(
                        "20: SQL, first page",
                        units -> {
                            read[0] = 0;
                            store.queryByTag(QUERY_TAG, 0, Math.max(1, defaultLimit), read);
                            units.value = read[0];
                            return read[0] > 0 ? Outcome.OK : Outcome.FAILED;
                        });
        Result sqlAll =
                tagQuery(
                        "20: SQL, all matching",
                        units -> {
                            read[0] = 0;
                            long after = 0;
                            while (read[0] < all) {
                                long last = store.queryByTag(QUERY_TAG, after, 1000, read);
                                if (last == after) {
                                    break;
                                }
                                after = last;
                            }
                            units.value = read[0];
                            return read[0] == all ? Outcome.OK : Outcome.FAILED;
                        });
        String over = String.format(Locale.ROOT, "%,d of %,d stored", all, stored);
        addQueryRow(
                "20. query by one tag ("
                        + over
                        + "), POST /events/query, first page of "
                        + defaultLimit,
                postFirst,
                sqlFirst);
        addQueryRow(
                "20. query by one tag ("
                        + over
                        + "), GET /events?tag=, first page of "
                        + defaultLimit,
                getFirst,
                sqlFirst);
        addQueryRow(
                "20. query by one tag ("
                        + over
                        + "), POST /events/query, all "
                        + all
                        + " (pages of 1,000)",
                postAll,
                sqlAll);
        addQueryRow(
                "20. query by one tag ("
                        + over
                        + "), GET /events?tag=, all "
                        + all
                        + " (pages of 1,000)",
                getAll,
                sqlAll);
    }

    /** One client, warmed, for the run's measurement window. */
    private Result tagQuery(String label, Load.Client client) throws InterruptedException {
        Result result =
                Load.closed(
                        label, cpu, 1, options.warmupMillis, options.measureMillis, c -> client);
        check(result);
        System.out.printf(
                Locale.ROOT,
                "    p50 %s, p95 %s, p99 %s; %,.0f events per request%n",
                ms(result.p50Millis()),
                ms(result.latencyMicros().getValueAtPercentile(95) / 1000.0),
                ms(result.p99Millis()),
                (double) result.units() / Math.max(1, result.ok()));
        return result;
    }

    /** A page of a query: 200 with at least one and at most {@code matching} events. */
    private static Outcome pageOutcome(Reply reply, Load.Units units, long matching) {
        if (reply.status() != 200) {
            return Outcome.FAILED;
        }
        units.value = reply.count("\"globalPosition\":");
        return units.value > 0 && units.value <= matching ? Outcome.OK : Outcome.FAILED;
    }

    /** A query's pages, from position 0 until {@code matching} events are read. */
    private static Outcome pageThrough(Load.Units units, long matching, PageRequest request)
            throws Exception {
        long read = 0;
        long after = 0;
        while (read < matching) {
            Reply page = request.after(after);
            if (page.status() != 200) {
                return Outcome.FAILED;
            }
            int events = page.count("\"globalPosition\":");
            if (events == 0) {
                break;
            }
            read += events;
            after = page.number("lastPosition");
        }
        units.value = read;
        return read == matching ? Outcome.OK : Outcome.FAILED;
    }

    /** One page of a query after a position. */
    private interface PageRequest {
        Reply after(long position) throws Exception;
    }

    private void addQueryRow(String what, Result rest, Result sql) {
        double p95 = rest.latencyMicros().getValueAtPercentile(95) / 1000.0;
        rows.add(
                new Row(
                        what,
                        "p50 "
                                + ms(rest.p50Millis())
                                + ", p95 "
                                + ms(p95)
                                + ", p99 "
                                + ms(rest.p99Millis())
                                + "; "
                                + cpuPer(rest, "request", false),
                        "SQL p50 "
                                + ms(sql.p50Millis())
                                + ", p99 "
                                + ms(sql.p99Millis())
                                + "; "
                                + cpuPer(sql, "request", false),
                        ratio(rest.p50Millis() / sql.p50Millis()),
                        goal(rest.p50Millis() < 10, "p50 < 10 ms")));
    }

    private static Outcome expect(Reply reply, int status) {
        if (reply.status() != status) {
            throw unexpected(reply);
        }
        return Outcome.OK;
    }

    private static IllegalStateException unexpected(Reply reply) {
        String body = reply.body();
        return new IllegalStateException(
                "answered "
                        + reply.status()
                        + (body.isEmpty()
                                ? ""
                                : ": " + body.substring(0, Math.min(200, body.length()))));
    }

    private static String tps(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, millis < 10 ? "%.2f ms" : "%.0f ms", millis);
    }

    private static String secs(double seconds) {
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }

    private static String ratio(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.2f×", value);
    }

    private static String goal(boolean met, String goal) {
        return goal + ": " + (met ? "met" : "**not met**");
    }

    /** The command line. */
    static final class Options {
        String base = "http://localhost:8080";
        String jdbc = "jdbc:postgresql://127.0.0.1:5432/arbor";
        String dbUser = "arbor";
        String dbPassword = "arbor";
        String dbOwnerUser = "arbor_owner";
        String dbOwnerPassword = "arbor_owner";
        String ceilingDb = "arbor_bench_ceiling";
        Path pgbenchDir = Path.of("bench/pgbench");
        long warmupMillis = 5_000;
        long measureMillis = 20_000;
        int ceilingSeconds = 15;
        int batchSize = 100;
        int batchClients = 8;
        int writers = 64;
        int readStreams = 100;
        int readClients = 4;
        long catchupEvents = 1_000_000;
        long recoveryEvents = 1_000_000;
        long recoveryTail = 1_000;
        long storedEvents = 10_000_000;
        long queryEvents = 10_000_000;
        double rate = 1_000;
        int sustainedBatch = 10;
        int sustainedSeconds = 60;
        int liveSeconds = 30;
        int subscribers = 100;
        long groupEvents = 50_000;
        long rebuildEvents = 1_000_000;
        long scavengeEvents = 1_000_000;
        int groupConsumers = 4;
        int groupFetch = 100;
        String otherInstance;
        String layout = "";
        Path results;
        Path devKey;
        String securitySwitch;
        long serverPid;
        List<Integer> appendClients = List.of(1, 8, 32);
        boolean reset;
        boolean smoke;
        Set<Integer> only = new TreeSet<>();
        Set<Integer> skip = new TreeSet<>();
        Map<String, String> info = new LinkedHashMap<>();

        /** The database of {@code --jdbc}: whose backends count as PostgreSQL's CPU. */
        String database() {
            String path = jdbc.substring(jdbc.lastIndexOf('/') + 1);
            int query = path.indexOf('?');
            return query < 0 ? path : path.substring(0, query);
        }

        boolean wants(int scenario) {
            return (only.isEmpty() || only.contains(scenario)) && !skip.contains(scenario);
        }

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--smoke" -> {
                        o.smoke = true;
                        o.warmupMillis = 300;
                        o.measureMillis = 1_000;
                        o.ceilingSeconds = 1;
                        o.batchClients = 2;
                        o.writers = 16;
                        o.readStreams = 5;
                        o.readClients = 2;
                        o.catchupEvents = 3_000;
                        o.recoveryEvents = 3_000;
                        o.recoveryTail = 500;
                        o.storedEvents = 20_000;
                        o.queryEvents = 20_000;
                        o.rate = 100;
                        o.sustainedSeconds = 2;
                        o.liveSeconds = 2;
                        o.subscribers = 5;
                        o.groupEvents = 1_000;
                        o.rebuildEvents = 3_000;
                        o.scavengeEvents = 3_000;
                    }
                    case "--reset" -> o.reset = true;
                    case "--full" -> o.sustainedSeconds = 600;
                    default -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(
                                    "unknown option or missing value: " + arg);
                        }
                        String value = args[++i];
                        switch (arg) {
                            case "--base" -> o.base = value;
                            case "--jdbc" -> o.jdbc = value;
                            case "--db-user" -> o.dbUser = value;
                            case "--db-password" -> o.dbPassword = value;
                            case "--db-owner-user" -> o.dbOwnerUser = value;
                            case "--db-owner-password" -> o.dbOwnerPassword = value;
                            case "--ceiling-db" -> o.ceilingDb = value;
                            case "--pgbench-dir" -> o.pgbenchDir = Path.of(value);
                            case "--warmup" ->
                                    o.warmupMillis = (long) (Double.parseDouble(value) * 1000);
                            case "--seconds" ->
                                    o.measureMillis = (long) (Double.parseDouble(value) * 1000);
                            case "--ceiling-seconds" -> o.ceilingSeconds = Integer.parseInt(value);
                            case "--batch" -> o.batchSize = Integer.parseInt(value);
                            case "--batch-clients" -> o.batchClients = Integer.parseInt(value);
                            case "--writers" -> o.writers = Integer.parseInt(value);
                            case "--read-streams" -> o.readStreams = Integer.parseInt(value);
                            case "--read-clients" -> o.readClients = Integer.parseInt(value);
                            case "--catchup-events" -> o.catchupEvents = Long.parseLong(value);
                            case "--recovery-events" -> o.recoveryEvents = Long.parseLong(value);
                            case "--recovery-tail" -> o.recoveryTail = Long.parseLong(value);
                            case "--stored-events" -> o.storedEvents = Long.parseLong(value);
                            case "--query-events" -> o.queryEvents = Long.parseLong(value);
                            case "--rate" -> o.rate = Double.parseDouble(value);
                            case "--sustained-batch" -> o.sustainedBatch = Integer.parseInt(value);
                            case "--sustained-seconds" ->
                                    o.sustainedSeconds = Integer.parseInt(value);
                            case "--live-seconds" -> o.liveSeconds = Integer.parseInt(value);
                            case "--subscribers" -> o.subscribers = Integer.parseInt(value);
                            case "--other-instance" -> o.otherInstance = value;
                            case "--layout" -> o.layout = value;
                            case "--results" -> o.results = Path.of(value);
                            case "--dev-key" -> o.devKey = Path.of(value);
                            case "--security-switch" -> o.securitySwitch = value;
                            case "--server-pid" -> o.serverPid = Long.parseLong(value);
                            case "--append-clients" -> {
                                List<Integer> clients = new ArrayList<>();
                                for (String s : value.split(",")) {
                                    clients.add(Integer.parseInt(s.trim()));
                                }
                                o.appendClients = List.copyOf(clients);
                            }
                            case "--group-events" -> o.groupEvents = Long.parseLong(value);
                            case "--rebuild-events" -> o.rebuildEvents = Long.parseLong(value);
                            case "--scavenge-events" -> o.scavengeEvents = Long.parseLong(value);
                            case "--group-consumers" -> o.groupConsumers = Integer.parseInt(value);
                            case "--group-fetch" -> o.groupFetch = Integer.parseInt(value);
                            case "--only" -> {
                                for (String s : value.split(",")) {
                                    o.only.add(Integer.parseInt(s.trim()));
                                }
                            }
                            case "--skip" -> {
                                for (String s : value.split(",")) {
                                    o.skip.add(Integer.parseInt(s.trim()));
                                }
                            }
                            case "--info" -> {
                                int eq = value.indexOf('=');
                                o.info.put(value.substring(0, eq), value.substring(eq + 1));
                            }
                            default -> throw new IllegalArgumentException("unknown option " + arg);
                        }
                    }
                }
            }
            return o;
        }
    }
}
