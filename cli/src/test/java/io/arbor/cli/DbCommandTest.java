package io.arbor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arbor.client.ArborClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Timestamp;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code arbor db status} and {@code db history} print, text and JSON (no database). */
class DbCommandTest {
    private final StringWriter text = new StringWriter();

    private DbCommand.Output output(boolean json) {
        picocli.CommandLine line = new picocli.CommandLine(new DbCommand.Status());
        line.setOut(new PrintWriter(text, true));
        DbCommand.Output output = new DbCommand.Output();
        output.spec = line.getCommandSpec();
        output.json = json;
        return output;
    }

    private static final List<DbCommand.Pending> PENDING =
            List.of(
                    new DbCommand.Pending(
                            "2026-11-25-07-create-event-upcasters",
                            "arbor",
                            "db/changesets/2026-11-25-07-create-event-upcasters.sql"),
                    new DbCommand.Pending("2026-11-25-08-x", "arbor", "db/changesets/08.sql"));

    @Test
    void statusPrintsEachPendingChangesetAndTheCount() {
        DbCommand.printStatus(output(false), PENDING);
        assertEquals(
                List.of(
                        "pending  2026-11-25-07-create-event-upcasters "
                                + " (db/changesets/2026-11-25-07-create-event-upcasters.sql)",
                        "pending  2026-11-25-08-x  (db/changesets/08.sql)",
                        "2 changeset(s) pending"),
                text.toString().lines().toList());
    }

    @Test
    void statusAsJsonIsOneObjectWithTheCountAndTheChangesets() {
        DbCommand.printStatus(output(true), PENDING);
        var json = ArborClient.parseObject(text.toString().strip());
        assertEquals(2, json.getInt("pending"));
        assertEquals(
                "2026-11-25-08-x",
                json.getJsonArray("changesets").getJsonObject(1).getString("id"));
        assertEquals("arbor", json.getJsonArray("changesets").getJsonObject(0).getString("author"));
        DbCommand.printStatus(output(true), List.of());
        assertEquals("{\"pending\":0,\"changesets\":[]}", text.toString().lines().toList().get(1));
    }

    @Test
    void historyAsJsonIsOneObjectPerAppliedChangeset() {
        DbCommand.printHistory(
                output(true),
                List.of(
                        new DbCommand.Applied(
                                1,
                                "2026-11-25-01-create-streams",
                                "arbor",
                                "db/changesets/2026-11-25-01-create-streams.sql",
                                Timestamp.valueOf("2026-11-25 10:00:00.5"),
                                "empty"),
                        new DbCommand.Applied(
                                2, "2026-11-25-02-create-events", "arbor", "f", null, null)));
        List<String> lines = text.toString().lines().toList();
        assertEquals(2, lines.size());
        var first = ArborClient.parseObject(lines.get(0));
        assertEquals(1, first.getInt("order"));
        assertEquals("2026-11-25T10:00:00.500", first.getString("appliedAt"));
        assertEquals("empty", first.getString("tag"));
        var second = ArborClient.parseObject(lines.get(1));
        assertEquals(true, second.isNull("tag"));
        assertEquals(true, second.isNull("appliedAt"));
    }

    @Test
    void historyAsTextIsATable() {
        DbCommand.printHistory(
                output(false),
                List.of(
                        new DbCommand.Applied(
                                1,
                                "c1",
                                "arbor",
                                "f",
                                Timestamp.valueOf("2026-11-25 10:00:00"),
                                null)));
        assertEquals(
                List.of(
                        "#  CHANGESET  APPLIED                TAG",
                        "1  c1         2026-11-25 10:00:00.0"),
                text.toString().lines().toList());
    }
}
