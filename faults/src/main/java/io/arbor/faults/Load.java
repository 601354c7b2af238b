package io.arbor.faults;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writers appending batches of events to streams, recording every attempt in the history.
 *
 * <p>Each writer owns some streams (appends with the exact expected version it last saw) and shares
 * some with every writer (appends with {@code "any"}, or with the version it last saw when {@link
 * Spec#sharedExact}, which makes them race). Batches hold 1 to {@link Spec#maxBatch} events, so the
 * all-or-nothing rule is exercised on every multi-event append. After an indeterminate outcome (no
 * answer, or a 5xx) a writer may retry the same append with the same event ids and expected
 * version, as a real client would; the retry is a second attempt of the same op.
 */
public final class Load {

    /**
     * What the writers do.
     *
     * @param category the streams' category: the part of every stream id before its first '-'
     * @param writers writer threads
     * @param ownedPerWriter streams each writer alone appends to
     * @param sharedStreams streams all writers append to
     * @param sharedShare the share of appends that go to a shared stream (when there are owned
     *     ones)
     * @param sharedExact true: appends to shared streams carry the exact version last seen
     * @param maxBatch events per append, 1 to this
     * @param retryIndeterminate retry an append whose outcome is unknown, with the same event ids
     * @param attemptsPerWriter stop each writer after this many requests (0: no limit)
     * @param eventTarget stop all writers once this many events are acknowledged (0: no limit)
     */
    public record Spec(
            String category,
            int writers,
            int ownedPerWriter,
            int sharedStreams,
            double sharedShare,
            boolean sharedExact,
            int maxBatch,
            boolean retryIndeterminate,
            long attemptsPerWriter,
            long eventTarget) {}

    private final Api api;
    private final History history;
    private final Spec spec;
    private final long seed;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;
    private final AtomicLong lastAckNanos = new AtomicLong();
    private final LongAdder ackedOps = new LongAdder();
    private final AtomicLong ackedEvents = new AtomicLong();
    private final Map<Integer, LongAdder> answers = new ConcurrentHashMap<>();
    private final Set<String> streams = ConcurrentHashMap.newKeySet();

    public Load(Api api, History history, Spec spec, long seed) {
        this.api = api;
        this.history = history;
        this.spec = spec;
        this.seed = seed;
    }

    public void start() {
        for (int w = 0; w < spec.writers(); w++) {
            int worker = w;
            Thread t = new Thread(() -> write(worker), spec.category() + "-writer-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Writers finish the attempt in flight and stop. */
    public void stop() {
        stop = true;
    }

    public void join() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }

    public boolean finished() {
        return threads.stream().noneMatch(Thread::isAlive);
    }

    public long lastAckNanos() {
        return lastAckNanos.get();
    }

    public long ackedEvents() {
        return ackedEvents.get();
    }

    public long ackedOps() {
        return ackedOps.sum();
    }

    /** Answers so far by status ({@code -1}: no answer). */
    public Map<Integer, Long> answers() {
        Map<Integer, Long> m = new TreeMap<>();
        answers.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    public Set<String> streams() {
        return new TreeSet<>(streams);
    }

    private String shared(int i) {
        return spec.category() + "-shared-" + i;
    }

    private void write(int w) {
        // Event ids come from this generator: the category (unique per run and scenario) is part
        // of its seed, or two scenarios with the same seed would send the same ids.
        Random rnd = new Random((seed * 1_000_003L + w) * 31 + spec.category().hashCode());
        List<String> owned = new ArrayList<>();
        for (int i = 0; i < spec.ownedPerWriter(); i++) {
            owned.add(spec.category() + "-w" + w + "-" + i);
        }
        Map<String, Long> known = new HashMap<>();
        long attempts = 0;
        while (!stop) {
            if (spec.attemptsPerWriter() > 0 && attempts >= spec.attemptsPerWriter()) {
                break;
            }
            if (spec.eventTarget() > 0 && ackedEvents.get() >= spec.eventTarget()) {
                break;
            }
            boolean toShared =
                    spec.sharedStreams() > 0
                            && (owned.isEmpty() || rnd.nextDouble() < spec.sharedShare());
            String stream =
                    toShared
                            ? shared(rnd.nextInt(spec.sharedStreams()))
                            : owned.get(rnd.nextInt(owned.size()));
            streams.add(stream);
            String expected =
                    toShared && !spec.sharedExact()
                            ? "any"
                            : Long.toString(known.getOrDefault(stream, 0L));
            int n = 1 + rnd.nextInt(spec.maxBatch());
            long op = history.newOpId();
            List<UUID> ids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ids.add(new UUID(rnd.nextLong(), rnd.nextLong()));
            }
            long backoffMs = 100;
            while (true) {
                attempts++;
                long t0 = System.nanoTime();
                Api.Answer a = api.append(stream, expected, ids, op, w);
                long t1 = System.nanoTime();
                history.record(
                        new Attempt(
                                history.newAttemptId(),
                                op,
                                w,
                                stream,
                                expected,
                                ids,
                                t0,
                                t1,
                                a.status(),
                                a.body(),
                                a.retryAfter()));
                answers.computeIfAbsent(a.status(), k -> new LongAdder()).increment();
                if (a.ok()) {
                    Long to = number(a.body(), "toVersion");
                    if (to != null) {
                        known.put(stream, to);
                    }
                    ackedOps.increment();
                    ackedEvents.addAndGet(n);
                    lastAckNanos.accumulateAndGet(t1, Math::max);
                    break;
                }
                if (a.status() == 409) {
                    Long actual = number(a.body(), "actualVersion");
                    if (actual != null) {
                        known.put(stream, actual);
                    }
                    break;
                }
                // No answer, a 5xx, or Payara's own error page while the application is not yet
                // loaded: the server may come back, so a client retries the same append.
                boolean retryable =
                        a.status() == Attempt.UNKNOWN
                                || a.status() >= 500
                                || Attempt.isServerStartingPage(a.status(), a.body());
                if (retryable && spec.retryIndeterminate() && !stop) {
                    sleep(backoffMs);
                    backoffMs = Math.min(backoffMs * 2, 1000);
                    continue;
                }
                sleep(100); // do not spin on an answer that will not change soon
                break;
            }
        }
    }

    /** A numeric field of a JSON object body, or null when the body is not such an object. */
    static Long number(String body, String field) {
        JsonObject o = object(body);
        if (o == null) {
            return null;
        }
        JsonValue v = o.get(field);
        return v instanceof JsonNumber num ? num.longValue() : null;
    }

    static JsonObject object(String body) {
        if (body == null || body.isEmpty() || body.charAt(0) != '{') {
            return null;
        }
        try (JsonReader r = Json.createReader(new StringReader(body))) {
            return r.readObject();
        } catch (RuntimeException e) {
            return null;
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
