package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.cli.ArborCli;
import io.arbor.client.ArborClient;
import io.arbor.client.ExpectedVersion;
import io.arbor.client.LogFilter;
import io.arbor.client.NackAction;
import io.arbor.client.NewEvent;
import io.arbor.client.RecordedEvent;
import io.arbor.client.StreamNotFoundException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The arbor CLI (cli/), run in-process against the real server and database. */
class CliIT extends ArborIT {
    private final ArborClient client = Arbor.client();

    record Run(int status, String out, String err) {
        List<JsonObject> jsonLines() {
            return out.lines()
                    .filter(l -> l.startsWith("{"))
                    .map(ArborClient::parseObject)
                    .toList();
        }
    }

    /** Runs a leaf command (e.g. {@code streams list …}) against the test server. */
    static Run arbor(String... args) {
        // --url belongs to the leaf command: after its one or two command words.
        int words =
                List.of("streams", "stream", "event", "snapshot", "groups", "archive")
                                .contains(args[0])
                        ? 2
                        : 1;
        List<String> all = new ArrayList<>(List.of(args).subList(0, words));
        all.addAll(List.of("--url", Arbor.HOST));
        all.addAll(List.of(args).subList(words, args.length));
        return raw(all.toArray(String[]::new));
    }

    /** Runs the command line exactly as given. */
    static Run raw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var line = ArborCli.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        return new Run(line.execute(args), out.toString(), err.toString());
    }

    @Test
    void theDatabaseCommandsConnectAsTheOwnerByDefault() {
        // No --db-user: $ARBOR_DB_OWNER_USER, else arbor_owner (the local cluster's owner). As the
        // application's role, Liquibase's own table would be out of reach.
        Run status = raw("db", "status", "--db-url", System.getProperty("arbor.db.url"));
        assertEquals(0, status.status(), status::err);
    }

    static Run arborDb(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(
                List.of(
                        "--db-url", System.getProperty("arbor.db.url"),
                        "--db-user", Database.ownerUser(),
                        "--db-password", Database.ownerPassword()));
        return arbor(all.toArray(String[]::new));
    }

    private static JsonObject data(int n) {
        return Json.createObjectBuilder().add("n", n).build();
    }

    private List<NewEvent> append(String stream, int count) {
        List<NewEvent> events =
                IntStream.rangeClosed(1, count)
                        .mapToObj(n -> NewEvent.of("Counted", data(n)))
                        .toList();
        client.append(stream, ExpectedVersion.ANY, events);
        return events;
    }

    @Test
    void archiveCommandsListTheCatalogueRunAJobAndRefuseAnUnknownRange() {
        Run list = arbor("archive", "list", "--json");
        assertEquals(0, list.status(), list::toString);
        JsonObject catalogue = list.jsonLines().get(0);
        assertTrue(catalogue.getBoolean("configured"), catalogue::toString);
        assertFalse(catalogue.getJsonArray("ranges").isEmpty(), catalogue::toString);
        assertTrue(arbor("archive", "list").out().contains("archive directory "));

        // below position 0 no range ends: the run archives nothing and ends done
        Run run = arbor("archive", "run", "--below-position", "0", "--wait", "--json");
        assertEquals(0, run.status(), run::toString);
        List<JsonObject> job = run.jsonLines();
        assertEquals("done", job.get(job.size() - 1).getString("state"), run::toString);
        assertEquals(0, job.get(job.size() - 1).getInt("archived"));

        Run unknown = arbor("archive", "restore", "--from", "9000000000000000003");
        assertEquals(3, unknown.status(), unknown::toString);
        assertTrue(unknown.err().contains("No range"), unknown::toString);
    }

    @Test
    void inspectionCommandsShowStreamsEventsAndSnapshots() {
        String category = Arbor.newCategory();
        String stream = category + "-1";
        List<NewEvent> events = append(stream, 3);
        append(category + "-2", 1);
        client.saveSnapshot(stream, 2, "State", data(2));

        Run list = arbor("streams", "list", "--category", category);
        assertEquals(0, list.status(), list::toString);
        assertTrue(list.out().contains(stream) && list.out().contains("2 streams"), list.out());
        List<JsonObject> listed =
                arbor("streams", "list", "--category", category, "--json").jsonLines();
        assertEquals(3, listed.get(0).getInt("version"));

        Run show = arbor("stream", "show", stream, "--from", "3", "--backward", "--json");
        assertEquals(0, show.status(), show::toString);
        List<JsonObject> shown = show.jsonLines();
        assertEquals(3, shown.get(0).getInt("version"), "the head comes first");
        assertEquals(
                List.of(3, 2, 1),
                shown.subList(1, 4).stream().map(e -> e.getInt("version")).toList());

        Run event = arbor("event", "show", events.get(1).eventId().toString(), "--json");
        assertEquals(0, event.status(), event::toString);
        assertEquals(2, event.jsonLines().get(0).getInt("version"));
        assertEquals(data(2), event.jsonLines().get(0).getJsonObject("data"));
        Run human = arbor("event", "show", events.get(1).eventId().toString());
        assertTrue(human.out().contains("stream    " + stream + " (version 2)"), human.out());

        Run snapshot = arbor("snapshot", "show", stream, "--json");
        assertEquals(2, snapshot.jsonLines().get(0).getInt("version"));

        Run missing = arbor("event", "show", UUID.randomUUID().toString());
        assertEquals(3, missing.status());
        assertTrue(missing.err().contains("event-not-found"), missing.err());
        assertEquals(3, arbor("snapshot", "show", category + "-2").status());
        assertEquals(2, arbor("event", "show", "not-a-uuid").status());
        for (String command :
                new String[] {
                    "streams",
                    "stream",
                    "event",
                    "snapshot",
                    "tail",
                    "export",
                    "import",
                    "verify",
                    "db"
                }) {
            Run help = raw(command, "--help");
            assertEquals(0, help.status(), command);
            assertTrue(help.out().startsWith("Usage: arbor " + command), help.out());
        }
    }

    @Test
    void tailPrintsTheLatestAndFollowsNewEvents() throws Exception {
        String category = Arbor.newCategory();
        append(category + "-1", 4);
        Run tail = arbor("tail", "--category", category, "-n", "2", "--json");
        assertEquals(
                List.of(3, 4), tail.jsonLines().stream().map(e -> e.getInt("version")).toList());

        CompletableFuture<Run> follow =
                CompletableFuture.supplyAsync(
                        () ->
                                arbor(
                                        "tail",
                                        "--category",
                                        category,
                                        "-n",
                                        "1",
                                        "--follow",
                                        "--poll-ms",
                                        "100",
                                        "--max-events",
                                        "3",
                                        "--json"));
        Thread.sleep(1000);
        assertFalse(follow.isDone());
        append(category + "-2", 2);
        Run followed = follow.get(30, TimeUnit.SECONDS);
        assertEquals(
                List.of(category + "-1", category + "-2", category + "-2"),
                followed.jsonLines().stream().map(e -> e.getString("streamId")).toList());
    }

    @Test
    void tailFollowSubscribesWithCategoryAndTypeAndPrintsOnlyMatchingLiveEvents() throws Exception {
        String category = Arbor.newCategory();
        append(category + "-1", 2);
        CompletableFuture<Run> follow =
                CompletableFuture.supplyAsync(
                        () ->
                                arbor(
                                        "tail",
                                        "--category",
                                        category,
                                        "--type",
                                        "Wanted",
                                        "-n",
                                        "0",
                                        "--follow",
                                        "--max-events",
                                        "3",
                                        "--json"));
        Thread.sleep(1000);
        assertFalse(follow.isDone(), () -> follow.join().toString());
        List<NewEvent> live = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            NewEvent wanted = NewEvent.of("Wanted", data(n));
            live.add(wanted);
            client.append(
                    category + "-2",
                    ExpectedVersion.ANY,
                    List.of(NewEvent.of("Other", data(n)), wanted));
            append(Arbor.newCategory() + "-1", 1); // another category: filtered out
        }
        Run followed = follow.get(30, TimeUnit.SECONDS);
        assertEquals(0, followed.status(), followed::toString);
        assertEquals(
                live.stream().map(e -> e.eventId().toString()).toList(),
                followed.jsonLines().stream().map(e -> e.getString("eventId")).toList());
    }

    @Test
    void exportWritesTheCategoryInLogOrderAndImportIsIdempotentAndKeepsIds() throws Exception {
        String category = Arbor.newCategory();
        append(category + "-a", 3);
        append(category + "-b", 2);
        append(category + "-a", 2);
        Path file = Files.createTempFile("arbor-export", ".ndjson");
        Run export = arbor("export", "--out", file.toString(), "--category", category);
        assertEquals(0, export.status(), export::toString);
        List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertTrue(all.get(0).startsWith("{\"arborExport\":2,"), all.get(0)); // format 2's header
        // No stream of the category has a lifecycle: the events are the rest of the file.
        List<String> lines = all.subList(1, all.size());
        List<RecordedEvent> stored = client.readAll(0, LogFilter.category(category)).toList();
        assertEquals(stored.stream().map(e -> ArborClient.toJson(e).toString()).toList(), lines);
        assertTrue(export.err().contains("export"), "progress goes to stderr");

        assertTrue(
                lines.stream().allMatch(l -> l.matches(".*\"hash\":\"[0-9a-f]{64}\".*")),
                lines::toString);
        // The export as written: its hash chains hold (import checks them before anything else),
        // and every event is already here.
        Run same = arbor("import", file.toString());
        assertEquals(0, same.status(), same::toString);
        assertTrue(same.out().contains("0 written, 7 already present"), same.out());

        // The same events under a new category and new ids: what another store would receive,
        // as a format-1 file (events only, no header), which import still reads.
        // Renamed, they are other events, so their exported hashes no longer fit them (import
        // refuses such a file: CommandsTest); the copy leaves them out, as an export from before
        // hash chains would.
        String target = Arbor.newCategory();
        List<String> moved = new ArrayList<>();
        for (String line : lines) {
            moved.add(
                    line.replace(category, target)
                            .replaceFirst(",\"hash\":\"[0-9a-f]{64}\"", "")
                            .replaceFirst(
                                    "\"eventId\":\"[0-9a-f-]+\"",
                                    "\"eventId\":\"" + UUID.randomUUID() + "\""));
        }
        Path copy = Files.createTempFile("arbor-import", ".ndjson");
        Files.write(copy, moved, StandardCharsets.UTF_8);
        Run imported = arbor("import", copy.toString(), "--batch", "2");
        assertEquals(0, imported.status(), imported::toString);
        assertTrue(imported.out().contains("7 events into 2 streams: 7 written"), imported.out());
        List<RecordedEvent> read = client.readAll(0, LogFilter.category(target)).toList();
        assertEquals(7, read.size());
        for (int i = 0; i < 7; i++) {
            RecordedEvent original = ArborClient.event(ArborClient.parseObject(moved.get(i)));
            assertEquals(original.eventId(), read.get(i).eventId());
            assertEquals(original.streamId(), read.get(i).streamId());
            assertEquals(original.version(), read.get(i).version());
            assertEquals(original.data(), read.get(i).data());
        }
        Run again = arbor("import", copy.toString());
        assertEquals(0, again.status(), again::toString);
        assertTrue(again.out().contains("0 written, 7 already present"), again.out());
        assertEquals(7, client.readAll(0, LogFilter.category(target)).count());
    }

    @Test
    void importRefusesToReorderAStreamAndWritesNothing() throws Exception {
        String category = Arbor.newCategory();
        String stream = category + "-1";
        List<String> lines = new ArrayList<>();
        for (int v : new int[] {1, 3, 2}) {
            lines.add(
                    ArborClient.toJson(
                                    new RecordedEvent(
                                            UUID.randomUUID(),
                                            stream,
                                            v,
                                            v,
                                            "T",
                                            1,
                                            data(v),
                                            Json.createObjectBuilder().build(),
                                            List.of(),
                                            Instant.now(),
                                            null,
                                            null))
                            .toString());
        }
        Path file = Files.createTempFile("arbor-reordered", ".ndjson");
        Files.write(file, lines, StandardCharsets.UTF_8);
        Run refused = arbor("import", file.toString());
        assertEquals(1, refused.status(), refused::toString);
        assertTrue(refused.err().contains("goes from version 1 to 3"), refused.err());
        assertThrows(StreamNotFoundException.class, () -> client.streamInfo(stream));

        // A target stream holding other events at those versions is refused too.
        append(stream, 1);
        Files.write(file, lines.subList(0, 1), StandardCharsets.UTF_8);
        Run conflicting = arbor("import", file.toString());
        assertEquals(1, conflicting.status(), conflicting::toString);
        assertTrue(conflicting.err().contains("holds event"), conflicting.err());
        assertEquals(1, client.streamInfo(stream).version());
    }

    /**
     * verify on the live store, with and without the database. Its catching of corrupted rows is
     * proved on a copy, not here on the suites' shared database: server-config/dr-drill.sh corrupts
     * the restored drill database five ways and requires verify to name each.
     */
    @Test
    void verifyPassesOnTheStoreAndNeverSkipsTheDatabaseSilently() {
        String stream = Arbor.newStream("verify");
        append(stream, 4);
        Run clean = arborDb("verify", "--json");
        assertEquals(0, clean.status(), clean::toString);
        JsonObject summary = clean.jsonLines().get(0);
        assertEquals(0, summary.getInt("anomalies"), clean::toString);
        assertEquals("compared", summary.getString("database"));
        assertEquals(summary.getInt("dbEvents"), summary.getInt("globalLogEvents"));
        assertEquals(summary.getInt("globalLogEvents"), summary.getInt("streamEvents"));

        if (System.getenv("ARBOR_DB_URL") == null) {
            Run refused = arbor("verify");
            assertEquals(2, refused.status(), refused::toString);
            assertTrue(refused.err().contains("--no-db"), refused.err());
        }
        Run apiOnly = arbor("verify", "--no-db");
        assertEquals(0, apiOnly.status(), apiOnly::toString);
        assertTrue(
                apiOnly.out().contains("not compared (give --db-url or ARBOR_DB_URL)"),
                apiOnly.out());
        assertTrue(apiOnly.out().contains("verify: OK (database not compared)"), apiOnly.out());
    }

    @Test
    void dbCommandsUpdateRollBackAndUpdateAScratchSchema() throws Exception {
        String schema = "scratch_" + UUID.randomUUID().toString().replace("-", "");
        Database.execute("CREATE SCHEMA " + schema);
        String url = System.getProperty("arbor.db.url");
        String scratch = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        try {
            Run status = db(scratch, "status");
            // Every changeset of the changelog is pending; the last one listed is the newest.
            java.util.regex.Matcher pending =
                    java.util.regex.Pattern.compile("(\\d+) changeset\\(s\\) pending")
                            .matcher(status.out());
            assertTrue(pending.find(), status.out());
            int all = Integer.parseInt(pending.group(1));
            assertTrue(all >= 4, status.out());
            String[] lines =
                    status.out()
                            .lines()
                            .filter(l -> l.startsWith("pending"))
                            .toArray(String[]::new);
            String newest = lines[lines.length - 1].split("\\s+")[1];
            assertEquals(0, db(scratch, "tag", "empty").status());
            assertTrue(db(scratch, "update").out().contains("applied " + all + " changeset(s)"));
            assertTrue(db(scratch, "status").out().contains("0 changeset(s) pending"));
            JsonObject pendingNone = db(scratch, "status", "--json").jsonLines().get(0);
            assertEquals(0, pendingNone.getInt("pending"), pendingNone::toString);
            List<JsonObject> history = db(scratch, "history", "--json").jsonLines();
            assertTrue(history.size() >= all, history::toString);
            assertTrue(
                    history.stream().anyMatch(h -> h.getString("id").equals(newest)),
                    history::toString);
            Run dry = db(scratch, "rollback", "--count", "1", "--dry-run");
            // The dry run prints the newest changeset's rollback SQL instead of running it.
            assertTrue(dry.out().contains("Rolling Back ChangeSet: "), dry.out());
            assertTrue(dry.out().contains(newest), dry.out());
            assertTrue(
                    db(scratch, "status").out().contains("0 changeset(s) pending"),
                    "dry run changes nothing");
            assertEquals(0, db(scratch, "rollback", "--count", "1").status());
            Run one = db(scratch, "status");
            assertTrue(one.out().contains("1 changeset(s) pending"), one.out());
            assertTrue(one.out().contains(newest), one.out());
            assertEquals(0, db(scratch, "rollback", "--to-tag", "empty").status());
            assertTrue(db(scratch, "status").out().contains(all + " changeset(s) pending"));
            assertEquals(
                    0,
                    Database.queryLong(
                            "SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                                    + schema
                                    + "' AND table_name IN ('events', 'streams', 'snapshots')"));
            assertTrue(db(scratch, "update").out().contains("applied " + all + " changeset(s)"));
            assertTrue(db(scratch, "history").out().contains("2026-11-25-02-create-events"));
            assertEquals(2, db(scratch, "rollback", "--count", "0").status());
        } finally {
            Database.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private static Run db(String url, String... args) {
        List<String> all = new ArrayList<>(List.of("db"));
        all.addAll(List.of(args));
        all.addAll(
                List.of(
                        "--db-url", url,
                        "--db-user", Database.ownerUser(),
                        "--db-password", Database.ownerPassword()));
        return raw(all.toArray(String[]::new));
    }

    @Test
    void groupsCommandsCreateShowListParkReplayResetAndDeleteAGroup() {
        String category = Arbor.newCategory();
        String group = Arbor.newCategory();
        List<NewEvent> events = append(category + "-1", 3);

        Run created =
                arbor(
                        "groups",
                        "create",
                        group,
                        "--category",
                        category,
                        "--strategy",
                        "pinned",
                        "--max-retries",
                        "4",
                        "--ack-timeout",
                        "20",
                        "--json");
        assertEquals(0, created.status(), created::toString);
        JsonObject json = created.jsonLines().get(0);
        assertEquals("created", json.getString("outcome"));
        assertEquals(category, json.getJsonObject("filter").getString("category"));
        assertEquals("pinned", json.getString("strategy"));
        assertEquals(4, json.getInt("maxRetries"));
        assertEquals(20, json.getInt("ackTimeoutSeconds"));
        Run refused = arbor("groups", "create", group, "--type", "Other");
        assertEquals(3, refused.status(), refused::toString);
        assertTrue(refused.err().contains("group-filter-changed"), refused.err());

        // A consumer parks one.
        ArborClient consumer = Arbor.client();
        UUID first = consumer.fetch(group, "c-1", 10, 5).get(0).event().eventId();
        assertEquals(events.get(0).eventId(), first);
        consumer.nack(group, "c-1", List.of(first), NackAction.PARK);

        Run show = arbor("groups", "show", group);
        assertEquals(0, show.status(), show::toString);
        assertTrue(show.out().contains("parked             1"), show.out());
        assertTrue(show.out().contains("c-1"), show.out());
        assertTrue(
                arbor("groups", "list", "--json").jsonLines().stream()
                        .anyMatch(g -> g.getString("group").equals(group)));
        List<JsonObject> parked = arbor("groups", "parked", group, "--json").jsonLines();
        assertEquals(1, parked.size());
        assertEquals(first.toString(), parked.get(0).getString("eventId"));
        assertEquals("nacked", parked.get(0).getString("parkReason"));
        assertTrue(arbor("groups", "parked", group).out().contains("1 parked event"));

        Run replayed = arbor("groups", "replay-parked", group);
        assertEquals(0, replayed.status(), replayed::toString);
        assertEquals("group " + group + ": 1 parked event replayed\n", replayed.out());
        assertEquals(
                0, arbor("groups", "show", group, "--json").jsonLines().get(0).getInt("parked"));

        JsonObject reset =
                arbor("groups", "reset", group, "--to", "end", "--json").jsonLines().get(0);
        long last = client.event(events.get(2).eventId()).globalPosition();
        assertTrue(reset.getJsonNumber("checkpoint").longValue() >= last, reset::toString);
        Run badReset = arbor("groups", "reset", group, "--to", "yesterday");
        assertEquals(2, badReset.status(), badReset::toString);

        assertEquals(0, arbor("groups", "delete", group).status());
        Run gone = arbor("groups", "show", group);
        assertEquals(3, gone.status(), gone::toString);
        assertTrue(gone.err().contains("group-not-found"), gone.err());
    }
}
