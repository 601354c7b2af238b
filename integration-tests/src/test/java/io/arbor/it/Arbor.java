package io.arbor.it;

import io.arbor.client.ArborClient;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A thin HTTP client for the test suite: raw requests, and the few calls most tests need. Every
 * answer is validated against the served OpenAPI document ({@link OpenApiContract}). Every request
 * carries a bearer token: the suite's admin token ({@link Tokens#admin}) unless the client was made
 * with another, or with none, or the request sets {@code Authorization} itself.
 */
public final class Arbor {
    public static final String HOST =
            "http://localhost:" + System.getProperty("arbor.http.port", "20080");
    public static final String API = HOST + "/arbor/api";

    private static final HttpClient HTTP =
            HttpClient.newBuilder()
                    // HTTP/1.1, as most clients speak it. The default would try an h2c upgrade on
                    // every new connection, and Payara's Grizzly has stalled reading h2c request
                    // bodies under load.
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    private final String token;

    /** A client that sends the suite's admin token. */
    public Arbor() {
        this(Tokens.admin());
    }

    /** A client that sends {@code token}; null: no {@code Authorization} header at all. */
    public Arbor(String token) {
        this.token = token;
    }

    /** This client's own headers (its token), for requests made another way (SSE). */
    public String[] ownHeaders() {
        return token == null ? new String[0] : new String[] {"Authorization", "Bearer " + token};
    }

    /**
     * Adds {@code headers} (name, value, …) to {@code request}, and {@code token} as its bearer
     * token unless the headers carry their own {@code Authorization} (with two, the server reads
     * the first) or {@code token} is null.
     */
    static void addHeaders(HttpRequest.Builder request, List<String> headers, String token) {
        boolean authorized = false;
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            request.header(headers.get(i), headers.get(i + 1));
            authorized |= headers.get(i).equalsIgnoreCase("Authorization");
        }
        if (token != null && !authorized) {
            request.header("Authorization", "Bearer " + token);
        }
    }

    public Reply send(String method, String path, String contentType, byte[] body) {
        return send(method, path, contentType, body, List.of());
    }

    /** A request with extra headers, given as name, value, name, value… */
    public Reply send(
            String method, String path, String contentType, byte[] body, List<String> headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : API + path))
                        .timeout(Duration.ofSeconds(60));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        addHeaders(request, headers, token);
        request.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpRequest built = request.build();
            HttpResponse<String> response =
                    HTTP.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            // Every answer is checked against the served /openapi (issue 13): a status, content
            // type or body the document does not describe fails the test that received it.
            OpenApiContract.served()
                    .check(
                            method,
                            built.uri(),
                            response.statusCode(),
                            response.headers().map(),
                            response.body());
            return new Reply(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null),
                    response.body(),
                    response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The Java client on this server, each of its answers validated against {@code /openapi} like
     * those of {@link #send}.
     */
    public static ArborClient client() {
        return ArborClient.builder(URI.create(HOST))
                .token(Tokens.admin())
                .observer(
                        (request, response) ->
                                OpenApiContract.served()
                                        .check(
                                                request.method(),
                                                request.uri(),
                                                response.statusCode(),
                                                response.headers().map(),
                                                response.body()))
                .build();
    }

    public Reply get(String path) {
        return send("GET", path, null, null);
    }

    public Reply post(String path, String json) {
        return send("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    public Reply put(String path, String json) {
        return send("PUT", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends events of the given types with fresh ids; {@code expected} is JSON ("any", 3, …). */
    public Reply append(String stream, String expected, String... types) {
        StringBuilder events = new StringBuilder();
        for (String type : types) {
            if (events.length() > 0) {
                events.append(',');
            }
            events.append(event(UUID.randomUUID(), type, "{\"n\":" + events.length() + "}"));
        }
        return post(
                "/streams/" + stream + "/events",
                "{\"expectedVersion\":" + expected + ",\"events\":[" + events + "]}");
    }

    public static String event(UUID id, String type, String data) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"" + type + "\",\"data\":" + data + "}";
    }

    /** A stream id no other test uses: {@code category-uuid}. */
    public static String newStream(String category) {
        return category + "-" + UUID.randomUUID();
    }

    /** A category no other test uses. */
    public static String newCategory() {
        return "c" + UUID.randomUUID().toString().replace("-", "");
    }

    /** The global log's page of 50 after {@code after}. */
    public JsonObject logPage(long after) {
        return get("/events?limit=50&after=" + after).json();
    }

    /** Follows the global log from {@code after} to its current end; every event seen. */
    public List<JsonObject> readAllAfter(long after, String filter) {
        List<JsonObject> seen = new ArrayList<>();
        long position = after;
        while (true) {
            JsonObject page =
                    get("/events?limit=1000&after="
                                    + position
                                    + (filter == null ? "" : "&" + filter))
                            .json();
            JsonArray events = page.getJsonArray("events");
            for (JsonValue event : events) {
                seen.add(event.asJsonObject());
            }
            position = page.getJsonNumber("lastPosition").longValue();
            if (events.isEmpty()) {
                return seen;
            }
        }
    }

    /** The global log's current end, found by reading it. */
    public long lastPosition(long from) {
        long position = from;
        while (true) {
            JsonObject page = get("/events?limit=1000&after=" + position).json();
            if (page.getJsonArray("events").isEmpty()) {
                return position;
            }
            position = page.getJsonNumber("lastPosition").longValue();
        }
    }
}
