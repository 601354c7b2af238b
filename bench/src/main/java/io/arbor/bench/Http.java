package io.arbor.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The load generator's whole HTTP layer: HTTP/1.1 over java.net.http, bodies prepared by the caller
 * as bytes, answers kept as text only where a scenario needs a number from them. No JSON mapping on
 * either side, so the figures measure the server, not this program. (The typed client for
 * applications is the client/ module; this is deliberately not one.)
 */
final class Http {
    /** An answer: its status and, when asked for, its body. */
    record Reply(int status, String body) {
        /** The integer after {@code "name":} in the body, or -1. */
        long number(String name) {
            String key = "\"" + name + "\":";
            int at = body.lastIndexOf(key);
            if (at < 0) {
                return -1;
            }
            int i = at + key.length();
            while (i < body.length() && body.charAt(i) == ' ') {
                i++;
            }
            long value = 0;
            boolean any = false;
            for (; i < body.length() && Character.isDigit(body.charAt(i)); i++) {
                value = value * 10 + (body.charAt(i) - '0');
                any = true;
            }
            return any ? value : -1;
        }

        /** How often {@code needle} occurs in the body. */
        int count(String needle) {
            int n = 0;
            for (int at = body.indexOf(needle); at >= 0; at = body.indexOf(needle, at + 1)) {
                n++;
            }
            return n;
        }
    }

    private final HttpClient client;
    private final String api;

    Http(String base) {
        this.client =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build();
        this.api = base + "/arbor/api";
    }

    Reply post(String path, byte[] json) throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(URI.create(api + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(json)),
                true);
    }

    Reply put(String path, byte[] json) throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(URI.create(api + path))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(json)),
                true);
    }

    /**
     * A GET; {@code bypassCache} sends {@code Cache-Control: no-cache}, which makes Arbor read the
     * database only. {@code keepBody} false discards the body (only the status is kept).
     */
    Reply get(String path, boolean bypassCache, boolean keepBody)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).GET();
        if (bypassCache) {
            request.header("Cache-Control", "no-cache");
        }
        return send(request, keepBody);
    }

    /** A GET of a server path outside the API (health, metrics). */
    Reply getServer(String base, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), true);
    }

    private Reply send(HttpRequest.Builder request, boolean keepBody)
            throws IOException, InterruptedException {
        request.timeout(Duration.ofSeconds(60));
        if (keepBody) {
            HttpResponse<String> response =
                    client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        }
        HttpResponse<Void> response =
                client.send(request.build(), HttpResponse.BodyHandlers.discarding());
        return new Reply(response.statusCode(), "");
    }
}
