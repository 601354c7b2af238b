package io.arbor.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a segment can be damaged is met by {@link ArchiveCorruptedException} naming the file
 * (and block), from a read and from verify; reads of undamaged blocks and segments still answer.
 */
class ArchiveCorruptionTest {
    @TempDir Path dir;

    private TestLog log;
    private SegmentManifest manifest;
    private Path data;
    private Path manifestFile;

    @BeforeEach
    void fourBlocksOfThreeEvents() throws IOException {
        log = new TestLog(0).fill(12, 3);
        manifest = new ArchiveWriter(dir, 3, 1 << 20).write(0, 100, log.events().iterator());
        data = dir.resolve("events-0-100.ndjson.gz");
        manifestFile = dir.resolve("events-0-100.manifest.json");
        assertEquals(4, manifest.blocks().size());
    }

    private ArchiveReader reader() throws IOException {
        return ArchiveReader.open(dir);
    }

    private static ArchiveCorruptedException corrupted(Path file, int block, Executable read) {
        ArchiveCorruptedException thrown = assertThrows(ArchiveCorruptedException.class, read);
        assertEquals(file, thrown.file(), thrown.getMessage());
        assertEquals(block, thrown.block(), thrown.getMessage());
        assertTrue(thrown.getMessage().contains(file.toString()), thrown.getMessage());
        return thrown;
    }

    private ArchiveVerifier.Report verifyFails() throws IOException {
        ArchiveVerifier.Report report = ArchiveVerifier.verify(dir);
        assertFalse(report.ok(), "verify found nothing wrong");
        return report;
    }

    /** Replaces the manifest by {@code changed}, as written by the writer. */
    private void rewriteManifest(SegmentManifest changed) throws IOException {
        Files.writeString(manifestFile, changed.toJson());
    }

    /**
     * The segment's manifest with other counts, tenants, blocks or streams (the file unchanged).
     */
    private SegmentManifest changedManifest(
            long events,
            List<String> tenants,
            List<SegmentManifest.Block> blocks,
            List<SegmentManifest.StreamRange> streams) {
        return new SegmentManifest(
                manifest.name(),
                events,
                tenants,
                manifest.minRecordedAt(),
                manifest.maxRecordedAt(),
                manifest.fileSize(),
                manifest.fileSha256(),
                blocks,
                streams);
    }

