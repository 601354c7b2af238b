package io.arbor.faults;

import io.arbor.client.ArborException;
import io.arbor.client.GlobalLogPage;
import io.arbor.client.RecordedEvent;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Follows the global log of one category while the writers run, the way a subscriber does: pass
 * each page's {@code lastPosition} as the next {@code after}. What it saw is compared with the
 * final log: every event exactly once, in increasing position order, none skipped.
 *
 * <p>Every read it sends is recorded with its answer and how long it took ({@link #reads()}), so
 * the checker can tell a read answered 503 during an outage from one answered 500, or one that
 * hung.
 */
public final class LiveReader implements Runnable {
    /** One event as the reader saw it. */
    public record Seen(long position, UUID eventId) {}

    /**
     * One read of the global log and its answer.
     *
     * @param after the position it read after
     * @param startNanos when it left, on the suite's clock
     * @param endNanos when the answer (or the failure) came back
     * @param status the HTTP status, {@link Attempt#UNKNOWN} when no answer came, or {@link
     *     #PENDING} when none has come yet
     * @param events the events a 200 returned
     * @param body the error answer's body, or {@code "unknown: <exception>"}; null for a 200
     * @param retryAfter the error answer's {@code Retry-After}, or null when it had none
     */
    public record Read(
            long after,
            long startNanos,
            long endNanos,
            int status,
            int events,
            String body,
            String retryAfter) {
        /** A read still waiting for its answer when the reads were listed. */
        public static final int PENDING = -2;

        public long nanos() {
            return endNanos - startNanos;
        }
    }

    private final Api api;
    private final String category;
    private final List<Seen> seen = new ArrayList<>();
    private final List<Read> reads = new ArrayList<>();
    private volatile long inFlightSince;
    private volatile long inFlightAfter;
    private volatile boolean finishWhenCaughtUp;
    private volatile boolean caughtUp;
    private volatile long errors;
    private Thread thread;

    public LiveReader(Api api, String category) {
        this.api = api;
        this.category = category;
    }

    public void start() {
        thread = new Thread(this, category + "-reader");
        thread.setDaemon(true);
        thread.start();
    }

    /** Read to the end of the log, then stop; waits up to {@code millis}. */
    public boolean finish(long millis) throws InterruptedException {
        finishWhenCaughtUp = true;
        thread.join(millis);
        return caughtUp;
    }

    public synchronized List<Seen> seen() {
        return List.copyOf(seen);
    }

    public synchronized int seenCount() {
        return seen.size();
    }

    /**
     * Every read sent so far with its answer; a read still waiting for one is listed last, as
     * {@link Read#PENDING} with its wait so far.
     */
    public synchronized List<Read> reads() {
        List<Read> all = new ArrayList<>(reads);
        long since = inFlightSince;
        if (since != 0) {
            all.add(
                    new Read(
                            inFlightAfter,
                            since,
                            System.nanoTime(),
                            Read.PENDING,
                            0,
                            "still waiting for an answer",
                            null));
        }
        return all;
    }

    public synchronized int readCount() {
        return reads.size();
    }

    /** Reads answered other than 200 (or not at all). */
    public synchronized long failedReads() {
        return reads.stream().filter(r -> r.status() != 200).count();
    }

    /** The reads as JSON lines, one object per read, times in ms from {@code originNanos}. */
    public void writeReads(Path file, long originNanos) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Read r : reads()) {
                JsonObjectBuilder o =
                        Json.createObjectBuilder()
                                .add("after", r.after())
                                .add("startMs", (r.startNanos() - originNanos) / 1e6)
                                .add("endMs", (r.endNanos() - originNanos) / 1e6);
                if (r.status() == Attempt.UNKNOWN) {
                    o.add("status", "unknown");
                } else if (r.status() == Read.PENDING) {
                    o.add("status", "pending");
                } else {
                    o.add("status", r.status());
                }
                o.add("events", r.events());
                if (r.body() != null) {
                    o.add("body", r.body());
                }
                if (r.retryAfter() != null) {
                    o.add("retryAfter", r.retryAfter());
                }
                out.write(o.build().toString());
                out.newLine();
            }
        }
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    public long errors() {
        return errors;
    }

    @Override
    public void run() {
        long after = 0;
        int emptyAfterFinish = 0;
        while (true) {
            boolean finishing = finishWhenCaughtUp;
            GlobalLogPage page;
            long t0 = System.nanoTime();
            inFlightAfter = after;
            inFlightSince = t0;
            try {
                page = api.globalLog(after, 500, category);
            } catch (ArborException e) {
                Api.Answer a = Api.answer(e);
                long t1 = System.nanoTime();
                synchronized (this) {
                    inFlightSince = 0;
                    reads.add(new Read(after, t0, t1, a.status(), 0, a.body(), a.retryAfter()));
                }
                errors++;
                Load.sleep(200);
                continue;
            }
            long t1 = System.nanoTime();
            List<RecordedEvent> events = page.events();
            synchronized (this) {
                inFlightSince = 0;
                reads.add(new Read(after, t0, t1, 200, events.size(), null, null));
                for (RecordedEvent e : events) {
                    seen.add(new Seen(e.globalPosition(), e.eventId()));
                    after = Math.max(after, e.globalPosition());
                }
            }
            after = Math.max(after, page.lastPosition());
            if (events.isEmpty()) {
                if (finishing && ++emptyAfterFinish >= 2) {
                    caughtUp = true;
                    return;
                }
                Load.sleep(finishing ? 100 : 50);
            }
        }
    }
}
