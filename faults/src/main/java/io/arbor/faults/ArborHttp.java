package io.arbor.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The suite's raw HTTP layer: one request, one answer, never a retry, so the history records
 * exactly what the server said. HTTP/1.1 over loopback.
 */
public final class ArborHttp {
    /** What came back: a status and body, or {@code status == -1} and the exception. */
    public record Answer(int status, String body, String retryAfter) {
        static Answer failed(Exception e) {
            return new Answer(
                    Attempt.UNKNOWN,
                    "unknown: " + e.getClass().getName() + ": " + e.getMessage(),
                    null);
        }

        public boolean ok() {
            return status == 200 || status == 201;
        }
    }

    private final HttpClient client;
    private final URI api;
    private final URI server;
    private final Duration requestTimeout;

    public ArborHttp(URI server, Duration requestTimeout) {
        this.server = server;
        this.api = server.resolve("/arbor/api/");
        this.requestTimeout = requestTimeout;
        this.client =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(3))
                        .build();
    }

    public Answer post(String path, String json) {
        return send(
                HttpRequest.newBuilder(api.resolve(path))
                        .timeout(requestTimeout)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                        .build());
    }

    /** A read; {@code bypassCache} sends {@code Cache-Control: no-cache} (read from PostgreSQL). */
    public Answer get(String pathAndQuery, boolean bypassCache) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(api.resolve(pathAndQuery)).timeout(requestTimeout).GET();
        if (bypassCache) {
            b.header("Cache-Control", "no-cache");
        }
        return send(b.build());
    }

    /** GET on the server root (health endpoints). */
    public Answer getServer(String path) {
        return send(
                HttpRequest.newBuilder(server.resolve(path))
                        .timeout(Duration.ofSeconds(5))
                        .GET()
                        .build());
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> r =
                    client.send(
                            request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(
                    r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null));
        } catch (IOException e) {
            return Answer.failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.failed(e);
        }
    }
}
