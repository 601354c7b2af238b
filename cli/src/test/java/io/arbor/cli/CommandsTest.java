package io.arbor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.arbor.client.RecordedEvent;
import io.arbor.spi.EventHash;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands against {@link FakeArbor}, an in-memory server on a local port: what verify, export,
 * import and tail print and decide. (Against the real server and database: CliIT and dr-drill.sh.)
 */
class CommandsTest {
    @TempDir Path dir;

    private final FakeArbor arbor = FakeArbor.open();

    @AfterEach
    void close() {
        arbor.close();
    }

    private CliRun run(String command, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = command;
        all[1] = "--url";
        all[2] = arbor.url().toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return CliRun.run(all);
    }

    private FakeArbor store() {
        return arbor.append("a-1", 3).append("b-1", 4).append("a-2", 1).append("a-1", 2);
    }

    private static List<String> anomalies(CliRun run) {
        return run.json().get(0).getJsonArray("anomalyList").stream()
                .map(v -> ((JsonString) v).getString())
                .toList();
    }

    // ------------------------------------------------------------------ verify

    @Test
    void streamsNamedWithDotsAreShownAndVerifiedNotMistakenForPathSegments() {
        // Issue 13: "streams/../events" resolved to the global log; verify died on it (exit 1).
        arbor.append(".", 2).append("..", 1).append("...", 1).append("a..b", 1);
        for (String id : List.of(".", "..", "...", "a..b")) {
            CliRun show =
                    CliRun.run("stream", "show", id, "--url", arbor.url().toString(), "--json");
            assertEquals(0, show.status(), show.toString());
            assertEquals(id, show.json().get(0).getString("streamId"));
            assertEquals(arbor.versions.get(id), show.json().get(0).getInt("version"));
        }
        CliRun verify = run("verify", "--no-db", "--json");
        assertEquals(0, verify.status(), verify.toString());
        assertEquals(5, verify.json().get(0).getInt("streamEvents"), verify.out());
        assertEquals(0, verify.json().get(0).getInt("anomalies"), verify.out());
    }

    @Test
    void anUnexpectedFailureIsOneLineAndItsOwnExitCodeNotAnAnomaly() {
        store();
        arbor.garbled = "{\"surprise\":true}";
        String url = arbor.url().toString();
        for (String[] command :
                List.of(
                        new String[] {"verify", "--url", url, "--no-db"},
                        new String[] {"stream", "show", "a-1", "--url", url})) {
            CliRun run = CliRun.run(command);
            assertEquals(ArborCli.UNEXPECTED, run.status(), run.toString());
            assertEquals(1, run.err().lines().count(), run.err());
            assertTrue(run.err().startsWith("arbor: unexpected failure: "), run.err());
            assertTrue(!run.err().contains("\tat "), run.err());
        }
    }

    @Test
    void verifyRefusesToRunWithoutADatabaseUnlessToldToCheckThroughTheApiOnly() {
        assumeTrue(System.getenv("ARBOR_DB_URL") == null, "ARBOR_DB_URL is set here");
        store();
        CliRun refused = run("verify");
        assertEquals(2, refused.status(), refused.toString());
        assertTrue(refused.err().contains("--db-url"), refused.err());
        assertTrue(refused.err().contains("--no-db"), refused.err());
        assertEquals(List.of(), arbor.requests, "refused before asking the server anything");

        CliRun both = run("verify", "--no-db", "--db-url", "jdbc:postgresql://127.0.0.1:9/x");
        assertEquals(2, both.status(), both.toString());
    }

    @Test
    void verifyWithoutTheDatabaseSaysSoInItsSummary() {
        store();
        CliRun text = run("verify", "--no-db");
        assertEquals(0, text.status(), text.toString());
        assertTrue(
                text.out().contains("database              " + VerifyCommand.NOT_COMPARED),
                text.out());
        assertTrue(text.out().contains("verify: OK (database not compared)"), text.out());

        CliRun json = run("verify", "--no-db", "--json");
        JsonObject summary = json.json().get(0);
        assertEquals(VerifyCommand.NOT_COMPARED, summary.getString("database"));
        assertEquals(10, summary.getInt("streamEvents"));
        assertEquals(10, summary.getInt("globalLogEvents"));
        assertEquals(0, summary.getInt("anomalies"));
    }

