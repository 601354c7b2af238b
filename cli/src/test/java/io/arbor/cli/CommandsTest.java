package io.arbor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands against {@link FakeArbor}, an in-memory server on a local port: what verify, export,
 * import and tail print and decide. (Against the real server and database: CliIT and dr-drill.sh.)
 */
class CommandsTest {
    @TempDir Path dir;

    private final FakeArbor arbor = open();

    private static FakeArbor open() {
        try {
            return new FakeArbor();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

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
        assertEquals(10, Files.readAllLines(file, StandardCharsets.UTF_8).size());

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
}
