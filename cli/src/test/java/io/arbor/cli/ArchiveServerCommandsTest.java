package io.arbor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code arbor archive list | run | restore} against a local server that records each request and
 * gives the answers queued for it: what they send and print, and their exit codes.
 */
class ArchiveServerCommandsTest {
    private static final String JOB_ID = "6f1c2a4e-9a3b-4c1d-8e2f-0123456789ab";

    private final List<String> requests = new ArrayList<>();
    private final Deque<String[]> answers = new ArrayDeque<>();
    private final HttpServer server;

    ArchiveServerCommandsTest() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    String body =
                            new String(
                                    exchange.getRequestBody().readAllBytes(),
                                    StandardCharsets.UTF_8);
                    String[] answer;
                    synchronized (requests) {
                        requests.add(
                                exchange.getRequestMethod()
                                        + " "
                                        + exchange.getRequestURI()
                                        + (body.isEmpty() ? "" : " " + body));
                        answer = answers.size() > 1 ? answers.poll() : answers.peek();
                    }
                    byte[] bytes = answer[1].getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders()
                            .set(
                                    "Content-Type",
                                    answer[0].startsWith("4")
                                            ? "application/problem+json"
                                            : "application/json");
                    exchange.sendResponseHeaders(Integer.parseInt(answer[0]), bytes.length);
                    exchange.getResponseBody().write(bytes);
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

    private void answer(int status, String json) {
        answers.add(new String[] {String.valueOf(status), json});
    }

    private static String job(
            String kind, String state, Long position, int archived, String failure) {
        return "{\"jobId\":\""
                + JOB_ID
                + "\",\"kind\":\""
                + kind
                + "\",\"state\":\""
                + state
                + "\",\"position\":"
                + position
                + ",\"requestedAt\":\"2026-12-10T10:00:00Z\",\"finishedAt\":"
                + (state.equals("running") ? "null" : "\"2026-12-10T10:00:05Z\"")
                + ",\"archived\":"
                + archived
                + ",\"detached\":"
                + archived
                + ",\"restored\":0,\"skipped\":1,\"events\":42,\"failure\":"
                + (failure == null ? "null" : "\"" + failure + "\"")
                + "}";
    }

    @Test
    void listShowsEveryRangeAndItsState() {
        answer(
                200,
                "{\"configured\":true,\"dir\":\"/srv/archive\",\"graceSeconds\":60,\"ranges\":["
                        + "{\"from\":0,\"to\":100,\"state\":\"detached\",\"stateChangedAt\":"
                        + "\"2026-12-10T10:00:00Z\",\"events\":42,\"bytes\":4096,\"sha256\":\""
                        + "a".repeat(64)
                        + "\",\"maxRecordedAt\":\"2026-01-01T00:00:00Z\"},"
                        + "{\"from\":100,\"to\":200,\"state\":\"attached\",\"stateChangedAt\":"
                        + "\"2026-12-09T10:00:00Z\",\"events\":null,\"bytes\":null,\"sha256\":null,"
                        + "\"maxRecordedAt\":null}]}");
        CliRun listed = run("archive", "list");
        assertEquals(0, listed.status(), listed.toString());
        assertEquals(List.of("GET /arbor/api/admin/archive"), requests);
        assertTrue(listed.out().contains("archive directory /srv/archive"), listed.out());
        assertTrue(listed.out().matches("(?s).*0\\s+100\\s+detached.*4096.*"), listed.out());
        assertTrue(listed.out().matches("(?s).*100\\s+200\\s+attached.*"), listed.out());

        CliRun json = run("archive", "list", "--json");
        assertEquals(0, json.status(), json.toString());
        assertEquals(
                "detached",
                json.json().get(0).getJsonArray("ranges").getJsonObject(0).getString("state"));
        assertTrue(json.json().get(0).getJsonArray("ranges").getJsonObject(1).isNull("sha256"));
    }

    @Test
    void runSendsBelowPositionAndWaitFollowsTheJobToItsEnd() {
        answer(202, job("archive", "running", 5000L, 0, null));
        answer(200, job("archive", "running", 5000L, 0, null));
        answer(200, job("archive", "done", 5000L, 2, null));
        CliRun ran = run("archive", "run", "--below-position", "5000", "--wait");
        assertEquals(0, ran.status(), ran.toString());
        assertEquals("POST /arbor/api/admin/archive {\"belowPosition\":5000}", requests.get(0));
        assertEquals("GET /arbor/api/admin/archive/" + JOB_ID, requests.get(requests.size() - 1));
        assertTrue(
                ran.out().contains("archive job " + JOB_ID + " done: 2 archived, 2 detached"),
                ran.out());
    }

    @Test
    void runWithoutAPositionSendsNoBodyAndAFailedJobExits1() {
        answer(202, job("archive", "failed", null, 0, "disk full"));
        CliRun ran = run("archive", "run");
        assertEquals(1, ran.status(), ran.toString());
        assertEquals(List.of("POST /arbor/api/admin/archive"), requests);
        assertTrue(ran.out().contains("(disk full)"), ran.out());
    }

    @Test
    void restoreSendsFromAndANegativePositionIsBadUsageBeforeAnyRequest() {
        answer(202, job("restore", "running", 100L, 0, null));
        CliRun restored = run("archive", "restore", "--from", "100", "--json");
        assertEquals(0, restored.status(), restored.toString());
        assertEquals(List.of("POST /arbor/api/admin/archive/restore {\"from\":100}"), requests);
        assertEquals("restore", restored.json().get(0).getString("kind"));
        assertEquals(100, restored.json().get(0).getJsonNumber("position").longValue());

        requests.clear();
        assertEquals(2, run("archive", "restore", "--from", "-1").status());
        assertEquals(2, run("archive", "run", "--below-position", "-5").status());
        assertEquals(List.of(), requests);
    }

    @Test
    void anArchiveThatIsNotConfiguredIsAProblemExit() {
        answer(
                409,
                "{\"type\":\"urn:arbor:problem:archive-not-configured\",\"title\":\"The archive is"
                        + " not configured\",\"status\":409,\"detail\":\"set arbor.archive.dir\"}");
        CliRun refused = run("archive", "run", "--below-position", "10");
        assertEquals(3, refused.status(), refused.toString());
        assertTrue(refused.err().contains("arbor.archive.dir"), refused.err());
    }
}