    @Test
    void verifyNamesAVersionGapAndAStreamThatTheGlobalLogReorders() {
        store();
        arbor.log.remove(arbor.at("a-1", 2)); // a deleted row: versions 1, 3, 4, 5
        RecordedEvent b2 = arbor.at("b-1", 2);
        RecordedEvent b3 = arbor.at("b-1", 3);
        arbor.replace(b2, FakeArbor.withPosition(b2, b3.globalPosition()));
        arbor.replace(b3, FakeArbor.withPosition(b3, b2.globalPosition()));

        CliRun corrupt = run("verify", "--no-db", "--json");
        assertEquals(1, corrupt.status(), corrupt.toString());
        assertEquals(
                List.of(
                        "stream a-1: version 3 where 2 was due (gap or disorder)",
                        "stream a-1 v3: hash chain broken: the event's hash "
                                + arbor.at("a-1", 3).hash()
                                + " is not "
                                + EventHash.toHex(
                                        arbor.at("a-1", 3)
                                                .computeHash(
                                                        EventHash.fromHex(
                                                                arbor.at("a-1", 1).hash())))
                                + ", the hash of its content after the previous version's"
                                + " (changed, removed or reordered events)",
                        "stream b-1 v3: at position "
                                + b2.globalPosition()
                                + ", not after the previous version's position "
                                + b3.globalPosition()
                                + " (the global log reorders the stream)"),
                anomalies(corrupt));
        assertEquals(3, corrupt.json().get(0).getInt("anomalies"));
        CliRun text = run("verify", "--no-db");
        assertTrue(text.out().contains("ANOMALY stream a-1: version 3 where 2"), text.out());
        assertTrue(text.out().contains("verify: FAILED (database not compared)"), text.out());
    }

    @Test
    void verifyChecksAScavengedStreamFromItsAnchorWithoutAnomalies() {
        store().scavenge("a-1", 3).scavenge("b-1", 5); // b-1: every event gone, head 4

        CliRun verify = run("verify", "--no-db", "--json");
        assertEquals(0, verify.status(), verify.toString());
        JsonObject summary = verify.json().get(0);
        assertEquals(2, summary.getInt("truncatedStreams"), verify.out());
        assertEquals(4, summary.getInt("streamEvents"), verify.out()); // a-1 v3..v5, a-2 v1
        assertEquals(0, summary.getInt("anomalies"), verify.out());
    }

    @Test
    void verifyNamesAChangedEventOfATruncatedStreamAndAPrefixGoneWithoutAnchor() {
        store().scavenge("a-1", 3);
        RecordedEvent changed = arbor.at("a-1", 4);
        arbor.replace(
                changed,
                FakeArbor.withData(changed, Json.createObjectBuilder().add("n", 99).build()));
        arbor.log.remove(arbor.at("b-1", 1)); // removed outside scavenging: no anchor

        CliRun corrupt = run("verify", "--no-db", "--json");
        assertEquals(1, corrupt.status(), corrupt.toString());
        List<String> anomalies = anomalies(corrupt);
        assertEquals(2, anomalies.size(), anomalies.toString());
        assertTrue(
                anomalies.get(0).startsWith("stream a-1 v4: hash chain broken"),
                anomalies.toString());
        assertEquals(
                "stream b-1: its first visible version is 2 but the hash of version 1 is unknown"
                        + " (null): versions before it are gone without a chain anchor",
                anomalies.get(1));
    }

