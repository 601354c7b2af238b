package io.arbor.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One consumer group behind a real HTTP port, for {@link GroupConsumer}'s tests: fetch leases the
 * oldest pending events (waiting up to {@code waitSeconds} for one), ack and nack need the lease
 * (else 409 {@code lease-not-held} with the ids, nothing changed), a {@code retry} nack of an event
 * delivered {@code maxRetries} + 1 times parks it, as docs/consumer-groups.md says. Tests script
 * outages through {@link #away} and take leases back through {@link #expire}.
 */
final class FakeGroup implements AutoCloseable {
    private static final Instant AT = Instant.parse("2026-12-05T00:00:00Z");

    /** One event of the group: its state is "pending", "leased", "done" or "parked". */
    static final class Entry {
        final RecordedEvent event;
        String state = "pending";
        String consumer;
        int attempts;

        Entry(RecordedEvent event) {
            this.event = event;
        }
    }

    final Map<UUID, Entry> entries = new LinkedHashMap<>();
    final int maxRetries;

    /** Every request, as "METHOD path body". */
    final List<String> requests = new CopyOnWriteArrayList<>();

    /**
     * While true, answers as Payara does with the application undeployed (an HTML 404), or while it
     * boots when {@link #awayStatus} is 500.
     */
    volatile boolean away;

    volatile int awayStatus = 404;

    /** While true, answers every request with 404 group-not-found. */
    volatile boolean deleted;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    FakeGroup(int maxRetries) throws IOException {
        this.maxRetries = maxRetries;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads); // a waiting fetch must not hold up acks
        server.start();
    }

    ArborClient client() {
        return ArborClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .retry(new RetryPolicy(2, java.time.Duration.ZERO, java.time.Duration.ZERO))
                .build();
    }

    /** Adds {@code count} events of {@code stream}; returns them. */
    synchronized List<RecordedEvent> append(String stream, int count) {
        List<RecordedEvent> added = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            RecordedEvent event =
                    new RecordedEvent(
                            UUID.randomUUID(),
                            stream,
                            i,
                            entries.size() + 1,
                            "Counted",
                            1,
                            Json.createObjectBuilder().add("n", i).build(),
                            JsonValue.EMPTY_JSON_OBJECT,
                            List.of(),
                            AT,
                            null,
                            null);
            entries.put(event.eventId(), new Entry(event));
            added.add(event);
        }
        notifyAll();
        return added;
    }

    /** Takes a lease back, as an expired one is: the event is pending again. */
    synchronized void expire(UUID eventId) {
        Entry entry = entries.get(eventId);
        entry.state = "pending";
        entry.consumer = null;
    }

    synchronized long count(String state) {
        return entries.values().stream().filter(e -> e.state.equals(state)).count();
    }

    /** The requests to one endpoint ({@code fetch}, {@code ack}, {@code nack}), bodies parsed. */
    List<JsonObject> bodies(String endpoint) {
        return requests.stream()
                .filter(r -> r.startsWith("POST /arbor/api/subscriptions/g/" + endpoint + " "))
                .map(r -> ArborClient.parse(r.substring(r.indexOf(' ', 5) + 1)))
                .toList();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(exchange.getRequestMethod() + " " + path + " " + body);
        String[] reply;
        try {
            if (away) {
                reply =
                        new String[] {
                            Integer.toString(awayStatus), "text/html", "<html>away</html>"
                        };
            } else if (deleted) {
                reply = problem(404, "group-not-found", "no group g", "");
            } else if (path.endsWith("/fetch")) {
                reply = fetch(ArborClient.parse(body));
            } else if (path.endsWith("/ack")) {
                reply = settle(ArborClient.parse(body), "acked", null);
            } else if (path.endsWith("/nack")) {
                JsonObject request = ArborClient.parse(body);
                reply = settle(request, "nacked", request.getString("action"));
            } else {
                reply = problem(404, "http-404", "no such resource: " + path, "");
            }
        } catch (InterruptedException stopped) {
            exchange.close();
            return;
        }
        byte[] bytes = reply[2].getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", reply[1]);
        try {
            exchange.sendResponseHeaders(Integer.parseInt(reply[0]), bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException clientGone) {
            // a fetch cut short by stop(): its leases are left to expire, as on the real server
        }
        exchange.close();
    }

    private synchronized String[] fetch(JsonObject request) throws InterruptedException {
        String consumer = request.getString("consumer");
        long deadline = System.nanoTime() + request.getInt("waitSeconds") * 1_000_000_000L;
        List<Entry> leased = new ArrayList<>();
        while (true) {
            for (Entry entry : entries.values()) {
                if (entry.state.equals("pending") && leased.size() < request.getInt("max")) {
                    entry.state = "leased";
                    entry.consumer = consumer;
                    entry.attempts++;
                    leased.add(entry);
                }
            }
            long left = deadline - System.nanoTime();
            if (!leased.isEmpty() || left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        JsonArrayBuilder events = Json.createArrayBuilder();
        for (Entry entry : leased) {
            events.add(
                    Json.createObjectBuilder(ArborClient.toJson(entry.event))
                            .add("deliveryAttempt", entry.attempts));
        }
        return ok(Json.createObjectBuilder().add("events", events).build().toString());
    }

    private synchronized String[] settle(JsonObject request, String answer, String action) {
        String consumer = request.getString("consumer");
        List<UUID> ids =
                request.getJsonArray("eventIds").getValuesAs(JsonString.class).stream()
                        .map(id -> UUID.fromString(id.getString()))
                        .toList();
        JsonArrayBuilder notHeld = Json.createArrayBuilder();
        int missing = 0;
        for (UUID id : ids) {
            Entry entry = entries.get(id);
            if (entry == null
                    || !entry.state.equals("leased")
                    || !entry.consumer.equals(consumer)) {
                notHeld.add(id.toString());
                missing++;
            }
        }
        if (missing > 0) {
            return problem(
                    409,
                    "lease-not-held",
                    "not leased to " + consumer,
                    ",\"eventIds\":" + notHeld.build());
        }
        for (UUID id : ids) {
            Entry entry = entries.get(id);
            entry.consumer = null;
            entry.state =
                    action == null || action.equals("skip")
                            ? "done"
                            : action.equals("park") || entry.attempts > maxRetries
                                    ? "parked"
                                    : "pending";
        }
        notifyAll();
        return ok("{\"" + answer + "\":" + ids.size() + "}");
    }

    private static String[] ok(String json) {
        return new String[] {"200", "application/json", json};
    }

    private static String[] problem(int status, String kind, String detail, String extra) {
        return new String[] {
            Integer.toString(status),
            "application/problem+json",
            "{\"type\":\"urn:arbor:problem:"
                    + kind
                    + "\",\"title\":\"t\",\"status\":"
                    + status
                    + ",\"detail\":\""
                    + detail
                    + "\""
                    + extra
                    + "}"
        };
    }
}
