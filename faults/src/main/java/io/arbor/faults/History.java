package io.arbor.faults;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client-side history of one scenario: every append attempt and its answer, in memory for the
 * checker and as JSON lines on disk (one object per attempt) for a person to read afterwards.
 */
public final class History implements AutoCloseable {
    private final long originNanos;
    private final List<Attempt> attempts = new ArrayList<>();
    private final AtomicLong nextAttempt = new AtomicLong(1);
    private final AtomicLong nextOp = new AtomicLong(1);
    private final BufferedWriter out;

    /** A history kept only in memory (tests). */
    public History() {
        this.originNanos = System.nanoTime();
        this.out = null;
    }

    public History(long originNanos, Path file) {
        this.originNanos = originNanos;
        try {
            Files.createDirectories(file.getParent());
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long newOpId() {
        return nextOp.getAndIncrement();
    }

    public long newAttemptId() {
        return nextAttempt.getAndIncrement();
    }

    public synchronized void record(Attempt a) {
        attempts.add(a);
        if (out != null) {
            try {
                out.write(toJson(a));
                out.newLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** The ids of every event an acknowledged attempt wrote, each once, in the order recorded. */
    public synchronized List<UUID> acknowledgedEventIds() {
        return attempts.stream()
                .filter(Attempt::acknowledged)
                .flatMap(a -> a.eventIds().stream())
                .distinct()
                .toList();
    }

    public synchronized int size() {
        return attempts.size();
    }

    /** The attempt recorded {@code index}-th (they are recorded as their answers arrive). */
    public synchronized Attempt get(int index) {
        return attempts.get(index);
    }

    private String toJson(Attempt a) {
        JsonObjectBuilder o =
                Json.createObjectBuilder()
                        .add("request", a.id())
                        .add("op", a.opId())
                        .add("worker", a.worker());
        if (a.multiStream()) {
            // POST /events: every part, with its expected version and events (none: a guard)
            JsonArrayBuilder parts = Json.createArrayBuilder();
            for (Attempt.Part p : a.parts()) {
                parts.add(
                        Json.createObjectBuilder()
                                .add("streamId", p.stream())
                                .add("expectedVersion", p.expected())
                                .add("eventIds", ids(p.eventIds())));
            }
            o.add("streams", parts);
        } else {
            Attempt.Part p = a.parts().get(0);
            o.add("stream", p.stream())
                    .add("expectedVersion", p.expected())
                    .add("eventIds", ids(p.eventIds()));
        }
        o.add("startMs", (a.startNanos() - originNanos) / 1e6)
                .add("endMs", (a.endNanos() - originNanos) / 1e6);
        if (a.status() == Attempt.UNKNOWN) {
            o.add("status", "unknown");
        } else {
            o.add("status", a.status());
        }
        o.add("body", a.body());
        if (a.retryAfter() != null) {
            o.add("retryAfter", a.retryAfter());
        }
        return o.build().toString();
    }

    private static JsonArrayBuilder ids(List<UUID> eventIds) {
        JsonArrayBuilder ids = Json.createArrayBuilder();
        for (UUID id : eventIds) {
            ids.add(id.toString());
        }
        return ids;
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
