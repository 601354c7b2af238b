package io.arbor.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test's Server-Sent Events client: opens a subscription, reads its frames on a thread of its
 * own, parsed as the SSE specification says, and lets the test wait for and look at them.
 */
final class SseSubscriber implements AutoCloseable {
    /** One frame: its {@code id:} (null when none), {@code event:} name, {@code data:}, comment. */
    record Frame(String id, String name, String data, String comment) {
        JsonObject json() {
            return Json.createReader(new StringReader(data)).readObject();
        }
    }

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final List<Frame> frames = new ArrayList<>();
    private final HttpResponse<InputStream> response;
    private final Thread reader;
    private volatile boolean ended;

    private SseSubscriber(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-subscriber");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Subscribes to {@code path} (under /arbor/api, or a full URL), with headers as name, value, …
     */
    static SseSubscriber open(String path, String... headers) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(
                                URI.create(path.startsWith("http") ? path : Arbor.API + path))
                        .header("Accept", "text/event-stream")
                        .timeout(Duration.ofSeconds(10));
        Arbor.addHeaders(request, List.of(headers), Tokens.admin());
        HttpRequest built = request.build();
        HttpResponse<InputStream> response =
                HTTP.send(built, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            OpenApiContract.served()
                    .check(
                            "GET",
                            built.uri(),
                            response.statusCode(),
                            response.headers().map(),
                            body);
            throw new AssertionError(
                    "subscribe " + path + ": " + response.statusCode() + " " + body);
        }
        // The stream's head against /openapi (status, content type); its frames are not JSON.
        OpenApiContract.served()
                .check("GET", built.uri(), response.statusCode(), response.headers().map(), null);
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("text/event-stream")) {
            throw new AssertionError("subscribe " + path + ": Content-Type " + type);
        }
        return new SseSubscriber(response);
    }

    /**
     * One subscription request that is expected to be refused: its reply, with the problem body; a
     * subscription that opens (200) is closed at once and answered with an empty body, so that a
     * caller that expected a refusal fails instead of waiting on an endless stream.
     */
    static Reply attempt(String path) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(
                                URI.create(path.startsWith("http") ? path : Arbor.API + path))
                        .header("Accept", "text/event-stream")
                        .header("Authorization", "Bearer " + Tokens.admin())
                        .timeout(Duration.ofSeconds(30))
                        .build();
        HttpResponse<InputStream> response =
                HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        String contentType = response.headers().firstValue("Content-Type").orElse(null);
        try (InputStream body = response.body()) {
            String text =
                    response.statusCode() == 200
                            ? ""
                            : new String(body.readAllBytes(), StandardCharsets.UTF_8);
            return new Reply(response.statusCode(), contentType, text, response.headers());
        }
    }

    private void read() {
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String name = null;
            StringBuilder data = null;
            String comment = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null || comment != null) {
                        add(
                                new Frame(
                                        id,
                                        name == null ? "message" : name,
                                        data == null ? null : data.toString(),
                                        comment));
                    }
                    id = name = comment = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    comment = line.substring(1).trim();
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    if (value.startsWith(" ")) {
                        value = value.substring(1);
                    }
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> name = value;
                        case "data" ->
                                data =
                                        data == null
                                                ? new StringBuilder(value)
                                                : data.append('\n').append(value);
                        default -> {}
                    }
                }
            }
        } catch (IOException closed) {
            // closed by the test, or the server ended the stream
        } finally {
            ended = true;
            synchronized (frames) {
                frames.notifyAll();
            }
        }
    }

    private void add(Frame frame) {
        synchronized (frames) {
            frames.add(frame);
            frames.notifyAll();
        }
    }

    List<Frame> frames() {
        synchronized (frames) {
            return new ArrayList<>(frames);
        }
    }

    List<Frame> named(String name) {
        return frames().stream().filter(f -> name.equals(f.name())).toList();
    }

    /** The {@code event} frames' EVENT objects. */
    List<JsonObject> events() {
        return named("event").stream().map(Frame::json).toList();
    }

    Set<String> eventIds() {
        Set<String> ids = new HashSet<>();
        events().forEach(e -> ids.add(e.getString("eventId")));
        return ids;
    }

    boolean ended() {
        return ended;
    }

    /** Waits until some frame satisfies {@code condition}; fails after {@code seconds}. */
    Frame await(Predicate<Frame> condition, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (frames) {
            while (true) {
                for (Frame frame : frames) {
                    if (condition.test(frame)) {
                        return frame;
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || ended) {
                    throw new AssertionError(
                            "no frame " + what + " within " + seconds + " s; got " + frames);
                }
                frames.wait(Math.min(left, 200));
            }
        }
    }

    /** Waits until every id in {@code eventIds} has arrived in an event frame. */
    void awaitEvents(Set<String> eventIds, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!eventIds().containsAll(eventIds)) {
            if (System.nanoTime() > deadline || ended) {
                Set<String> missing = new HashSet<>(eventIds);
                missing.removeAll(eventIds());
                throw new AssertionError(
                        missing.size()
                                + " acknowledged events never arrived, e.g. "
                                + missing.iterator().next()
                                + (ended ? " (stream ended)" : ""));
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // closing anyway
        }
        reader.interrupt();
    }
}
