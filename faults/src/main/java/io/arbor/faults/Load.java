package io.arbor.faults;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
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
 *
 * <p>Every {@link Spec#multiEvery}-th op of a writer is a multi-stream append ({@code POST
 * /events}) to two or three distinct streams of its own and the shared ones, all or nothing: each
 * part with the expected version an append to that stream alone would carry, 1 to {@link
 * Spec#maxBatch} events each; in one of three such ops one part with an exact expected version is a
 * guard (no events, its expected version must hold). It is retried like any other append, with the
 * same body.
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
     * @param multiEvery every this many ops of a writer, one is a multi-stream append (0: none)
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
            long eventTarget,
            int multiEvery) {}

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
        long ops = 0;
        while (!stop) {
            if (spec.attemptsPerWriter() > 0 && attempts >= spec.attemptsPerWriter()) {
                break;
            }
            if (spec.eventTarget() > 0 && ackedEvents.get() >= spec.eventTarget()) {
                break;
            }
            long op = history.newOpId();
            ops++;
            boolean multi =
                    spec.multiEvery() > 0
                            && ops % spec.multiEvery() == 0
                            && owned.size() + spec.sharedStreams() >= 2;
            List<Attempt.Part> parts =
                    multi ? multiParts(rnd, owned, known) : List.of(singlePart(rnd, owned, known));
            int n = 0;
            for (Attempt.Part p : parts) {
                streams.add(p.stream());
                n += p.eventIds().size();
            }
            long backoffMs = 100;
            while (true) {
                attempts++;
                long t0 = System.nanoTime();
                Api.Answer a =
                        multi
                                ? api.appendMulti(parts, op, w)
                                : api.append(
                                        parts.get(0).stream(),
                                        parts.get(0).expected(),
                                        parts.get(0).eventIds(),
                                        op,
                                        w);
                long t1 = System.nanoTime();
                history.record(
                        new Attempt(
                                history.newAttemptId(),
                                op,
                                w,
                                parts,
                                multi,
                                t0,
                                t1,
                                a.status(),
                                a.body(),
                                a.retryAfter()));
                answers.computeIfAbsent(a.status(), k -> new LongAdder()).increment();
                if (a.ok()) {
                    learn(known, parts, a.body(), "streams", "toVersion");
                    ackedOps.increment();
                    ackedEvents.addAndGet(n);
                    lastAckNanos.accumulateAndGet(t1, Math::max);
                    break;
                }
                if (a.status() == 409) {
                    learn(known, parts, a.body(), "conflicts", "actualVersion");
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

    /** One stream: a shared one (by {@link Spec#sharedShare}) or one of the writer's own. */
    private Attempt.Part singlePart(Random rnd, List<String> owned, Map<String, Long> known) {
        boolean toShared =
                spec.sharedStreams() > 0
                        && (owned.isEmpty() || rnd.nextDouble() < spec.sharedShare());
        String stream =
                toShared
                        ? shared(rnd.nextInt(spec.sharedStreams()))
                        : owned.get(rnd.nextInt(owned.size()));
        return new Attempt.Part(
                stream,
                expected(stream, toShared, known),
                ids(rnd, 1 + rnd.nextInt(spec.maxBatch())));
    }

    /**
     * Two or three distinct streams of the writer's own and the shared ones, each with its events;
     * in one op of three, one part with an exact expected version is a guard instead.
     */
    List<Attempt.Part> multiParts(Random rnd, List<String> owned, Map<String, Long> known) {
        List<String> candidates = new ArrayList<>(owned);
        for (int i = 0; i < spec.sharedStreams(); i++) {
            candidates.add(shared(i));
        }
        Collections.shuffle(candidates, rnd);
        int k = Math.min(candidates.size(), 2 + rnd.nextInt(2));
        boolean guard = rnd.nextInt(3) == 0;
        List<Attempt.Part> parts = new ArrayList<>(k);
        for (String stream : candidates.subList(0, k)) {
            boolean isShared = !owned.contains(stream);
            String expected = expected(stream, isShared, known);
            boolean thisGuard = guard && !"any".equals(expected);
            guard &= !thisGuard;
            parts.add(
                    new Attempt.Part(
                            stream,
                            expected,
                            thisGuard ? List.of() : ids(rnd, 1 + rnd.nextInt(spec.maxBatch()))));
        }
        if (parts.stream().allMatch(Attempt.Part::guard)) {
            throw new IllegalStateException("a multi-stream append without events: " + parts);
        }
        return parts;
    }

    /** The expected version of an append to {@code stream}: the last one seen, or {@code any}. */
    private String expected(String stream, boolean isShared, Map<String, Long> known) {
        return isShared && !spec.sharedExact()
                ? "any"
                : Long.toString(known.getOrDefault(stream, 0L));
    }

    private static List<UUID> ids(Random rnd, int n) {
        List<UUID> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(new UUID(rnd.nextLong(), rnd.nextLong()));
        }
        return ids;
    }

    /**
     * What an answer says of the streams' versions: a single-stream body's {@code field}, or, for
     * {@code POST /events}, that field of each entry of its {@code array} ({@code streams} of a
     * 201/200, {@code conflicts} of a 409). A guard's version is not taken from an answer (it did
     * not move).
     */
    static void learn(
            Map<String, Long> known,
            List<Attempt.Part> parts,
            String body,
            String array,
            String field) {
        JsonObject o = object(body);
        if (o == null) {
            return;
        }
        if (!(o.get(array) instanceof JsonArray entries)) {
            Long v = number(body, field);
            if (v != null && parts.size() == 1) {
                known.put(parts.get(0).stream(), v);
            }
            return;
        }
        for (JsonValue e : entries) {
            if (e instanceof JsonObject entry
                    && entry.get("streamId") instanceof JsonString id
                    && entry.get(field) instanceof JsonNumber v
                    && parts.stream()
                            .anyMatch(
                                    p ->
                                            p.stream().equals(id.getString())
                                                    && (!p.guard() || array.equals("conflicts")))) {
                known.put(id.getString(), v.longValue());
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
