package io.arbor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.archive.ArchiveWriter;
import io.arbor.archive.ArchivedEvent;
import io.arbor.archive.SegmentManifest;
import io.arbor.spi.EventHash;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code arbor archive verify}: its exit codes and what it prints, on real segment files. */
class ArchiveCommandTest {
    @TempDir Path dir;

    private SegmentManifest manifest;

    /** One stream of 20 chained events at positions 1..20, in blocks of 5. */
    @BeforeEach
    void aSegment() throws IOException {
        List<ArchivedEvent> events = new ArrayList<>();
        byte[] previous = EventHash.GENESIS;
        for (int version = 1; version <= 20; version++) {
            UUID id = UUID.randomUUID();
            String data = "{\"amount\": " + version + "}";
            previous =
                    EventHash.hash(
                            previous,
                            id,
                            "acct-1",
                            version,
                            "Deposited",
                            1,
                            data,
                            "{}",
                            List.of("t:1"));
            events.add(
                    new ArchivedEvent(
                            "default",
                            version,
                            id,
                            "acct-1",
                            version,
                            "acct",
                            "Deposited",
                            1,
                            data,
                            "{}",
                            List.of("t:1"),
                            Instant.parse("2026-12-01T00:00:00Z"),
                            "alice",
                            EventHash.toHex(previous)));
        }
        manifest = new ArchiveWriter(dir, 5, 1 << 20).write(0, 1000, events.iterator());
    }

    @Test
    void aSoundArchiveVerifiesWithExitZero() {
        CliRun run = CliRun.run("archive", "verify", "--dir", dir.toString());
        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().contains("archive verify: OK"), run.out());

        CliRun json = CliRun.run("archive", "verify", "--dir", dir.toString(), "--json");
        assertEquals(0, json.status(), json.err());
        JsonObject summary = json.json().get(0);
        assertEquals(1, summary.getInt("segments"));
        assertEquals(4, summary.getInt("blocks"));
        assertEquals(20, summary.getInt("events"));
        assertEquals(20, summary.getInt("hashLinks"));
        assertEquals(0, summary.getInt("anomalies"));
    }

    @Test
    void aFlippedByteExitsOneNamingTheFileAndBlock() throws IOException {
        Path data = dir.resolve("events-0-1000.ndjson.gz");
        byte[] bytes = Files.readAllBytes(data);
        bytes[(int) manifest.blocks().get(3).offset() + 12] ^= 0x40;
        Files.write(data, bytes);
        CliRun run = CliRun.run("archive", "verify", "--dir", dir.toString());
        assertEquals(1, run.status(), run.out() + run.err());
        assertTrue(run.out().contains("ANOMALY Archive file " + data + ", block 3"), run.out());
        assertTrue(run.out().contains("archive verify: FAILED"), run.out());

        JsonObject json =
                CliRun.run("archive", "verify", "--dir", dir.toString(), "--json").json().get(0);
        assertEquals(2, json.getInt("anomalies")); // the file's SHA-256 and block 3's
    }

    @Test
    void leftoversAreListedWithoutFailing() throws IOException {
        Files.writeString(dir.resolve("events-1000-2000.ndjson.gz.partial"), "interrupted");
        CliRun run = CliRun.run("archive", "verify", "--dir", dir.toString());
        assertEquals(0, run.status(), run.out());
        assertTrue(run.out().contains("LEFTOVER events-1000-2000.ndjson.gz.partial"), run.out());
    }

    @Test
    void aDirectoryThatIsNotThereIsBadUsage() {
        CliRun run = CliRun.run("archive", "verify", "--dir", dir.resolve("nowhere").toString());
        assertEquals(2, run.status());
        assertTrue(run.err().contains("no directory"), run.err());
        assertEquals(2, CliRun.run("archive", "verify").status());
    }
}
