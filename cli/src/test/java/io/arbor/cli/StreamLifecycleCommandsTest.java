package io.arbor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code arbor stream metadata} and {@code arbor stream delete} against a local server that records
 * each request and answers as told: what they send and print, and their exit codes.
 */
class StreamLifecycleCommandsTest {
    private static final String STORED =
            "{\"maxAge\":null,\"maxCount\":5,\"truncateBefore\":null,\"custom\":{\"owner\":\"ops\"}}";

    private final List<String> requests = new ArrayList<>();
    private int status = 200;
    private String contentType = "application/json";
    private String answer = STORED;
    private final HttpServer server;

    StreamLifecycleCommandsTest() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    String body =
                            new String(
                                    exchange.getRequestBody().readAllBytes(),
                                    StandardCharsets.UTF_8);
                    synchronized (requests) {
                        requests.add(
                                exchange.getRequestMethod()
                                        + " "
                                        + exchange.getRequestURI()
                                        + (body.isEmpty() ? "" : " " + body));
                    }
                    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", contentType);
                    if (status == 204) {
                        exchange.sendResponseHeaders(204, -1);
                    } else {
                        exchange.sendResponseHeaders(status, bytes.length);
                        exchange.getResponseBody().write(bytes);
                    }
                    exchange.close();
                });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--url");
        all.add("http://127.0.0.1:" + server.getAddress().getPort());
        return CliRun.run(all.toArray(String[]::new));
    }

    @Test
    void metadataWithoutOptionsShowsIt() {
        CliRun shown = run("stream", "metadata", "orders-1", "--json");
        assertEquals(0, shown.status(), shown.toString());
        assertEquals(List.of("GET /arbor/api/streams/orders-1/metadata"), requests);
        assertEquals(5, shown.json().get(0).getInt("maxCount"));
        assertTrue(shown.json().get(0).isNull("maxAge"));
        assertEquals("ops", shown.json().get(0).getJsonObject("custom").getString("owner"));
    }

    @Test
    void metadataWithOptionsReplacesTheWholeMetadata() {
        CliRun set =
                run(
                        "stream",
                        "metadata",
                        "orders-1",
                        "--max-count",
                        "5",
                        "--custom",
                        "{\"owner\":\"ops\"}");
        assertEquals(0, set.status(), set.toString());
        assertEquals(
                List.of(
                        "PUT /arbor/api/streams/orders-1/metadata"
                                + " {\"maxCount\":5,\"custom\":{\"owner\":\"ops\"}}"),
                requests);
        assertTrue(set.out().contains("max count        5"), set.out());
    }

    @Test
    void customThatIsNotAJsonObjectIsBadUsageBeforeAnyRequest() {
        CliRun bad = run("stream", "metadata", "orders-1", "--custom", "[1]");
        assertEquals(2, bad.status(), bad.toString());
        assertEquals(List.of(), requests);
    }

    @Test
    void deleteIsSoftUnlessHard() {
        status = 204;
        answer = "";
        assertEquals(0, run("stream", "delete", "orders-1").status());
        assertEquals(0, run("stream", "delete", "orders-2", "--hard").status());
        assertEquals(
                List.of(
                        "DELETE /arbor/api/streams/orders-1",
                        "DELETE /arbor/api/streams/orders-2?mode=hard"),
                requests);
    }

    @Test
    void aTombstoneIsAProblemExit() {
        status = 410;
        contentType = "application/problem+json";
        answer =
                "{\"type\":\"urn:arbor:problem:stream-deleted\",\"title\":\"The stream was"
                        + " deleted\",\"status\":410,\"detail\":\"Stream orders-1 was deleted\"}";
        CliRun gone = run("stream", "delete", "orders-1");
        assertEquals(3, gone.status(), gone.toString());
        assertTrue(gone.err().contains("deleted"), gone.err());
    }
}
