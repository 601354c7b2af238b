package io.arbor.cli;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.archive.ArchiveWriter;
import io.arbor.archive.ArchivedEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export's seed hashes that only the archive holds. */
class ArchiveHashesTest {
    @TempDir Path directory;

    @Test
    void aSeedOnlyTheArchiveHoldsNeedsTheArchiveDirectory() {
        IllegalStateException refused =
                assertThrows(
                        IllegalStateException.class,
                        () -> new ArchiveHashes(null).hash("default", "order-1", 4));
        assertTrue(refused.getMessage().contains("--archive-dir"), refused::getMessage);
    }

    @Test
    void anUnreadableDirectoryFailsTheExportRatherThanDropTheSeed() {
        Path missing = directory.resolve("missing");
        assertThrows(
                IllegalStateException.class,
                () -> new ArchiveHashes(missing).hash("default", "order-1", 4));
    }

    @Test
    void anUnhashedArchivedVersionHasNoSeedAndAnAbsentOneFailsTheExport() throws Exception {
        new ArchiveWriter(directory)
                .write(
                        0,
                        100,
                        List.of(
                                        new ArchivedEvent(
                                                "default",
                                                10,
                                                UUID.randomUUID(),
                                                "legacy-9",
                                                4,
                                                "legacy",
                                                "Old",
                                                1,
                                                "{}",
                                                "{}",
                                                List.of(),
                                                Instant.parse("2020-01-01T00:00:00Z"),
                                                null,
                                                null))
                                .iterator());
        ArchiveHashes hashes = new ArchiveHashes(directory);
        assertNull(hashes.hash("default", "legacy-9", 4), "held unhashed");
        // The key table said only the archive holds these: a segment without them is damaged,
        // and a record without its seed would hide that (second review of issue 20, nit).
        assertThrows(IllegalStateException.class, () -> hashes.hash("default", "legacy-9", 3));
        assertThrows(IllegalStateException.class, () -> hashes.hash("other", "legacy-9", 4));
    }
}