    @Test
    void verifyNamesTheVersionWhoseContentNoLongerMatchesItsHash() {
        store();
        RecordedEvent changed = arbor.at("b-1", 2);
        arbor.replace(
                changed,
                FakeArbor.withData(changed, Json.createObjectBuilder().add("n", 2).build()));
        RecordedEvent c1 = arbor.at("a-1", 1);
        RecordedEvent c2 = arbor.at("a-1", 2);
        // Two versions' contents swapped: each row keeps its version and hash, not its data.
        arbor.replace(c1, FakeArbor.withData(c1, c2.data()));
        arbor.replace(c2, FakeArbor.withData(c2, c1.data()));

        CliRun corrupt = run("verify", "--no-db", "--json");
        assertEquals(1, corrupt.status(), corrupt.toString());
        List<String> anomalies = anomalies(corrupt);
        assertEquals(3, anomalies.size(), anomalies.toString());
        assertTrue(
                anomalies.get(0).startsWith("stream a-1 v1: hash chain broken"),
                anomalies.toString());
        assertTrue(
                anomalies.get(1).startsWith("stream a-1 v2: hash chain broken"),
                anomalies.toString());
        assertTrue(
                anomalies.get(2).startsWith("stream b-1 v2: hash chain broken"),
                anomalies.toString());
    }

    @Test
    void verifyNamesAnEventThatNoStreamHolds() {
        store();
        arbor.versions.put("b-1", 3L); // the stream row behind its events: v4 is unreadable
        CliRun corrupt = run("verify", "--no-db", "--json");
        assertEquals(1, corrupt.status(), corrupt.toString());
        RecordedEvent b4 = arbor.at("b-1", 4);
        assertEquals(
                List.of(
                        "global log: event "
                                + b4.eventId()
                                + " at position "
                                + b4.globalPosition()
                                + " belongs to no listed stream"),
                anomalies(corrupt));
    }

    @Test
    void verifyGivesUpAtOnceWhenTheDatabaseIsUnreachable() {
        store();
        CliRun run =
                run("verify", "--db-url", "jdbc:postgresql://127.0.0.1:9/arbor?connectTimeout=2");
        assertEquals(ArborCli.UNAVAILABLE, run.status(), run.toString());
        assertTrue(run.err().contains("cannot use the database"), run.err());
        assertEquals(List.of(), arbor.requests, "before walking the store");
    }

    // ----------------------------------------------------------- export/import

    @Test
    void exportAndImportPrintOneJsonObjectWithTheirCounts() throws Exception {
        store();
        Path file = dir.resolve("all.ndjson");
        CliRun export = run("export", "--out", file.toString(), "--json");
        assertEquals(0, export.status(), export.toString());
        JsonObject exported = export.json().get(0);
        assertEquals(10, exported.getInt("exported"));
        assertEquals(file.toString(), exported.getString("file"));
        assertEquals(0, exported.getInt("after"));
        assertEquals(10, exported.getInt("lastPosition"));
        assertEquals(1, export.out().lines().count(), "stdout holds the summary only");
        assertTrue(export.err().startsWith("export "), "progress on stderr: " + export.err());
        List<String> written = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(11, written.size(), "a header and the events");
        assertEquals(
                "{\"arborExport\":2,\"after\":0,\"lifecycle\":\"not exported (no database)\"}",
                written.get(0));
        assertEquals("not exported (no database)", exported.getString("lifecycle"));

        try (FakeArbor target = new FakeArbor()) {
            String[] args = {"import", "--url", target.url().toString(), file.toString(), "--json"};
            JsonObject first = CliRun.run(args).json().get(0);
            assertEquals(10, first.getInt("imported"));
            assertEquals(3, first.getInt("streams"));
            assertEquals(10, first.getInt("written"));
            assertEquals(0, first.getInt("alreadyPresent"));
            assertFalse(first.containsKey("refused"));
            CliRun again = CliRun.run(args);
            assertEquals(0, again.status(), again.toString());
            assertEquals(0, again.json().get(0).getInt("written"));
            assertEquals(10, again.json().get(0).getInt("alreadyPresent"));
        }
    }

