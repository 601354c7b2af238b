import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures the server heap that Arbor's hot cache takes: fills it with hot streams and asks the
 * server's JVM ({@code jcmd GC.heap_info} after full GCs) before and after. The cache on/off read
 * ratio is scenario 5 of {@code bench/run.sh}, whose load generator leaves the server the CPU.
 *
 * <pre>
 *   java bench/CacheBench.java [--base http://localhost:8080] [--domain arbor]
 *                              [--events 100] [--streams 1000] [--smoke]
 * </pre>
 *
 * A program, not a test: it prints figures. It needs {@code jcmd} and the server's JVM on this
 * machine (found by its domain directory); it says so and stops otherwise.
 */
public class CacheBench {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static String base = "http://localhost:8080";

    public static void main(String[] args) throws Exception {
        int events = 100;
        int streams = 1000;
        String domain = "arbor";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--base" -> base = args[++i];
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--streams" -> streams = Integer.parseInt(args[++i]);
                case "--domain" -> domain = args[++i];
                case "--smoke" -> {
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
        System.out.printf("settings: %d hot streams of %d events (~120-byte data each)%n", streams, events);
        String probe = "bench-" + UUID.randomUUID();
        appendEvents(probe, events);
        String path = "/arbor/api/streams/" + probe + "/events?limit=" + events;
        check(get(path, false).equals(get(path, true)), "a hit must answer the bytes a database read does");

        heapPerThousandHotStreams(streams, events, domain);
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
