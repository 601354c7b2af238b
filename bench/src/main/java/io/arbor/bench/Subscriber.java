package io.arbor.bench;

import io.arbor.bench.EventStream.Frame;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * A live subscriber as the scenarios 11-13 use it: one {@link EventStream} whose event frames it
 * counts, checks for order (each {@code id} above the last), and times. The benchmark's appends
 * carry the load generator's {@link System#nanoTime} from just before each append was written
 * ({@link #MARK}); the subscriber takes the clock again when it has parsed the frame, in the same
 * JVM, so a delivery latency needs no clock shared with the server and no {@code recordedAt}.
 */
final class Subscriber implements AutoCloseable {
    /** The data field of a timed event: the nanoTime just before its append was sent. */
    static final String MARK = "benchSentNanos";

    private static final String MARK_KEY = "\"" + MARK + "\":";

    private final String where;
    private final Recorder latencies;
    private final long stopAfter;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong timed = new AtomicLong();
    private final EventStream stream;
    private volatile long timeFrom = Long.MAX_VALUE;
    private volatile long lastId;
    private volatile long stoppedAt;
    private volatile String dropped;
    private volatile String disorder;

    /**
     * Subscribes to {@code path} on {@code server}; times events sent after {@link #timeFrom} into
     * {@code latencies} (null: none), and closes the stream after {@code stopAfter} events (when
     * given, also at {@code caught-up}). It sends {@code token} (null: none).
     */
    Subscriber(
            String where,
            String server,
            String path,
            String token,
            Recorder latencies,
            long stopAfter)
            throws IOException {
        this.where = where;
        this.latencies = latencies;
        this.stopAfter = stopAfter;
        this.stream = EventStream.open(server, path, token, this::frame);
    }

    private boolean frame(Frame frame) {
        switch (frame.name()) {
            case "event" -> {
                long received = System.nanoTime();
                long id = Long.parseLong(frame.id());
                if (id <= lastId && disorder == null) {
                    disorder = "event " + id + " after " + lastId;
                }
                lastId = id;
                long sent = sentNanos(frame.data());
                if (sent >= 0) {
                    timed.incrementAndGet();
                    if (sent >= timeFrom && latencies != null) {
                        latencies.recordValue(Math.max(0, (received - sent) / 1000));
                    }
                }
                if (events.incrementAndGet() >= stopAfter) {
                    stoppedAt = received;
                    return false;
                }
            }
            case "caught-up" -> {
                caughtUp.countDown();
                if (stopAfter < Long.MAX_VALUE) {
                    return false; // a catch-up that the log is too short for: it ends here
                }
            }
            case "dropped" -> {
                dropped = frame.data();
                return false;
            }
            default -> {} // checkpoint: unfiltered subscriptions get none
        }
        return true;
    }

    /** The mark's value in an EVENT's data, or -1 for an event the benchmark did not time. */
    private static long sentNanos(String json) {
        int at = json.indexOf(MARK_KEY);
        if (at < 0) {
            return -1;
        }
        int i = at + MARK_KEY.length();
        while (json.charAt(i) == ' ') {
            i++;
        }
        long value = 0;
        for (; Character.isDigit(json.charAt(i)); i++) {
            value = value * 10 + (json.charAt(i) - '0');
        }
        return value;
    }

    /** Time the events sent from {@code nanos} on. */
    void timeFrom(long nanos) {
        timeFrom = nanos;
    }

    boolean awaitCaughtUp(long millis) throws InterruptedException {
        return caughtUp.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Events received (all of them). */
    long events() {
        return events.get();
    }

    /** Events received that the benchmark appended with a mark. */
    long timed() {
        return timed.get();
    }

    /** When the {@code stopAfter}-th event arrived (nanoTime), or 0. */
    long stoppedAt() {
        return stoppedAt;
    }

    void await(long millis) throws InterruptedException {
        stream.await(millis);
    }

    /** What went wrong with this subscriber (dropped, out of order, failed), or null. */
    String trouble() {
        if (dropped != null) {
            return where + ": dropped " + dropped;
        }
        if (disorder != null) {
            return where + ": out of order, " + disorder;
        }
        if (stream.failure() != null) {
            return where + ": " + stream.failure();
        }
        return null;
    }

    boolean wasDropped() {
        return dropped != null;
    }

    @Override
    public void close() {
        stream.close();
    }
}
