package io.arbor.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.arbor.client.ArborClient;
import io.arbor.client.ConsumerStatus;
import io.arbor.client.DeliveryStrategy;
import io.arbor.client.GroupFilter;
import io.arbor.client.GroupStatus;
import io.arbor.client.ParkedEvent;
import io.arbor.client.RecordedEvent;
import io.arbor.spi.EventHash;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small in-memory Arbor behind a real HTTP port, for the commands' offline tests: the global log,
 * the stream listing, stream reads (capped at the stream row's version, as the server does) and
 * appends with exact expected versions and idempotent retries, and consumer groups' settings,
 * resets and parked lists (no fetches: the CLI makes none). Tests corrupt it through {@link #log}
 * and {@link #versions} directly, as one would corrupt the rows of a database.
 */
final class FakeArbor implements AutoCloseable {
    private static final Instant AT = Instant.parse("2026-11-25T00:00:00Z");

    /** The event rows, in any order; served in position order. */
    final List<RecordedEvent> log = new CopyOnWriteArrayList<>();

    /** The stream rows: id to version. */
    final Map<String, Long> versions = new TreeMap<>();

    /**
     * The chain anchors scavenging left: stream id to the hash of the last version it removed (the
     * stream's first version is the one after it).
     */
    final Map<String, String> anchors = new TreeMap<>();

    /** Every request, as "METHOD path?query". */
    final List<String> requests = new CopyOnWriteArrayList<>();

    /** The consumer groups, by name: their state is what the fake's group calls change. */
    final Map<String, GroupStatus> groups = new TreeMap<>();

    /** Each group's parked events, in position order. */
    final Map<String, List<ParkedEvent>> parked = new HashMap<>();

    /**
     * While true, answers as Payara does with the application undeployed: an HTML 404; open
     * subscriptions end, as they do when the server stops.
     */
    volatile boolean away;

    /** Every request's Authorization header ("null" when it had none), in order. */
    final List<String> authorizations = new CopyOnWriteArrayList<>();

    /** While 401 or 403, every API request is refused so, as a server with security on does. */
    volatile int refuseWith;

    /** While set, every answer is a 200 with this JSON, which no command expects. */
    volatile String garbled;

    private volatile boolean closed;

    private long nextPosition = 1;
    private volatile long served;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    FakeArbor() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        // A subscription holds its connection open: it must not hold up the other requests.
        server.setExecutor(threads);
        server.start();
    }

    /** A fake on a fresh port, for a test's field initializer. */
    static FakeArbor open() {
        try {
            return new FakeArbor();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Appends {@code count} events to {@code stream}, positions continuing the log. */
    synchronized FakeArbor append(String stream, int count) {
        long version = versions.getOrDefault(stream, 0L);
        for (int i = 0; i < count; i++) {
            version++;
            log.add(
                    chained(
                            UUID.randomUUID(),
                            stream,
                            version,
                            nextPosition++,
                            "Counted",
                            data(i)));
        }
        versions.put(stream, version);
        return this;
    }

    /**
     * Scavenges {@code stream} below {@code firstVersion}, as a truncation and then scavenging do:
     * the rows go, the anchor keeps the hash of version {@code firstVersion - 1}.
     */
    synchronized FakeArbor scavenge(String stream, long firstVersion) {
        anchors.put(stream, hashOf(stream, firstVersion - 1));
        log.removeIf(e -> e.streamId().equals(stream) && e.version() < firstVersion);
        return this;
    }

    /** The hash of {@code stream}'s version {@code version}: its row's, else its anchor's. */
    private String hashOf(String stream, long version) {
        return log.stream()
                .filter(e -> e.streamId().equals(stream) && e.version() == version)
                .findFirst()
                .map(RecordedEvent::hash)
                .orElseGet(() -> anchors.get(stream));
    }

    /** The event of {@code stream} at {@code version}. */
    RecordedEvent at(String stream, long version) {
        return log.stream()
                .filter(e -> e.streamId().equals(stream) && e.version() == version)
                .findFirst()
                .orElseThrow();
    }

    /** Replaces an event row (same id) by {@code changed}. */
    void replace(RecordedEvent original, RecordedEvent changed) {
        log.set(log.indexOf(original), changed);
    }

    static RecordedEvent withPosition(RecordedEvent e, long position) {
        return event(
                e.eventId(), e.streamId(), e.version(), position, e.type(), e.data(), e.hash());
    }

    /** {@code e} with other data, its hash kept: a changed stored event. */
    static RecordedEvent withData(RecordedEvent e, JsonObject data) {
        return event(
                e.eventId(),
                e.streamId(),
                e.version(),
                e.globalPosition(),
                e.type(),
                data,
                e.hash());
    }

    /** A new event, hashed after its stream's previous version as the store does. */
    private RecordedEvent chained(
            UUID id, String stream, long version, long position, String type, JsonObject data) {
        byte[] previous =
                version == 1 ? EventHash.GENESIS : EventHash.fromHex(hashOf(stream, version - 1));
        RecordedEvent unhashed = event(id, stream, version, position, type, data, null);
        return event(
                id,
                stream,
                version,
                position,
                type,
                data,
                EventHash.toHex(unhashed.computeHash(previous)));
    }

    /** How many events the global log has served, in all pages. */
    long eventsServed() {
        return served;
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        threads.shutdownNow();
    }

    private static JsonObject data(int n) {
        return Json.createObjectBuilder().add("n", n).build();
    }

    private static RecordedEvent event(
            UUID id,
            String stream,
            long version,
            long position,
            String type,
            JsonObject data,
            String hash) {
        return new RecordedEvent(
                id,
                stream,
                version,
                position,
                type,
                1,
                data,
                JsonValue.EMPTY_JSON_OBJECT,
                List.of(),
                AT,
                null,
                hash);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        URI uri = exchange.getRequestURI();
        requests.add(method + " " + uri);
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        String path = uri.getPath().replaceFirst("^/arbor/api", "");
        Map<String, String> query = query(uri.getRawQuery());
        String[] reply;
        if (away) {
            reply = new String[] {"404", "text/html", "<html>Not Found</html>"};
        } else if (refuseWith != 0) {
            reply =
                    refuseWith == 401
                            ? problem(401, "unauthorized", "no")
                            : path.startsWith("/admin/archive")
                                    ? problem(
                                            403,
                                            "forbidden",
                                            "no",
                                            "requiredRole",
                                            "arbor-admin",
                                            "requiredTenant",
                                            "default")
                                    : problem(
                                            403, "forbidden", "no", "requiredRole", "arbor-admin");
        } else if (garbled != null) {
            reply = ok(garbled);
        } else if (method.equals("GET") && path.equals("/events/subscribe")) {
            String lastEventId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
            requests.set(
                    requests.size() - 1, method + " " + uri + " Last-Event-ID: " + lastEventId);
            if ("".equals(query.get("category")) || "".equals(query.get("type"))) {
                reply = problem(400, "invalid-request", "an empty filter");
            } else {
                subscribe(exchange, query, lastEventId);
                return;
            }
        } else if (method.equals("GET") && path.equals("/events")) {
            reply = ok(globalLog(query));
        } else if (method.equals("GET") && path.equals("/streams")) {
            reply = ok(listing(query));
        } else if (path.matches("/streams/[^/]+/events")) {
            String stream = URLDecoder.decode(path.split("/")[2], StandardCharsets.UTF_8);
            reply =
                    method.equals("POST")
                            ? append(stream, exchange.getRequestBody().readAllBytes())
                            : read(stream, query);
        } else if (method.equals("GET") && path.matches("/streams/[^/]+")) {
            reply = info(URLDecoder.decode(path.split("/")[2], StandardCharsets.UTF_8));
        } else if (path.startsWith("/subscriptions")) {
            reply = group(method, path, query, exchange.getRequestBody().readAllBytes());
        } else {
            reply = problem(404, "http-404", "no such resource: " + path);
        }
        byte[] body = reply[2].getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", reply[1]);
        exchange.sendResponseHeaders(Integer.parseInt(reply[0]), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private synchronized String[] info(String stream) {
        Long version = versions.get(stream);
        if (version == null) {
            return problem(404, "stream-not-found", "no stream " + stream);
        }
        long first =
                log.stream()
                        .filter(e -> e.streamId().equals(stream))
                        .mapToLong(RecordedEvent::version)
                        .min()
                        .orElse(version + 1);
        String previous =
                first == 1 ? EventHash.toHex(EventHash.GENESIS) : hashOf(stream, first - 1);
        var json =
                Json.createObjectBuilder()
                        .add("streamId", stream)
                        .add("version", version)
                        .add("createdAt", AT.toString())
                        .add("updatedAt", AT.toString())
                        .add("firstVersion", first);
        return ok(
                (previous == null
                                ? json.addNull("previousHash")
                                : json.add("previousHash", previous))
                        .build()
                        .toString());
    }

    /**
     * A live subscription as api.md describes it, minus checkpoints and heartbeats: the matching
     * events after {@code Last-Event-ID} (else {@code after}), {@code caught-up}, then each new
     * one, until the store goes {@link #away} or closes.
     */
    private void subscribe(HttpExchange exchange, Map<String, String> query, String lastEventId)
            throws IOException {
        long after =
                Long.parseLong(
                        lastEventId != null ? lastEventId : query.getOrDefault("after", "0"));
        String category = query.get("category");
        String type = query.get("type");
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            boolean caughtUp = false;
            while (!away && !closed) {
                List<RecordedEvent> next;
                synchronized (this) {
                    long from = after;
                    next =
                            log.stream()
                                    .filter(e -> e.globalPosition() > from)
                                    .filter(e -> category == null || e.category().equals(category))
                                    .filter(e -> type == null || e.type().equals(type))
                                    .sorted(Comparator.comparingLong(RecordedEvent::globalPosition))
                                    .toList();
                }
                StringBuilder frames = new StringBuilder();
                for (RecordedEvent e : next) {
                    frames.append("id: ")
                            .append(e.globalPosition())
                            .append("\nevent: event\ndata: ")
                            .append(ArborClient.toJson(e))
                            .append("\n\n");
                    after = e.globalPosition();
                }
                if (!caughtUp) {
                    caughtUp = true;
                    frames.append("event: caught-up\ndata: {\"position\":")
                            .append(after)
                            .append("}\n\n");
                }
                out.write(frames.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(5);
            }
        } catch (IOException | InterruptedException gone) {
            // the client closed the connection, or the test ended
        }
        exchange.close();
    }

    /**
     * The consumer-group calls the CLI makes, as docs/consumer-groups.md answers them: settings,
     * status, reset, the parked list and its replay; a group's filter cannot change.
     */
    private synchronized String[] group(
            String method, String path, Map<String, String> query, byte[] bytes) {
        if (path.equals("/subscriptions")) {
            JsonArrayBuilder all = Json.createArrayBuilder();
            groups.values().forEach(g -> all.add(GroupsCommand.json(g)));
            return ok(Json.createObjectBuilder().add("groups", all).build().toString());
        }
        String[] parts = path.split("/");
        String name = parts[2];
        String action = String.join("/", List.of(parts).subList(3, parts.length));
        GroupStatus group = groups.get(name);
        JsonObject body =
                bytes.length == 0
                        ? JsonValue.EMPTY_JSON_OBJECT
                        : ArborClient.parseObject(new String(bytes, StandardCharsets.UTF_8));
        if (method.equals("PUT")) {
            return putGroup(name, group, body);
        }
        if (group == null) {
            return problem(404, "group-not-found", "no group " + name);
        }
        switch (method + " " + action) {
            case "GET " -> {
                return ok(GroupsCommand.json(group).toString());
            }
            case "DELETE " -> {
                groups.remove(name);
                return new String[] {"204", "application/json", ""};
            }
            case "POST reset" -> {
                JsonValue to = body.get("to");
                long at =
                        to instanceof JsonNumber n
                                ? n.longValue()
                                : to.toString().equals("\"end\"") ? nextPosition - 1 : 0;
                GroupStatus reset = withPosition(group, at);
                groups.put(name, reset);
                return ok(GroupsCommand.json(reset).toString());
            }
            case "GET parked" -> {
                long after = Long.parseLong(query.getOrDefault("after", "0"));
                int limit = Integer.parseInt(query.getOrDefault("limit", "100"));
                List<ParkedEvent> page =
                        parked.getOrDefault(name, List.of()).stream()
                                .filter(p -> p.event().globalPosition() > after)
                                .limit(limit)
                                .toList();
                JsonArrayBuilder events = Json.createArrayBuilder();
                page.forEach(p -> events.add(GroupsCommand.json(p)));
                var json = Json.createObjectBuilder().add("events", events);
                return ok(
                        (page.size() == limit
                                        ? json.add(
                                                "next",
                                                page.get(limit - 1).event().globalPosition())
                                        : json.addNull("next"))
                                .build()
                                .toString());
            }
            case "POST parked/replay" -> {
                int replayed = parked.getOrDefault(name, List.of()).size();
                parked.remove(name);
                return ok("{\"replayed\":" + replayed + "}");
            }
            default -> {
                return problem(404, "http-404", "no such resource: " + path);
            }
        }
    }

    private String[] putGroup(String name, GroupStatus existing, JsonObject body) {
        JsonObject f = body.getJsonObject("filter");
        GroupFilter filter =
                f == null
                        ? GroupFilter.ALL
                        : new GroupFilter(
                                f.getString("category", null),
                                f.getString("type", null),
                                f.getString("streamId", null));
        if (existing != null && !existing.filter().equals(filter)) {
            return problem(409, "group-filter-changed", "group " + name + " has another filter");
        }
        GroupStatus group =
                new GroupStatus(
                        name,
                        filter,
                        DeliveryStrategy.of(body.getString("strategy", "round-robin")),
                        body.getInt("maxRetries", 10),
                        body.getInt("ackTimeoutSeconds", 30),
                        body.getInt("maxInFlight", 1000),
                        existing == null ? 0 : existing.checkpoint(),
                        nextPosition - 1,
                        existing == null ? nextPosition - 1 : existing.lag(),
                        0,
                        parked.getOrDefault(name, List.of()).size(),
                        List.of(new ConsumerStatus("c-1", 0, AT)),
                        AT);
        groups.put(name, group);
        String[] reply = ok(GroupsCommand.json(group).toString());
        reply[0] = existing == null ? "201" : "200";
        return reply;
    }

    private GroupStatus withPosition(GroupStatus g, long checkpoint) {
        long head = nextPosition - 1;
        return new GroupStatus(
                g.group(),
                g.filter(),
                g.strategy(),
                g.maxRetries(),
                g.ackTimeoutSeconds(),
                g.maxInFlight(),
                checkpoint,
                head,
                Math.max(0, head - checkpoint),
                0,
                g.parked(),
                g.consumers(),
                g.createdAt());
    }

    /** Parks the event of {@code stream} at {@code version} in {@code group}. */
    synchronized void park(String group, String stream, long version) {
        parked.computeIfAbsent(group, g -> new ArrayList<>())
                .add(new ParkedEvent(at(stream, version), 11, AT, "max-retries"));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(
                        kv[0],
                        URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static String[] ok(String json) {
        return new String[] {"200", "application/json", json};
    }

    /** A problem+json answer; {@code members}: extension members, name, value, name, value… */
    private static String[] problem(int status, String kind, String detail, String... members) {
        var json =
                Json.createObjectBuilder()
                        .add("type", "urn:arbor:problem:" + kind)
                        .add("title", kind)
                        .add("status", status)
                        .add("detail", detail);
        for (int i = 0; i + 1 < members.length; i += 2) {
            json.add(members[i], members[i + 1]);
        }
        return new String[] {
            Integer.toString(status), "application/problem+json", json.build().toString()
        };
    }

    private synchronized String globalLog(Map<String, String> query) {
        long after = Long.parseLong(query.getOrDefault("after", "0"));
        int limit = Integer.parseInt(query.getOrDefault("limit", "100"));
        String category = query.get("category");
        String type = query.get("type");
        List<RecordedEvent> page =
                log.stream()
                        .filter(e -> e.globalPosition() > after)
                        .filter(e -> category == null || e.category().equals(category))
                        .filter(e -> type == null || e.type().equals(type))
                        .sorted(Comparator.comparingLong(RecordedEvent::globalPosition))
                        .limit(limit)
                        .toList();
        served += page.size();
        return Json.createObjectBuilder()
                .add("events", array(page))
                .add(
                        "lastPosition",
                        page.isEmpty() ? after : page.get(page.size() - 1).globalPosition())
                .build()
                .toString();
    }

    private synchronized String listing(Map<String, String> query) {
        int limit = Integer.parseInt(query.getOrDefault("limit", "100"));
        String after = query.get("after");
        String category = query.get("category");
        JsonArrayBuilder streams = Json.createArrayBuilder();
        String last = null;
        int n = 0;
        for (Map.Entry<String, Long> row : versions.entrySet()) {
            String id = row.getKey();
            if ((after != null && id.compareTo(after) <= 0)
                    || (category != null && !ArborClient.categoryOf(id).equals(category))) {
                continue;
            }
            if (n++ == limit) {
                break;
            }
            streams.add(
                    Json.createObjectBuilder()
                            .add("streamId", id)
                            .add("category", ArborClient.categoryOf(id))
                            .add("version", row.getValue())
                            .add("createdAt", AT.toString())
                            .add("updatedAt", AT.toString()));
            last = id;
        }
        var json = Json.createObjectBuilder().add("streams", streams);
        return (n > limit ? json.add("next", last) : json.addNull("next")).build().toString();
    }

    private synchronized String[] read(String stream, Map<String, String> query) {
        Long head = versions.get(stream);
        if (head == null) {
            return problem(404, "stream-not-found", "no stream " + stream);
        }
        long from = Long.parseLong(query.getOrDefault("from", "1"));
        int limit = Integer.parseInt(query.getOrDefault("limit", "100"));
        long to = Math.min(head, from + limit - 1);
        List<RecordedEvent> page =
                log.stream()
                        .filter(e -> e.streamId().equals(stream))
                        .filter(e -> e.version() >= from && e.version() <= to)
                        .sorted(Comparator.comparingLong(RecordedEvent::version))
                        .toList();
        var json =
                Json.createObjectBuilder()
                        .add("streamId", stream)
                        .add("version", head)
                        .add("events", array(page));
        return ok((to < head ? json.add("next", to + 1) : json.addNull("next")).build().toString());
    }

    private synchronized String[] append(String stream, byte[] body) {
        JsonObject request = ArborClient.parseObject(new String(body, StandardCharsets.UTF_8));
        long expected = request.getJsonNumber("expectedVersion").longValue();
        long version = versions.getOrDefault(stream, 0L);
        List<JsonObject> events =
                request.getJsonArray("events").stream().map(JsonValue::asJsonObject).toList();
        List<RecordedEvent> stored = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            UUID id = UUID.fromString(events.get(i).getString("eventId"));
            long v = expected + 1 + i;
            log.stream()
                    .filter(e -> e.eventId().equals(id) && e.streamId().equals(stream))
                    .filter(e -> e.version() == v)
                    .findFirst()
                    .ifPresent(stored::add);
        }
        if (stored.size() == events.size()) { // an idempotent retry
            return result(200, stream, stored);
        }
        if (expected != version) {
            String[] conflict =
                    problem(
                            409,
                            "wrong-expected-version",
                            "stream " + stream + " is at " + version);
            conflict[2] =
                    conflict[2].replace(
                            "}",
                            ",\"expectedVersion\":"
                                    + expected
                                    + ",\"actualVersion\":"
                                    + version
                                    + "}");
            return conflict;
        }
        List<RecordedEvent> written = new ArrayList<>();
        for (JsonObject e : events) {
            RecordedEvent event =
                    chained(
                            UUID.fromString(e.getString("eventId")),
                            stream,
                            ++version,
                            nextPosition++,
                            e.getString("type"),
                            e.getJsonObject("data"));
            log.add(event);
            written.add(event);
        }
        versions.put(stream, version);
        return result(201, stream, written);
    }

    private static String[] result(int status, String stream, List<RecordedEvent> events) {
        RecordedEvent first = events.get(0);
        RecordedEvent last = events.get(events.size() - 1);
        return new String[] {
            Integer.toString(status),
            "application/json",
            Json.createObjectBuilder()
                    .add("streamId", stream)
                    .add("fromVersion", first.version())
                    .add("toVersion", last.version())
                    .add("fromPosition", first.globalPosition())
                    .add("toPosition", last.globalPosition())
                    .build()
                    .toString()
        };
    }

    private static JsonArrayBuilder array(List<RecordedEvent> events) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        events.forEach(e -> array.add(ArborClient.toJson(e)));
        return array;
    }
}
