package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The consumer group API (docs/consumer-groups.md) over raw HTTP, for the server tests: every
 * answer goes through {@link Arbor#send}, so it is checked against {@code /openapi}. The Java
 * client's group calls are not used here, so that a fault of the client cannot hide one of the
 * server, or the other way round.
 */
final class Groups {
    private final Arbor arbor;
    private final String api;

    /** The groups of the test domain's server. */
    Groups(Arbor arbor) {
        this(arbor, Arbor.API);
    }

    /** The groups as served by {@code api}, e.g. one grid instance's {@code …/arbor/api}. */
    Groups(Arbor arbor, String api) {
        this.arbor = arbor;
        this.api = api;
    }

    /** A group name no other test uses. */
    static String newGroup() {
        return "g-" + UUID.randomUUID();
    }

    String path(String group) {
        return api + "/subscriptions/" + group;
    }

    Reply put(String group, String body) {
        return arbor.put(path(group), body);
    }

    /** Creates the group; its GROUP. */
    JsonObject create(String group, String body) {
        Reply created = put(group, body);
        assertEquals(201, created.status(), created::toString);
        return created.json();
    }

    Reply get(String group) {
        return arbor.get(path(group));
    }

    JsonObject status(String group) {
        Reply status = get(group);
        assertEquals(200, status.status(), status::toString);
        return status.json();
    }

    long checkpoint(String group) {
        return status(group).getJsonNumber("checkpoint").longValue();
    }

    Reply list() {
        return arbor.get(api + "/subscriptions");
    }

    Reply delete(String group) {
        return arbor.send("DELETE", path(group), null, null);
    }

    Reply fetchReply(String group, String consumer, int max, int waitSeconds) {
        return arbor.post(path(group) + "/fetch", fetchBody(consumer, max, waitSeconds));
    }

    /** The events leased to {@code consumer}, each with its {@code deliveryAttempt}. */
    List<JsonObject> fetch(String group, String consumer, int max, int waitSeconds) {
        Reply fetched = fetchReply(group, consumer, max, waitSeconds);
        assertEquals(200, fetched.status(), fetched::toString);
        return fetched.json().getJsonArray("events").stream().map(JsonValue::asJsonObject).toList();
    }

    Reply ack(String group, String consumer, Collection<String> eventIds) {
        return arbor.post(
                path(group) + "/ack",
                "{\"consumer\":" + quote(consumer) + ",\"eventIds\":" + ids(eventIds) + "}");
    }

    Reply nack(String group, String consumer, Collection<String> eventIds, String action) {
        return arbor.post(
                path(group) + "/nack",
                "{\"consumer\":"
                        + quote(consumer)
                        + ",\"eventIds\":"
                        + ids(eventIds)
                        + ",\"action\":\""
                        + action
                        + "\"}");
    }

    /** {@code to} is JSON: {@code "\"end\""}, {@code "17"}, … */
    Reply reset(String group, String to) {
        return arbor.post(path(group) + "/reset", "{\"to\":" + to + "}");
    }

    Reply parked(String group, String query) {
        return arbor.get(path(group) + "/parked" + (query.isEmpty() ? "" : "?" + query));
    }

    Reply replayParked(String group) {
        return arbor.send("POST", path(group) + "/parked/replay", null, null);
    }

    /**
     * A consumer that crashes with its answer in flight: sends a fetch, waits for the first bytes
     * of the answer (so the server has leased whatever it leased) and drops the connection without
     * reading the events. The answer is never read, so it is not checked against /openapi.
     */
    void fetchAndDropConnection(String group, String consumer, int max) {
        URI uri = URI.create(path(group) + "/fetch");
        byte[] body = fetchBody(consumer, max, 0).getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(
                    ("POST "
                                    + uri.getRawPath()
                                    + " HTTP/1.1\r\nHost: "
                                    + uri.getHost()
                                    + "\r\n"
                                    + Tokens.authorizationLine()
                                    + "Content-Type: application/json\r\nContent-Length: "
                                    + body.length
                                    + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            if (in.read() < 0) {
                throw new IllegalStateException("no answer to the dropped fetch");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String fetchBody(String consumer, int max, int waitSeconds) {
        return "{\"consumer\":"
                + quote(consumer)
                + ",\"max\":"
                + max
                + ",\"waitSeconds\":"
                + waitSeconds
                + "}";
    }

    static String ids(Collection<String> eventIds) {
        return eventIds.stream().map(Groups::quote).collect(Collectors.joining(",", "[", "]"));
    }

    /** A JSON string of names the tests choose (no quote, backslash or control character). */
    static String quote(String text) {
        return "\"" + text + "\"";
    }
}
