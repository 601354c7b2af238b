package io.arbor.faults;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A consumer group over the scenario's category (docs/consumer-groups.md), consumed by competing
 * consumers (two by default, {@code --group-consumers}) from before the writers start until the
 * store has been read back, across every fault: each fetches up to 50 events, acknowledges them in
 * one request, and carries on after any failure. It records which events the group acknowledged (an
 * ack answered 200), so the checker can hold the group to its promise: every event the log holds,
 * acknowledged appends first, acked at least once, duplicates allowed.
 *
 * <p>The group's HTTP calls are made here, in one place, with {@code java.net.http} as {@link
 * ReadinessProbe} does: the Java client has no group calls yet. Each call's answer other than 200
 * is kept for the checker, which allows what the scenario allows (503 and no answer in outages,
 * Payara's own pages while it starts) plus a 409 {@code lease-not-held} to an ack whose lease
 * expired meanwhile.
 */
public final class GroupConsumers {
    /** Short, so that leases lost with a killed server go out again soon after its restart. */
    private static final int ACK_TIMEOUT_SECONDS = 5;

    /** A call's answer other than 200 ({@link Attempt#UNKNOWN}: none), with its Retry-After. */
    public record Call(String call, int status, String body, String retryAfter) {}

    private final URI groupUri;
    private final String token;
    private final String group;
    private final String category;
    private final int consumers;
    private final HttpClient http;
    private final Set<UUID> acked = new HashSet<>();
    private final Set<UUID> maybeAcked = new HashSet<>();
    private final Map<UUID, Integer> ackCounts = new HashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private final Map<Integer, Long> statuses = new TreeMap<>();
    private final AtomicLong redelivered = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;
    private boolean paused; // guarded by this
    private int busy; // consumers between a fetch and its ack; guarded by this

    /** Consumers of {@code group} on {@code server}, sending {@code token} (null: none). */
    public GroupConsumers(URI server, String token, String group, String category, int consumers) {
        this.groupUri = server.resolve("/arbor/api/subscriptions/" + group);
        this.token = token;
        this.group = group;
        this.category = category;
        this.consumers = consumers;
        this.http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(3))
                        .build();
    }

    public String group() {
        return group;
    }

    /**
     * Creates the group at the beginning of the log (the server is up: the suite waited for it) and
     * starts the consumers. {@code maxRetries} 1000: no fault parks an event, so every event must
     * end acked.
     */
    public GroupConsumers start() throws IOException, InterruptedException {
        HttpResponse<String> created =
                send(
                        "PUT",
                        "",
                        "{\"filter\":{\"category\":\""
                                + category
                                + "\"},\"startFrom\":\"beginning\",\"ackTimeoutSeconds\":"
                                + ACK_TIMEOUT_SECONDS
                                + ",\"maxRetries\":1000}");
        if (created.statusCode() != 201) {
            throw new IllegalStateException(
                    "creating group " + group + ": " + created.statusCode() + " " + created.body());
        }
        for (int c = 1; c <= consumers; c++) {
            String consumer = "faults-" + c;
            Thread t = new Thread(() -> consume(consumer), group + "-" + consumer);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        return this;
    }

    private void consume(String consumer) {
        while (!stop) {
            synchronized (this) {
                if (paused) {
                    try {
                        wait(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
                busy++;
            }
            List<UUID> leased;
            try {
                leased = fetch(consumer);
                if (leased != null && !leased.isEmpty()) {
                    ack(consumer, leased);
                }
            } finally {
                synchronized (this) {
                    busy--;
                    notifyAll();
                }
            }
            if (leased == null) {
                Load.sleep(200); // no answer or a refusal: the server or database is away
            }
        }
    }

    /**
     * Stops the consumers between two fetches and waits (up to 40 s) until none has a call in
     * flight. For the PostgreSQL stop only: each group call that meets the stopped database holds
     * one of Payara's 5 HTTP threads while it waits for the pool, and with the writers and the
     * reader doing the same, the readiness samples found no thread until the database was back
     * (readiness DOWN missed in 3 of 4 runs of {@code --only pgstop} with the group, 0 of 4
     * without; docs/fault-suite.md).
     */
    public synchronized void pause() throws InterruptedException {
        paused = true;
        long deadline = System.currentTimeMillis() + 40_000;
        while (busy > 0 && System.currentTimeMillis() < deadline) {
            wait(100);
        }
    }

    public synchronized void resume() {
        paused = false;
        notifyAll();
    }

    /** The events leased to {@code consumer}, waiting up to a second; null when not answered. */
    private List<UUID> fetch(String consumer) {
        Answered answer =
                call(
                        "fetch",
                        "/fetch",
                        "{\"consumer\":\"" + consumer + "\",\"max\":50,\"waitSeconds\":1}");
        JsonObject body = answer.status() == 200 ? Load.object(answer.body()) : null;
        if (body == null) {
            return null;
        }
        List<UUID> ids = new ArrayList<>();
        for (JsonValue v : body.getJsonArray("events")) {
            JsonObject event = v.asJsonObject();
            ids.add(UUID.fromString(event.getString("eventId")));
            if (event.getInt("deliveryAttempt") > 1) {
                redelivered.incrementAndGet();
            }
        }
        return ids;
    }

    private void ack(String consumer, List<UUID> ids) {
        StringBuilder body = new StringBuilder("{\"consumer\":\"" + consumer + "\",\"eventIds\":[");
        for (int i = 0; i < ids.size(); i++) {
            body.append(i == 0 ? "\"" : ",\"").append(ids.get(i)).append('"');
        }
        int status = call("ack", "/ack", body.append("]}").toString()).status();
        synchronized (this) {
            if (status == 200) {
                acked.addAll(ids);
                for (UUID id : ids) {
                    ackCounts.merge(id, 1, Integer::sum);
                }
            } else if (status == Attempt.UNKNOWN || status >= 500) {
                // The ack may have committed before the answer was lost: if it did, the events
                // are done and never come back. The group's final checkpoint resolves them.
                maybeAcked.addAll(ids);
            }
            notifyAll();
        }
    }

    /** A call's status ({@link Attempt#UNKNOWN}: no answer) and body. */
    private record Answered(int status, String body) {}

    /** One POST, its answer recorded. */
    private Answered call(String name, String path, String json) {
        int status = Attempt.UNKNOWN;
        String body;
        String retryAfter = null;
        try {
            HttpResponse<String> r = send("POST", path, json);
            status = r.statusCode();
            body = r.body();
            retryAfter = r.headers().firstValue("Retry-After").orElse(null);
        } catch (IOException e) {
            body = "unknown: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop = true;
            return new Answered(Attempt.UNKNOWN, "interrupted");
        }
        synchronized (this) {
            statuses.merge(status, 1L, Long::sum);
            if (status != 200) {
                calls.add(new Call(name, status, body, retryAfter));
            }
        }
        return new Answered(status, body);
    }

    private HttpResponse<String> send(String method, String path, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(groupUri + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            request.header("Content-Type", "application/json")
                    .method(
                            method,
                            HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(
                request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    public synchronized int ackedCount() {
        return acked.size();
    }

    public long redelivered() {
        return redelivered.get();
    }

    /**
     * Waits up to {@code millis} until the group has acked every one of {@code eventIds} (or sent
     * an ack for it whose outcome it never learned); returns those it has not.
     */
    public synchronized List<UUID> awaitAcked(Collection<UUID> eventIds, long millis)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            List<UUID> missing =
                    eventIds.stream()
                            .filter(id -> !acked.contains(id) && !maybeAcked.contains(id))
                            .toList();
            long left = deadline - System.currentTimeMillis();
            if (missing.isEmpty() || left <= 0) {
                return missing;
            }
            wait(Math.min(left, 200));
        }
    }

    /**
     * Waits up to {@code millis} for the group to ack every event of the final log and for its
     * checkpoint to pass the log's last position {@code last} (an event whose ack went unanswered
     * and did not commit goes out again and is acked meanwhile), stops the consumers, reads the
     * group's checkpoint and parked count, deletes the group, and returns what it did.
     */
    public Checker.GroupRun finish(
            Collection<UUID> finalLog, long last, List<Checker.GroupCycle> cycles, long millis)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        awaitAcked(finalLog, millis);
        long[] status = status();
        while (status[0] < last && System.currentTimeMillis() < deadline) {
            Load.sleep(200);
            status = status();
        }
        stop = true;
        for (Thread t : threads) {
            t.join(40_000); // a fetch waits 1 s, a request at most 30 s
        }
        status = status();
        try {
            send("DELETE", "", null);
        } catch (IOException e) {
            // left behind in the suite's private database: harmless
        }
        synchronized (this) {
            long twice = ackCounts.values().stream().filter(n -> n > 1).count();
            return new Checker.GroupRun(
                    group,
                    Set.copyOf(acked),
                    Set.copyOf(maybeAcked),
                    twice,
                    redelivered.get(),
                    status[0],
                    status[1],
                    statuses,
                    calls,
                    cycles);
        }
    }

    /** The group's checkpoint and parked count, -1 each when not read. */
    private long[] status() throws InterruptedException {
        try {
            HttpResponse<String> r = send("GET", "", null);
            JsonObject body = Load.object(r.body());
            if (r.statusCode() == 200 && body != null) {
                return new long[] {
                    body.getJsonNumber("checkpoint").longValue(),
                    body.getJsonNumber("parked").longValue()
                };
            }
        } catch (IOException e) {
            // not read: the checker reports it
        }
        return new long[] {-1, -1};
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "group %s (%d acked, %d redelivered)",
                group,
                ackedCount(),
                redelivered());
    }
}
