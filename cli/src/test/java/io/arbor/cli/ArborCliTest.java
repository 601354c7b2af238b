package io.arbor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the CLI decides without a server: usage, help, refusing a bad import file up front. */
class ArborCliTest {
    @TempDir Path dir;

    private static CliRun run(String... args) {
        return CliRun.run(args);
    }

    private static String event(String id, String stream, int version) {
        return "{\"eventId\":\""
                + id
                + "\",\"streamId\":\""
                + stream
                + "\",\"version\":"
                + version
                + ",\"globalPosition\":"
                + version
                + ",\"type\":\"T\",\"schemaVersion\":1,\"data\":{},\"metadata\":{},"
                + "\"recordedAt\":\"2026-11-25T00:00:00Z\"}";
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] command :
                List.of(
                        new String[] {"streams", "list"},
                        new String[] {"stream", "show"},
                        new String[] {"event", "show"},
                        new String[] {"snapshot", "show"},
                        new String[] {"tail"},
                        new String[] {"groups", "list"},
                        new String[] {"groups", "create"},
                        new String[] {"groups", "replay-parked"},
                        new String[] {"export"},
                        new String[] {"import"},
                        new String[] {"verify"},
                        new String[] {"archive", "verify"},
                        new String[] {"db", "rollback"},
                        new String[] {"token"})) {
            String[] args = java.util.Arrays.copyOf(command, command.length + 1);
            args[command.length] = "--help";
            CliRun help = run(args);
            assertEquals(0, help.status(), String.join(" ", command));
            assertTrue(
                    help.out().startsWith("Usage: arbor " + String.join(" ", command)), help.out());
        }
    }

    @Test
    void everyCommandTakesJson() {
        List<String> without = new java.util.ArrayList<>();
        java.util.ArrayDeque<picocli.CommandLine> lines = new java.util.ArrayDeque<>();
        lines.add(ArborCli.commandLine());
        while (!lines.isEmpty()) {
            picocli.CommandLine line = lines.removeFirst();
            lines.addAll(line.getSubcommands().values());
            boolean runs = line.getCommand() instanceof java.util.concurrent.Callable<?>;
            if (runs && line.getCommandSpec().findOption("--json") == null) {
                without.add(line.getCommandSpec().qualifiedName());
            }
        }
        assertEquals(List.of(), without);
    }

    @Test
    void badUsageExitsWith2() {
        assertEquals(2, run("stream", "show").status(), "missing ID");
        assertEquals(2, run("export").status(), "missing --out");
        assertEquals(2, run("db", "rollback", "--count", "1", "--to-tag", "x").status());
        assertEquals(2, run("event", "show", "not-a-uuid").status());
    }

    @Test
    void importRefusesAReorderedStreamBeforeContactingTheServer() throws Exception {
        Path file = dir.resolve("reordered.ndjson");
        Files.write(
                file,
                List.of(
                        event("00000000-0000-4000-8000-000000000001", "a-1", 1),
                        event("00000000-0000-4000-8000-000000000002", "a-1", 3),
                        event("00000000-0000-4000-8000-000000000003", "a-1", 2)),
                StandardCharsets.UTF_8);
        // Port 9 (discard) is never an Arbor: reaching it would fail with exit 4, not 1.
        CliRun refused = run("import", file.toString(), "--url", "http://127.0.0.1:9");
        assertEquals(1, refused.status(), refused.toString());
        assertTrue(refused.err().contains("goes from version 1 to 3"), refused.err());
        assertTrue(refused.err().contains("nothing written"), refused.err());

        CliRun json = run("import", file.toString(), "--url", "http://127.0.0.1:9", "--json");
        assertEquals(1, json.status(), json.toString());
        var summary = json.json().get(0);
        assertTrue(summary.getString("refused").contains("goes from version 1 to 3"), json.out());
        assertEquals(0, summary.getInt("written"));
    }

    @Test
    void importRefusesARepeatedEventIdAndALineThatIsNotAnEvent() throws Exception {
        Path file = dir.resolve("repeated.ndjson");
        String id = "00000000-0000-4000-8000-000000000001";
        Files.write(
                file, List.of(event(id, "a-1", 1), event(id, "b-1", 1)), StandardCharsets.UTF_8);
        CliRun repeated = run("import", file.toString(), "--url", "http://127.0.0.1:9");
        assertEquals(1, repeated.status());
        assertTrue(repeated.err().contains("repeats"), repeated.err());
        Files.write(file, List.of("{\"nope\":1}"), StandardCharsets.UTF_8);
        CliRun garbage = run("import", file.toString(), "--url", "http://127.0.0.1:9");
        assertEquals(1, garbage.status());
        assertTrue(garbage.err().contains("line 1 is not an event"), garbage.err());
    }
}
