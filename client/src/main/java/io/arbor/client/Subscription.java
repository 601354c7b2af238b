package io.arbor.client;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * A live subscription (api.md, "Live subscriptions"), running on a thread of its own until it is
 * {@linkplain #close() closed} or fails for good. Returned by {@link ArborClient#subscribe} and
 * {@link ArborClient#subscribeToStream}.
 *
 * <p>Each connection is one {@code GET …/subscribe}; its frames are read as they arrive and handed
 * to the {@link SubscriptionListener}. When a connection ends for any reason but {@link #close()}
 * (the server dropped it, restarted, or answered 503 or not at all; Payara's own 404 or 5xx page
 * while the application is away; a 502/504 from a proxy; no byte for the idle timeout, though the
 * server sends a heartbeat at least every 15 s) it connects again, waiting with exponential backoff
 * and jitter while the attempts keep failing, and resumes with {@code Last-Event-ID} set to the
 * last id it processed (an event's, or a checkpoint's). An answer that is Arbor's own and no outage
 * (400, a stream's 404, 500) ends it: {@link SubscriptionListener#failed} and {@link #failure()}.
 *
 * <p>The server promises each event once; the subscription does not rely on it: an event at or
 * below the last processed position (stream: version) is not delivered again.
 */
public final class Subscription implements AutoCloseable {
    /** One daemon thread for every subscription's idle check: it only closes stale connections. */
    private static final ScheduledExecutorService WATCHDOG =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "arbor-subscription-watchdog");
                        t.setDaemon(true);
                        return t;
                    });

    private final HttpClient http;
    private final LongFunction<HttpRequest> request;
    private final boolean stream;
    private final SubscriptionListener listener;
    private final RetryPolicy reconnect;
    private final long idleNanos;
    private final Thread thread;

    private volatile boolean closed;
    private volatile long position;
    private volatile boolean caughtUp;
    private volatile Exception failure;
    private volatile InputStream body;
    private volatile long readingSince; // 0 while not blocked reading the stream

    // The subscription's thread only.
    private int failures;
    private long downSince;
    private boolean progressed;

    /**
     * @param request the request that resumes after a position (the last id processed)
     * @param stream true: ids are a stream's versions; false: global positions
     */
    Subscription(
            HttpClient http,
            LongFunction<HttpRequest> request,
            boolean stream,
            long after,
            SubscriptionListener listener,
            Duration maxBackoff,
            Duration idleTimeout,
            String name) {
        this.http = http;
        this.request = request;
        this.stream = stream;
        this.position = after;
        this.listener = listener;
        this.reconnect =
                new RetryPolicy(
                        Integer.MAX_VALUE,
                        Duration.ofMillis(Math.min(500, maxBackoff.toMillis())),
                        maxBackoff);
        this.idleNanos = idleTimeout.toNanos();
        this.thread = new Thread(this::run, "arbor-subscription " + name);
        this.thread.setDaemon(true);
    }

    Subscription start() {
        thread.start();
        return this;
    }

    /**
     * The last id processed: the position (stream: version) of the last event delivered, or of the
     * last checkpoint when that is further. A new subscription after it misses nothing.
     */
    public long position() {
        return position;
    }

    /**
     * Whether the history has been delivered ({@link SubscriptionListener#caughtUp} was called).
     */
    public boolean isCaughtUp() {
        return caughtUp;
    }

    /** Why the subscription ended by itself, if it did. */
    public Optional<Exception> failure() {
        return Optional.ofNullable(failure);
    }

    /** Whether it is still running: not closed and not failed. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Waits up to {@code timeout} for the subscription to end; true when it has. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    /**
     * Ends the subscription: its connection is closed, its thread interrupted (a listener call in
     * progress sees the interrupt), and once this returns the listener hears nothing more (unless
     * it is called from the listener itself, which then returns first).
     */
    @Override
    public void close() {
        closed = true;
        closeBody();
        if (Thread.currentThread() != thread) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            while (!closed) {
                ArborException lost = connectOnce();
                if (closed) {
                    return;
                }
                if (failures++ == 0) {
                    downSince = System.nanoTime();
                }
                Duration wait = waitAfter(lost);
                listener.disconnected(
                        lost, failures, Duration.ofNanos(System.nanoTime() - downSince), wait);
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException interrupted) {
                    if (closed) {
                        return;
                    }
                }
            }
        } catch (Fatal fatal) {
            failure = fatal.why;
            if (!closed) {
                listener.failed(fatal.why);
            }
        }
    }

    /** The backoff, or the server's {@code Retry-After} when it asks for longer (up to the max). */
    private Duration waitAfter(ArborException lost) {
        Duration wait = reconnect.backoff(failures);
        if (lost instanceof ArborProblemException p
                && p.retryAfter() != null
                && !p.retryAfter().isEmpty()
                && p.retryAfter().chars().allMatch(Character::isDigit)) {
            Duration asked = Duration.ofSeconds(Long.parseLong(p.retryAfter()));
            if (asked.compareTo(wait) > 0 && asked.compareTo(reconnect.maxBackoff()) <= 0) {
                wait = asked;
            }
        }
        return wait;
    }

    /** One connection, read to its end; returns why it ended (null: closed). */
    private ArborException connectOnce() {
        HttpRequest req = request.apply(position);
        HttpResponse<InputStream> response;
        try {
            response = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            return new ArborUnavailableException(
                    "GET " + req.uri() + " unreachable: " + e, failures + 1, e);
        } catch (InterruptedException e) {
            return closed
                    ? null
                    : new ArborUnavailableException("GET " + req.uri() + " interrupted", 1, e);
        }
        int status = response.statusCode();
        if (status != 200) {
            String text;
            try (InputStream in = response.body()) {
                text = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = "";
            }
            ArborProblemException problem =
                    ArborClient.problem(status, text)
                            .withRetryAfter(
                                    response.headers().firstValue("Retry-After").orElse(null));
            if (ArborClient.isOutageOrBootPage(problem)) {
                return problem;
            }
            throw new Fatal(problem);
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("text/event-stream")) {
            closeQuietly(response.body());
            throw new Fatal(
                    new ArborProtocolException(
                            "GET " + req.uri() + " answered 200 " + type + ", not an event stream",
                            null));
        }
        body = response.body();
        if (closed) { // close() ran before there was a body to close
            closeBody();
            return null;
        }
        progressed = false;
        ScheduledFuture<?> idle = watchIdle();
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            SseParser parser = new SseParser(in);
            while (true) {
                readingSince = System.nanoTime();
                SseParser.Frame frame = parser.next();
                readingSince = 0;
                if (frame == null || closed) {
                    return closed
                            ? null
                            : new ArborUnavailableException(
                                    "the server ended the subscription " + req.uri(), 1, null);
                }
                ArborException dropped = handle(frame);
                if (dropped != null) {
                    return dropped;
                }
            }
        } catch (IOException e) {
            return closed
                    ? null
                    : new ArborUnavailableException(
                            "the subscription's connection was lost: " + e, 1, e);
        } finally {
            readingSince = 0;
            idle.cancel(false);
            body = null;
        }
    }

    /**
     * A connection that brings nothing for the idle timeout is dead though no one said so (a peer
     * gone without a FIN, a proxy holding it): close it, so the read fails and a new one starts.
     */
    private ScheduledFuture<?> watchIdle() {
        long period = Math.max(1, TimeUnit.NANOSECONDS.toMillis(idleNanos) / 4);
        return WATCHDOG.scheduleAtFixedRate(
                () -> {
                    long since = readingSince;
                    if (since != 0 && System.nanoTime() - since > idleNanos) {
                        closeBody(); // the blocked read then fails (tested: no interrupt needed)
                    }
                },
                period,
                period,
                TimeUnit.MILLISECONDS);
    }

    /** One frame; returns the reason to reconnect when the server dropped the subscription. */
    private ArborException handle(SseParser.Frame frame) {
        if (frame.isComment()) {
            return null; // a heartbeat: reading it was the point
        }
        switch (frame.name()) {
            case "event" -> {
                RecordedEvent event;
                try {
                    event = ArborClient.event(json(frame));
                } catch (RuntimeException e) {
                    throw new Fatal(
                            new ArborProtocolException(
                                    "an event frame that is not an EVENT: " + frame.data(), e));
                }
                long id = stream ? event.version() : event.globalPosition();
                if (id > position) { // the server promises once; this makes sure of it
                    progress();
                    try {
                        listener.event(event);
                    } catch (RuntimeException e) {
                        throw new Fatal(e);
                    }
                    position = id;
                }
            }
            case "checkpoint" -> {
                long at = number(frame, "position");
                progress();
                position = Math.max(position, at);
            }
            case "caught-up" -> {
                long at = number(frame, "position");
                progress();
                if (!caughtUp) {
                    caughtUp = true;
                    listener.caughtUp(at);
                }
            }
            case "dropped" -> {
                long at = number(frame, "position");
                String reason = json(frame).getString("reason", "");
                listener.dropped(at, reason);
                // Resume after what was processed here, which is what the server sent: at.
                return new ArborUnavailableException(
                        "the server dropped the subscription at " + at + ": " + reason, 1, null);
            }
            default -> {} // a frame kind newer than this client
        }
        return null;
    }

    /** A connection that delivers again ends the outage. */
    private void progress() {
        if (!progressed) {
            progressed = true;
            if (failures > 0) {
                listener.reconnected(failures, Duration.ofNanos(System.nanoTime() - downSince));
                failures = 0;
            }
        }
    }

    private static JsonObject json(SseParser.Frame frame) {
        try {
            return ArborClient.parse(frame.data() == null ? "" : frame.data());
        } catch (JsonException | IllegalStateException e) {
            throw new Fatal(
                    new ArborProtocolException(
                            "a " + frame.name() + " frame whose data is not JSON: " + frame.data(),
                            e));
        }
    }

    private static long number(SseParser.Frame frame, String name) {
        JsonObject json = json(frame);
        if (!(json.get(name) instanceof jakarta.json.JsonNumber n)) {
            throw new Fatal(
                    new ArborProtocolException(
                            "a " + frame.name() + " frame without " + name + ": " + frame.data(),
                            null));
        }
        return n.longValue();
    }

    private void closeBody() {
        InputStream in = body;
        if (in != null) {
            closeQuietly(in);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing it is all that was wanted
        }
    }

    /** Ends the subscription's thread with a failure that retrying would only repeat. */
    private static final class Fatal extends RuntimeException {
        final Exception why;

        Fatal(Exception why) {
            super(why.getMessage(), why, false, false);
            this.why = why;
        }
    }
}