    /** Replaces block {@code index} by {@code bytes}, and the manifest to match them. */
    private void replaceBlockConsistently(int index, byte[] bytes) throws IOException {
        byte[] file = Files.readAllBytes(data);
        SegmentManifest.Block old = manifest.blocks().get(index);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(file, 0, (int) old.offset());
        out.write(bytes);
        int after = (int) (old.offset() + old.length());
        out.write(file, after, file.length - after);
        Files.write(data, out.toByteArray());
        List<SegmentManifest.Block> blocks = new ArrayList<>(manifest.blocks());
        long shift = bytes.length - old.length();
        for (int i = 0; i < blocks.size(); i++) {
            SegmentManifest.Block b = blocks.get(i);
            if (i == index) {
                blocks.set(
                        i,
                        new SegmentManifest.Block(
                                b.offset(),
                                bytes.length,
                                b.events(),
                                b.firstPosition(),
                                b.lastPosition(),
                                Checksums.hex(Checksums.sha256().digest(bytes))));
            } else if (i > index) {
                blocks.set(
                        i,
                        new SegmentManifest.Block(
                                b.offset() + shift,
                                b.length(),
                                b.events(),
                                b.firstPosition(),
                                b.lastPosition(),
                                b.sha256()));
            }
        }
        rewriteManifest(
                new SegmentManifest(
                        manifest.name(),
                        manifest.events(),
                        manifest.tenants(),
                        manifest.minRecordedAt(),
                        manifest.maxRecordedAt(),
                        out.size(),
                        Checksums.hex(Checksums.sha256().digest(out.toByteArray())),
                        blocks,
                        manifest.streams()));
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void aFlippedByteInABlockIsNamedByItsChecksumAndOtherBlocksStillRead() throws IOException {
        long at = manifest.blocks().get(2).offset() + 20;
        try (RandomAccessFile file = new RandomAccessFile(data.toFile(), "rw")) {
            file.seek(at);
            int b = file.read();
            file.seek(at);
            file.write(b ^ 0x01);
        }
        ArchiveReader reader = reader();
        ArchiveCorruptedException thrown = corrupted(data, 2, () -> reader.event(7));
        assertTrue(thrown.getMessage().contains("SHA-256"), thrown.getMessage());
        corrupted(data, 2, () -> reader.read(1, 100));
        corrupted(data, 2, () -> reader.readStream("default", "acct-0", 1, 100));
        // Blocks 0, 1 and 3 are intact: a read that does not touch block 2 answers.
        assertEquals(6, reader.read(1, 6).size());
        assertEquals(10, reader.event(10).orElseThrow().globalPosition());

        ArchiveVerifier.Report report = verifyFails();
        assertEquals(2, report.anomalyCount(), report.anomalies().toString()); // file + block 2
        assertTrue(report.anomalies().get(1).contains("block 2"), report.anomalies().toString());
    }

    @Test
    void aTruncatedFileIsNamedOnEveryRead() throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(data.toFile(), "rw")) {
            file.setLength(manifest.blocks().get(3).offset() + 5);
        }
        ArchiveReader reader = reader();
        ArchiveCorruptedException thrown = corrupted(data, -1, () -> reader.event(1));
        assertTrue(thrown.getMessage().contains("truncated"), thrown.getMessage());
        corrupted(data, -1, () -> reader.read(0, 1));
        assertTrue(verifyFails().anomalies().get(0).contains("truncated"));
    }

    @Test
    void aMissingDataFileIsNamed() throws IOException {
        Files.delete(data);
        ArchiveReader reader = reader();
        assertTrue(corrupted(data, -1, () -> reader.event(1)).getMessage().contains("missing"));
        verifyFails();
    }

    @Test
    void aMissingBlockIsNamedWhetherTheFileOrTheManifestLostIt() throws IOException {
        // The file lost block 1's bytes (and the manifest was "fixed" to the new size).
        SegmentManifest.Block gone = manifest.blocks().get(1);
        replaceBlockConsistently(1, new byte[0]);
        ArchiveReader reader = reader();
        // A zero-length block is not one the writer makes: the manifest itself is refused.
        assertTrue(
                corrupted(manifestFile, -1, () -> reader.event(1))
                        .getMessage()
                        .contains("block 1"));
        verifyFails();

        // The manifest lost the block's entry: its blocks no longer account for the file.
        fourBlocksOfThreeEventsAgain();
        List<SegmentManifest.Block> blocks = new ArrayList<>(manifest.blocks());
        blocks.remove(1);
        rewriteManifest(
                changedManifest(
                        manifest.events() - gone.events(), manifest.tenants(), blocks, List.of()));
        ArchiveReader again = reader();
        corrupted(manifestFile, -1, () -> again.read(0, 100));
        verifyFails();
    }

    private void fourBlocksOfThreeEventsAgain() throws IOException {
        for (Path file : List.of(data, manifestFile)) {
            Files.deleteIfExists(file);
        }
        fourBlocksOfThreeEvents();
    }

    @Test
    void aManifestThatDisagreesWithTheFileIsCaughtByTheRead() throws IOException {
        // The manifest says block 1 starts at position 5; the file's block 1 starts at 4.
        List<SegmentManifest.Block> blocks = new ArrayList<>(manifest.blocks());
        SegmentManifest.Block b = blocks.get(1);
        blocks.set(
                1,
                new SegmentManifest.Block(
                        b.offset(), b.length(), b.events() - 1, 5, b.lastPosition(), b.sha256()));
        rewriteManifest(
                changedManifest(
                        manifest.events() - 1, manifest.tenants(), blocks, manifest.streams()));
        ArchiveReader reader = reader();
        corrupted(data, 1, () -> reader.event(5));
        corrupted(data, 1, () -> reader.read(4, 10));
        verifyFails();
    }

    @Test
    void aManifestWhoseStreamsOrTenantsAreWrongFailsVerify() throws IOException {
        rewriteManifest(
                changedManifest(
                        manifest.events(),
                        List.of("default", "someone-else"),
                        manifest.blocks(),
                        manifest.streams().subList(1, manifest.streams().size())));
        ArchiveVerifier.Report report = verifyFails();
        assertEquals(2, report.anomalyCount(), report.anomalies().toString());
        assertTrue(report.anomalies().get(0).contains("tenants"));
        assertTrue(report.anomalies().get(1).contains("streams"));
    }

    @Test
    void aBlockThatIsNotGzipOrNotEventsIsNamedEvenWithMatchingChecksums() throws IOException {
        replaceBlockConsistently(1, "plain text, no gzip".getBytes(StandardCharsets.UTF_8));
        ArchiveReader reader = reader();
        assertTrue(corrupted(data, 1, () -> reader.event(4)).getMessage().contains("gzip"));
        verifyFails();

        fourBlocksOfThreeEventsAgain();
        replaceBlockConsistently(1, gzip("{\"not\": \"an event\"}\n[1, 2\n"));
        ArchiveReader again = reader();
        assertTrue(corrupted(data, 1, () -> again.event(4)).getMessage().contains("line 1"));
        verifyFails();
    }

    @Test
    void anEventChangedWithMatchingChecksumsFailsItsHashLink() throws IOException {
        // Someone rewrote block 1 with a changed amount and recomputed every checksum: the bytes
        // are "valid", only the stream's hash chain shows the change.
        List<String> lines = new ArrayList<>();
        for (ArchivedEvent e : log.between(4, 7)) {
            lines.add(e.toLine());
        }
        lines.set(0, lines.get(0).replace("\"event 3\"", "\"event 3 (changed)\""));
        replaceBlockConsistently(1, gzip(String.join("\n", lines) + "\n"));

        assertEquals(4, reader().event(4).orElseThrow().globalPosition()); // reads cannot tell
        ArchiveVerifier.Report report = verifyFails();
        assertEquals(1, report.anomalyCount(), report.anomalies().toString());
        assertTrue(report.anomalies().get(0).contains("acct-0 (tenant default) v2"));
        assertTrue(report.anomalies().get(0).contains("hash does not follow"));
    }

    @Test
    void anUnreadableManifestMakesOnlyItsRangeUnreadable() throws IOException {
        TestLog later = new TestLog(99).fill(3, 1);
        new ArchiveWriter(dir).write(100, 200, later.events().iterator());
        Files.writeString(manifestFile, "{\"arborArchive\": 1, \"from\": ");
        ArchiveReader reader = reader();
        assertEquals(2, reader.ranges().size());
        corrupted(manifestFile, -1, () -> reader.event(5));
        corrupted(manifestFile, -1, () -> reader.read(0, 10));
        assertEquals(3, reader.read(100, 10).size());
        assertEquals(1, verifyFails().anomalyCount());
    }

    @Test
    void aManifestOfAnotherFormatOrRangeIsRefused() throws IOException {
        String text = Files.readString(manifestFile);
        Files.writeString(manifestFile, text.replace("\"arborArchive\":1", "\"arborArchive\":2"));
        assertTrue(
                corrupted(manifestFile, -1, () -> reader().event(1))
                        .getMessage()
                        .contains("format 2"));
        Files.writeString(manifestFile, text);
        Files.move(manifestFile, dir.resolve("events-0-50.manifest.json"));
        Path moved = dir.resolve("events-0-50.manifest.json");
        assertTrue(corrupted(moved, -1, () -> reader().event(1)).getMessage().contains("[0, 100)"));
    }

    @Test
    void overlappingSegmentsMakeBothRangesUnreadable() throws IOException {
        Files.copy(manifestFile, dir.resolve("events-50-150.manifest.json"));
        ArchiveReader reader = reader();
        corrupted(manifestFile, -1, () -> reader.event(1));
        assertTrue(verifyFails().anomalies().stream().anyMatch(a -> a.contains("overlap")));
    }

    @Test
    void aLeftoverPartialIsNotPartOfTheArchiveAndVerifyListsIt() throws IOException {
        Files.writeString(dir.resolve("events-100-200.ndjson.gz.partial"), "garbage");
        Files.writeString(dir.resolve("events-100-200.manifest.json.partial"), "garbage");
        ArchiveReader reader = reader();
        assertEquals(List.of(new SegmentName(0, 100)), reader.ranges());
        assertEquals(java.util.Optional.empty(), reader.event(150));
        ArchiveVerifier.Report report = ArchiveVerifier.verify(dir);
        assertTrue(report.ok());
        assertEquals(2, report.leftovers().size());
    }
}
