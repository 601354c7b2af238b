package io.arbor.bench;

import io.arbor.bench.Http.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's consumer-group calls ({@code /subscriptions/{group}}, docs/consumer-groups.md),
 * all in one place, over the same plain-socket {@link Http} as every other scenario: bodies written
 * as text, answers read only for the event ids and numbers a scenario needs. (The Java client's
 * group calls are not used, so that the figures measure the server, as everywhere in bench/.)
 */
final class Groups {
    private final Http http;

    Groups(Http http) {
        this.http = http;
    }

    /**
     * Creates {@code group} over the whole log ({@code category} null) or one category, starting
     * after {@code startFrom} ({@code "beginning"}, {@code "end"} or a position), round-robin.
     */
    void create(String group, String category, String startFrom, int ackTimeoutSeconds)
            throws IOException {
        String filter = category == null ? "" : "\"filter\":{\"category\":\"" + category + "\"},";
        String start = startFrom.matches("[0-9]+") ? startFrom : "\"" + startFrom + "\"";
        Reply reply =
                http.put(
                        "/subscriptions/" + group,
                        ("{"
                                        + filter
                                        + "\"startFrom\":"
                                        + start
                                        + ",\"strategy\":\"round-robin\",\"ackTimeoutSeconds\":"
                                        + ackTimeoutSeconds
                                        + "}")
                                .getBytes(StandardCharsets.UTF_8));
        expect(reply, 201, "creating group " + group);
    }

    /** Leases up to {@code max} events to {@code consumer} (no waiting) and returns their ids. */
    List<String> fetch(String group, String consumer, int max) throws IOException {
        Reply reply =
                http.post(
                        "/subscriptions/" + group + "/fetch",
                        ("{\"consumer\":\""
                                        + consumer
                                        + "\",\"max\":"
                                        + max
                                        + ",\"waitSeconds\":0}")
                                .getBytes(StandardCharsets.UTF_8));
        expect(reply, 200, "fetch of " + group);
        return strings(reply.body(), "eventId");
    }

    /** Acknowledges {@code eventIds}, leased to {@code consumer}; returns how many were acked. */
    long ack(String group, String consumer, List<String> eventIds) throws IOException {
        StringBuilder body = new StringBuilder(64 + eventIds.size() * 40);
        body.append("{\"consumer\":\"").append(consumer).append("\",\"eventIds\":[");
        for (int i = 0; i < eventIds.size(); i++) {
            body.append(i == 0 ? "\"" : ",\"").append(eventIds.get(i)).append('"');
        }
        Reply reply =
                http.post(
                        "/subscriptions/" + group + "/ack",
                        body.append("]}").toString().getBytes(StandardCharsets.UTF_8));
        expect(reply, 200, "ack to " + group);
        return reply.number("acked");
    }

    /** Moves the group back to {@code to} ({@code "beginning"}, {@code "end"} or a position). */
    void reset(String group, String to) throws IOException {
        String target = to.matches("[0-9]+") ? to : "\"" + to + "\"";
        Reply reply =
                http.post(
                        "/subscriptions/" + group + "/reset",
                        ("{\"to\":" + target + "}").getBytes(StandardCharsets.UTF_8));
        expect(reply, 200, "reset of " + group);
    }

    /** The group's status: its lag, in flight and parked counts. */
    Status status(String group) throws IOException {
        Reply reply = http.get("/subscriptions/" + group, false, true);
        expect(reply, 200, "status of " + group);
        // The group's own members come before its consumers' (each has an "inFlight" too).
        String body = reply.body();
        int consumers = body.indexOf("\"consumers\":");
        Reply own = new Reply(200, consumers < 0 ? body : body.substring(0, consumers));
        return new Status(
                own.number("lag"),
                own.number("inFlight"),
                own.number("parked"),
                own.number("checkpoint"));
    }

    void delete(String group) throws IOException {
        Reply reply = http.delete("/subscriptions/" + group);
        expect(reply, 204, "deleting group " + group);
    }

    /** A group's numbers from {@code GET /subscriptions/{group}}. */
    record Status(long lag, long inFlight, long parked, long checkpoint) {}

    /** The values of every string member {@code name} in {@code json}, in order. */
    static List<String> strings(String json, String name) {
        String key = "\"" + name + "\":\"";
        List<String> values = new ArrayList<>();
        for (int at = json.indexOf(key); at >= 0; at = json.indexOf(key, at + 1)) {
            int start = at + key.length();
            values.add(json.substring(start, json.indexOf('"', start)));
        }
        return values;
    }

    private static void expect(Reply reply, int status, String what) {
        if (reply.status() != status) {
            String body = reply.body();
            throw new IllegalStateException(
                    what
                            + " answered "
                            + reply.status()
                            + (body.isEmpty()
                                    ? ""
                                    : ": " + body.substring(0, Math.min(300, body.length()))));
        }
    }
}
