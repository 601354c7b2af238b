import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures Arbor's hot cache in one run: hot-stream reads with the cache bypassed ({@code
 * Cache-Control: no-cache}, the same code path as a disabled cache) against reads served from it,
 * alternating rounds so drift hits both, and the server heap that 1,000 cached hot streams take.
 *
 * <pre>
 *   java bench/CacheBench.java [--base http://localhost:8080] [--seconds 10] [--clients 4]
 *                              [--events 100] [--streams 1000] [--smoke]
 * </pre>
 *
 * A program, not a test: it prints figures and ratios. The heap figure needs {@code jcmd} and the
 * server's JVM on this machine (found by its domain directory); it is skipped otherwise.
 */
public class CacheBench {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static String base = "http://localhost:8080";

    public static void main(String[] args) throws Exception {
        int seconds = 10;
        int clients = 4;
        int events = 100;
        int streams = 1000;
        String domain = "arbor";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--base" -> base = args[++i];
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--streams" -> streams = Integer.parseInt(args[++i]);
                case "--domain" -> domain = args[++i];
                case "--smoke" -> {
                    seconds = 1;
                    streams = 20;
                    events = 10;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.printf(
                "machine: %d cores, %d GiB RAM; java %s; target %s%n",
                Runtime.getRuntime().availableProcessors(),
                ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                                .getTotalMemorySize()
                        >> 30,
                System.getProperty("java.version"),
                base);
        System.out.printf(
                "settings: %d s per round, %d clients, hot stream of %d events (~120-byte data each)%n",
                seconds, clients, events);

        String hot = "bench-" + UUID.randomUUID();
        appendEvents(hot, events);
        String path = "/arbor/api/streams/" + hot + "/events?limit=" + events;
        check(get(path, false).equals(get(path, true)), "a hit must answer the bytes a database read does");

        System.out.println("\nhot-stream reads: GET " + path.replace(hot, "{hot}"));
        System.out.printf("%-10s %10s %10s %10s%n", "cache", "reads/s", "p50 µs", "p99 µs");
        double[] off = new double[3];
        double[] on = new double[3];
        for (int round = 0; round < 2; round++) {
            accumulate(off, measure(path, true, seconds / 2.0, clients));
            accumulate(on, measure(path, false, seconds / 2.0, clients));
        }
        print("off", off);
        print("on", on);
        System.out.printf(
                "ratio on/off: throughput %.2fx, p50 latency %.2fx faster (goal: >= 3x)%n",
                on[0] / off[0], off[1] / on[1]);

        heapPerThousandHotStreams(streams, events, domain);
    }

    private static void accumulate(double[] total, double[] round) {
        for (int i = 0; i < total.length; i++) {
            total[i] += round[i] / 2;
        }
    }

    private static void print(String mode, double[] figures) {
        System.out.printf("%-10s %10.0f %10.0f %10.0f%n", mode, figures[0], figures[1], figures[2]);
    }

    /** Reads for {@code seconds} with {@code clients} threads; [reads/s, p50 µs, p99 µs]. */
    private static double[] measure(String path, boolean bypass, double seconds, int clients)
            throws Exception {
        for (int i = 0; i < 200; i++) {
            get(path, bypass); // warm the path (JIT, pool, cache)
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Future<long[]>> results = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            results.add(
                    pool.submit(
                            () -> {
                                long[] latencies = new long[1 << 20];
                                int n = 0;
                                while (System.nanoTime() < end && n < latencies.length) {
                                    long started = System.nanoTime();
                                    get(path, bypass);
                                    latencies[n++] = (System.nanoTime() - started) / 1000;
                                }
                                return Arrays.copyOf(latencies, n);
                            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<long[]> result : results) {
            for (long latency : result.get()) {
                all.add(latency);
            }
        }
        pool.shutdown();
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        return new double[] {
            sorted.length / seconds, sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.99)]
        };
    }

    private static void heapPerThousandHotStreams(int streams, int events, String domain)
            throws Exception {
        String pid = serverPid(domain);
        if (pid == null) {
            System.out.println("\nheap: skipped (no local JVM of domain " + domain + " to ask jcmd)");
            return;
        }
        System.out.printf("%nheap: filling the cache with %d hot streams of %d events (server pid %s)%n", streams, events, pid);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            String id = "heap-" + UUID.randomUUID();
            appendEvents(id, events);
            ids.add(id);
        }
        long before = usedHeapAfterGc(pid);
        for (String id : ids) {
            get("/arbor/api/streams/" + id + "/events?limit=" + events, false);
        }
        long after = usedHeapAfterGc(pid);
        double perThousand = (after - before) / 1024.0 / 1024.0 * 1000 / streams;
        System.out.printf(
                "heap used after full GC: before %d MB, after %d MB -> %.1f MB per 1,000 cached hot streams"
                        + " of %d events (goal: <= 25 MB)%n",
                before >> 20, after >> 20, perThousand, events);
    }

    private static String serverPid(String domain) throws IOException, InterruptedException {
        Process ps = new ProcessBuilder("pgrep", "-f", "domains/" + domain + "/config").start();
        String out = new String(ps.getInputStream().readAllBytes()).trim();
        ps.waitFor();
        return out.isEmpty() ? null : out.split("\\s+")[0];
    }

    private static long usedHeapAfterGc(String pid) throws IOException, InterruptedException {
        run("jcmd", pid, "GC.run");
        Thread.sleep(500);
        run("jcmd", pid, "GC.run");
        String info = run("jcmd", pid, "GC.heap_info");
        Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
        check(used.find(), "unexpected GC.heap_info output: " + info);
        return Long.parseLong(used.group(1)) * 1024;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("cachebench", ".txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        process.waitFor();
        String text = Files.readString(out);
        Files.delete(out);
        return text;
    }

    private static void appendEvents(String stream, int count) throws Exception {
        for (int written = 0; written < count; written += 100) {
            StringBuilder batch = new StringBuilder();
            for (int i = written; i < Math.min(count, written + 100); i++) {
                if (batch.length() > 0) {
                    batch.append(',');
                }
                batch.append("{\"type\":\"Deposited\",\"data\":{\"amount\":")
                        .append(i)
                        .append(",\"currency\":\"EUR\",\"reference\":\"")
                        .append(UUID.randomUUID())
                        .append("\",\"note\":\"benchmark payload of a typical event\"}}");
            }
            HttpResponse<String> response =
                    HTTP.send(
                            HttpRequest.newBuilder(URI.create(base + "/arbor/api/streams/" + stream + "/events"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"events\":[" + batch + "]}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            check(response.statusCode() == 201, "append failed: " + response.body());
        }
    }

    private static String get(String path, boolean bypass) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        if (bypass) {
            request.header("Cache-Control", "no-cache");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        check(response.statusCode() == 200, "read failed: " + response.statusCode() + " " + response.body());
        return response.body();
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
