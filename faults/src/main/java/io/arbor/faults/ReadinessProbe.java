package io.arbor.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Samples Arbor's readiness ({@code GET /health/ready} on the server root, next to {@code
 * /arbor/api}, not under it) every few hundred milliseconds while a scenario runs, so the suite can
 * tell whether it went DOWN (503) during an outage and UP (200) again after recovery.
 *
 * <p>One sample at a time: Payara's HTTP thread pool has 5 threads, and a readiness check may wait
 * for the JDBC pool (up to its 5 s max-wait) while the database is away, so concurrent samples
 * could take threads from the load under test. A slow sample just delays the next one.
 */
public final class ReadinessProbe implements AutoCloseable {
    /**
     * One sample.
     *
     * @param startNanos when it was sent, on the suite's clock
     * @param endNanos when the answer (or the failure) came back
     * @param status the HTTP status, or {@link Attempt#UNKNOWN} when no answer came
     */
    public record Sample(long startNanos, long endNanos, int status) {}

    /** One sample's longest wait for its answer. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI uri;
    private final long intervalMillis;
    private final HttpClient http;
    private final List<Sample> samples = new ArrayList<>();
    private volatile boolean stop;
    private Thread thread;

    public ReadinessProbe(URI server, long intervalMillis) {
        this.uri = readinessUri(server);
        this.intervalMillis = intervalMillis;
        this.http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(3))
                        .build();
    }

    /**
     * The readiness URL of the server {@code base} names: its root's {@code /health/ready},
     * whatever path {@code base} has ({@code http://host:port}, {@code .../}, {@code
     * .../arbor/api}).
     */
    static URI readinessUri(URI base) {
        return base.resolve("/health/ready");
    }

    public URI uri() {
        return uri;
    }

    public ReadinessProbe start() {
        thread = new Thread(this::sample, "readiness-probe");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void sample() {
        HttpRequest request =
                HttpRequest.newBuilder(uri)
                        .timeout(TIMEOUT)
                        .header("Accept", "application/json")
                        .GET()
                        .build();
        while (!stop) {
            long t0 = System.nanoTime();
            int status;
            try {
                status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                status = Attempt.UNKNOWN;
            } catch (InterruptedException e) {
                return;
            }
            record(new Sample(t0, System.nanoTime(), status));
            Load.sleep(intervalMillis);
        }
    }

    private synchronized void record(Sample s) {
        samples.add(s);
    }

    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** Whether a sample sent between {@code fromNanos} and {@code toNanos} was answered DOWN. */
    public synchronized boolean downBetween(long fromNanos, long toNanos) {
        return samples.stream()
                .anyMatch(
                        s ->
                                s.status() == 503
                                        && s.startNanos() >= fromNanos
                                        && s.startNanos() <= toNanos);
    }

    /**
     * Waits until a sample sent at or after {@code afterNanos} is answered UP, for as long as
     * {@code deadlineNanos}.
     *
     * @return whether one was
     */
    public boolean awaitUp(long afterNanos, long deadlineNanos) {
        while (true) {
            synchronized (this) {
                if (samples.stream()
                        .anyMatch(s -> s.status() == 200 && s.startNanos() >= afterNanos)) {
                    return true;
                }
            }
            if (System.nanoTime() > deadlineNanos) {
                return false;
            }
            Load.sleep(50);
        }
    }

    /** Samples by status ({@code -1}: no answer). */
    public synchronized Map<Integer, Long> statuses() {
        Map<Integer, Long> m = new TreeMap<>();
        for (Sample s : samples) {
            m.merge(s.status(), 1L, Long::sum);
        }
        return m;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        if (thread != null) {
            thread.join(15_000); // at most one sample in flight, bounded by its timeout
        }
    }
}