    @Test
    void anExportCarriesTheHashesAndAnImportRefusesAChangedFileBeforeWritingAnything()
            throws Exception {
        store();
        Path file = dir.resolve("all.ndjson");
        assertEquals(0, run("export", "--out", file.toString()).status());
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertTrue(lines.get(1).contains("\"hash\":\"" + arbor.at("a-1", 1).hash() + "\""));
        // b-1 v2 exported with other data (its hash unchanged): a tampered file.
        RecordedEvent b2 = arbor.at("b-1", 2);
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(b2.eventId().toString())) {
                at = i;
            }
        }
        lines.set(at, lines.get(at).replace("{\"n\":1}", "{\"n\":7}"));
        Files.write(file, lines, StandardCharsets.UTF_8);

        try (FakeArbor target = new FakeArbor()) {
            CliRun refused =
                    CliRun.run("import", "--url", target.url().toString(), file.toString());
            assertEquals(1, refused.status(), refused.toString());
            assertTrue(
                    refused.err()
                            .contains(
                                    "line "
                                            + (at + 1)
                                            + ": stream b-1 v2: its hash "
                                            + b2.hash()
                                            + " is not the hash of its content"),
                    refused.err());
            assertEquals(0, target.log.size(), "nothing written");
        }
    }

    @Test
    void importStillReadsAFormatOneFileWithoutHeader() throws Exception {
        store();
        Path file = dir.resolve("v1.ndjson");
        assertEquals(0, run("export", "--out", file.toString()).status());
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Files.write(file, lines.subList(1, lines.size()), StandardCharsets.UTF_8);
        try (FakeArbor target = new FakeArbor()) {
            CliRun imported =
                    CliRun.run("import", "--url", target.url().toString(), file.toString());
            assertEquals(0, imported.status(), imported.toString());
            assertEquals(10, target.log.size());
        }
    }

    /** A format-2 file of {@code a-1} truncated before version 3 (v3..v5), as export writes it. */
    private List<String> truncatedExport(String previousHash) {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("{\"arborExport\":2,\"after\":0,\"lifecycle\":\"exported\"}");
        for (long v = 3; v <= 5; v++) {
            lines.add(io.arbor.client.ArborClient.toJson(arbor.at("a-1", v)).toString());
        }
        lines.add(
                new LifecycleRecord(
                                "a-1",
                                5,
                                3,
                                previousHash,
                                Json.createObjectBuilder()
                                        .addNull("maxAge")
                                        .addNull("maxCount")
                                        .add("truncateBefore", 3)
                                        .add("custom", Json.createObjectBuilder())
                                        .build(),
                                null)
                        .toJson()
                        .toString());
        return lines;
    }

    @Test
    void importChecksATruncatedStreamFromItsSeedAndRefusesAnotherSeedBeforeWritingAnything()
            throws Exception {
        store();
        Path file = dir.resolve("truncated.ndjson");
        String wrongSeed = arbor.at("a-1", 1).hash(); // the hash of v1, not of v2
        Files.write(file, truncatedExport(wrongSeed), StandardCharsets.UTF_8);
        try (FakeArbor target = new FakeArbor()) {
            CliRun refused =
                    CliRun.run("import", "--url", target.url().toString(), file.toString());
            assertEquals(1, refused.status(), refused.toString());
            assertTrue(
                    refused.err()
                            .contains(
                                    "line 2: stream a-1 v3: its hash "
                                            + arbor.at("a-1", 3).hash()
                                            + " is not the hash of its content after the seed "
                                            + wrongSeed),
                    refused.err());
            assertEquals(List.of(), target.requests, "nothing asked, nothing written");

            // The right seed: the file holds, and the stream's row needs the database.
            Files.write(file, truncatedExport(arbor.at("a-1", 2).hash()), StandardCharsets.UTF_8);
            CliRun noDatabase =
                    CliRun.run("import", "--url", target.url().toString(), file.toString());
            assertEquals(2, noDatabase.status(), noDatabase.toString());
            assertTrue(noDatabase.err().contains("give --db-url"), noDatabase.err());
            assertEquals(List.of(), target.requests, "nothing asked, nothing written");
        }
    }

    @Test
    void importRefusesToCreateRowsInAnotherTenantThanItsTokensBeforeWritingAnything()
            throws Exception {
        store();
        Path file = dir.resolve("truncated.ndjson");
        Files.write(file, truncatedExport(arbor.at("a-1", 2).hash()), StandardCharsets.UTF_8);
        String claims =
                java.util.Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString("{\"tenant\":\"t1\"}".getBytes(StandardCharsets.UTF_8));
        try (FakeArbor target = new FakeArbor()) {
            CliRun refused =
                    CliRun.run(
                            "import",
                            "--url",
                            target.url().toString(),
                            "--token",
                            "e30." + claims + ".signature",
                            "--db-url",
                            "jdbc:postgresql://127.0.0.1:9/x",
                            file.toString());
            assertEquals(2, refused.status(), refused.toString());
            assertTrue(
                    refused.err().contains("--tenant default is not the token's tenant t1"),
                    refused.err());
            assertEquals(List.of(), target.requests, "nothing asked, nothing written");
        }
    }

    @Test
    void importRefusesAStreamStartingPastOneWithoutItsLifecycleLine() throws Exception {
        store();
        Path file = dir.resolve("no-line.ndjson");
        List<String> lines = truncatedExport(arbor.at("a-1", 2).hash());
        Files.write(file, lines.subList(0, lines.size() - 1), StandardCharsets.UTF_8);
        try (FakeArbor target = new FakeArbor()) {
            CliRun refused =
                    CliRun.run("import", "--url", target.url().toString(), file.toString());
            assertEquals(1, refused.status(), refused.toString());
            assertTrue(
                    refused.err()
                            .contains(
                                    "line 2: stream a-1 starts at version 3 and the file has no"
                                            + " lifecycle line for it"),
                    refused.err());
        }
    }

    // -------------------------------------------------------------------- tail

    @Test
    void tailFindsTheLastEventsWithoutReadingTheWholeLog() {
        for (int i = 0; i < 200; i++) {
            arbor.append("big-" + i, 50).append("small-" + (i % 3), 1);
        }
        CliRun tail = run("tail", "-n", "3", "--json");
        assertEquals(0, tail.status(), tail.toString());
        assertEquals(
                List.of(10_198L, 10_199L, 10_200L),
                tail.json().stream()
                        .map(e -> e.getJsonNumber("globalPosition").longValue())
                        .toList());
        assertTrue(arbor.requests.size() <= 2 * 14 + 2, arbor.requests.toString()); // 2^14 > 10,200
        assertTrue(arbor.eventsServed() <= 3L * arbor.requests.size(), "pages of 3 events");

        CliRun small = run("tail", "--category", "small", "-n", "2", "--json");
        assertEquals(
                List.of("small-0", "small-1"), // i = 198, 199
                small.json().stream().map(e -> e.getString("streamId")).toList());
    }

    @Test
    void aFollowingTailSubscribesRidesOutTheServerGoingAwayAndMissesNothing() throws Exception {
        arbor.append("a-1", 2);
        CompletableFuture<CliRun> follow =
                CompletableFuture.supplyAsync(
                        () ->
                                run(
                                        "tail",
                                        "-n",
                                        "1",
                                        "--follow",
                                        "--json",
                                        "--reconnect-max-ms",
                                        "20",
                                        "--max-events",
                                        "4"));
        await(
                () ->
                        follow.isDone()
                                || arbor.requests.stream()
                                        .anyMatch(r -> r.contains("/events/subscribe?after=2 ")));
        arbor.append("a-3", 1); // live: the fake pushes it within 5 ms, on the first connection
        Thread.sleep(200);
        assertFalse(follow.isDone(), () -> follow.join().toString());
        arbor.away = true; // Payara with the application undeployed: the stream ends, then 404s
        int seen = arbor.requests.size();
        await(() -> arbor.requests.size() >= seen + 3);
        arbor.append("a-2", 2);
        arbor.away = false;
        CliRun followed = follow.get(20, TimeUnit.SECONDS);
        assertEquals(0, followed.status(), followed.toString());
        assertEquals(
                List.of("a-1", "a-3", "a-2", "a-2"),
                followed.json().stream().map(e -> e.getString("streamId")).toList());
        assertTrue(
                arbor.requests.stream()
                        .anyMatch(r -> r.contains("/events/subscribe?after=2 Last-Event-ID: 3")),
                arbor.requests.toString());
        assertFalse(
                arbor.requests.stream().anyMatch(r -> r.contains("limit=1000")),
                "following does not poll the paged log");
        assertTrue(followed.err().contains("arbor tail: disconnected ("), followed.err());
        assertTrue(followed.err().contains("still disconnected after"), followed.err());
        assertTrue(followed.err().contains("arbor tail: reconnected after"), followed.err());
        assertFalse(followed.out().contains("disconnected"), "stdout holds events only");
    }

    @Test
    void aFollowingTailFiltersOnTheServerAndStillAcceptsThePollFlag() throws Exception {
        arbor.append("a-1", 1).append("b-1", 1);
        CompletableFuture<CliRun> follow =
                CompletableFuture.supplyAsync(
                        () ->
                                run(
                                        "tail",
                                        "-n",
                                        "0",
                                        "--follow",
                                        "--category",
                                        "b",
                                        "--type",
                                        "Counted",
                                        "--poll-ms",
                                        "10",
                                        "--max-events",
                                        "2",
                                        "--json"));
        await(
                () ->
                        follow.isDone()
                                || arbor.requests.stream().anyMatch(r -> r.contains("subscribe")));
        arbor.append("a-2", 3).append("b-2", 2);
        CliRun followed = follow.get(20, TimeUnit.SECONDS);
        assertEquals(0, followed.status(), followed.toString());
        assertEquals(
                List.of("b-2", "b-2"),
                followed.json().stream().map(e -> e.getString("streamId")).toList());
        assertTrue(
                arbor.requests.stream()
                        .anyMatch(
                                r ->
                                        r.contains(
                                                "/events/subscribe?after=2&category=b&type=Counted")),
                arbor.requests.toString());
    }

    @Test
    void aFollowingTailEndsWithExit3WhenArborRefusesTheSubscription() {
        arbor.append("a-1", 1);
        CliRun refused = run("tail", "--follow", "--type", "", "-n", "1");
        assertEquals(3, refused.status(), refused.toString());
        assertTrue(refused.err().contains("400 invalid-request"), refused.err());
        assertEquals(1, arbor.requests.stream().filter(r -> r.contains("subscribe")).count());
    }

    private static void await(java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(5);
        }
    }

    // ------------------------------------------------------------------ tokens

    @Test
    void everyRequestOfACommandCarriesItsToken() {
        store();
        CliRun verify = run("verify", "--no-db", "--token", "t0k3n");
        assertEquals(0, verify.status(), verify.err());
        assertFalse(arbor.authorizations.isEmpty());
        assertEquals(List.of("Bearer t0k3n"), arbor.authorizations.stream().distinct().toList());
    }

    @Test
    void a401SaysWhichTokenWasSentAndHowToGetOne() {
        arbor.refuseWith = 401;
        CliRun export =
                run("export", "--out", dir.resolve("x.ndjson").toString(), "--token", "old");
        assertEquals(ArborCli.PROBLEM, export.status());
        assertTrue(export.err().contains("401"), export.err());
        assertTrue(export.err().contains("refused the token given with --token"), export.err());
        assertTrue(export.err().contains("bin/arbor token --groups arbor-admin"), export.err());
    }

    @Test
    void a403SaysTheTokenLacksTheRole() {
        arbor.refuseWith = 403;
        CliRun list = CliRun.run("groups", "list", "--url", arbor.url().toString(), "--token", "r");
        assertEquals(ArborCli.PROBLEM, list.status());
        assertTrue(list.err().contains("roles do not allow this request"), list.err());
        assertTrue(list.err().contains("bin/arbor token --groups arbor-admin"), list.err());
    }

    @Test
    void a403OfTheStoreOperatorsEndpointSaysTheTenantTheTokenNeeds() {
        arbor.refuseWith = 403;
        CliRun list =
                CliRun.run("archive", "list", "--url", arbor.url().toString(), "--token", "t");
        assertEquals(ArborCli.PROBLEM, list.status());
        assertTrue(list.err().contains("arbor-admin of the tenant default"), list.err());
        assertTrue(list.err().contains("(no --tenant)"), list.err());
    }
}
