package io.arbor.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.spi.EventHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segments written and read back: every column, block boundaries, the three kinds of read. */
class ArchiveReadWriteTest {
    @TempDir Path dir;

    /** Equal as the table would hold them: data and metadata compared as JSON values. */
    static void assertSameEvents(List<ArchivedEvent> expected, List<ArchivedEvent> actual) {
        assertEquals(
                expected.stream().map(ArchiveReadWriteTest::asValues).toList(),
                actual.stream().map(ArchiveReadWriteTest::asValues).toList());
    }

    private static ArchivedEvent asValues(ArchivedEvent e) {
        return new ArchivedEvent(
                e.tenant(),
                e.globalPosition(),
                e.eventId(),
                e.streamId(),
                e.version(),
                e.category(),
                e.type(),
                e.schemaVersion(),
                EventHash.canonicalJson(e.data()),
                EventHash.canonicalJson(e.metadata()),
                e.tags(),
                e.recordedAt(),
                e.writtenBy(),
                e.hash());
    }

    private SegmentManifest write(long from, long to, List<ArchivedEvent> events, int blockEvents)
            throws IOException {
        return new ArchiveWriter(dir, blockEvents, ArchiveWriter.DEFAULT_BLOCK_BYTES)
                .write(from, to, events.iterator());
    }

    private List<ArchivedEvent> readAll(ArchiveReader reader, long from, long to)
            throws IOException {
        List<ArchivedEvent> read = new ArrayList<>();
        try (ArchiveReader.EventCursor cursor = reader.cursor(from, to)) {
            cursor.forEachRemaining(read::add);
        }
        return read;
    }

    @Test
    void everyColumnRoundTripsUnicodeLargeDataTagsAndHashes() throws IOException {
        TestLog log = new TestLog(0);
        log.append(
                "tenant-b",
                "order-1",
                "{\"name\": \"Zoë 🌳 \\u0000 \\\"q\\\" ünï\"}",
                List.of("a:1", "ünï:✓"));
        log.append("default", "order-1", "{\"big\": \"" + "x".repeat(3_000_000) + "\"}", List.of());
        log.append(
                "default",
                "order-1",
                "{\"n\": 1.50, \"e\": 1e2, \"nested\": {\"b\": [1, {}, null, true]}}",
                List.of("t"));
        ArchivedEvent unchained =
                new ArchivedEvent(
                        "default",
                        10,
                        java.util.UUID.randomUUID(),
                        "legacy-9",
                        4,
                        "legacy",
                        "Old",
                        3,
                        "{}",
                        "{}",
                        List.of(),
                        java.time.Instant.parse("2020-01-01T00:00:00Z"),
                        null,
                        null);
        List<ArchivedEvent> events = new ArrayList<>(log.events());
        events.add(unchained);

        SegmentManifest manifest = write(0, 100, events, 1000);

        ArchiveReader reader = ArchiveReader.open(dir);
        assertSameEvents(events, readAll(reader, 0, 100));
        assertEquals(4, manifest.events());
        assertEquals(List.of("default", "tenant-b"), manifest.tenants());
        assertEquals(unchained.recordedAt(), manifest.minRecordedAt());
        assertEquals(events.get(2).recordedAt(), manifest.maxRecordedAt());
        // The 3 MB event closes its block (1 MiB of lines): blocks [1, 2] and [3, 10].
        assertEquals(2, manifest.blocks().size());
        assertEquals(Files.size(dir.resolve("events-0-100.ndjson.gz")), manifest.fileSize());
        assertEquals(manifest, reader.manifest(new SegmentName(0, 100)));
        assertTrue(ArchiveVerifier.verify(dir).ok());
    }

    @Test
    void numbersAsLongAsPostgresqlPrintsThemAndTheDeepestDataRoundTrip() throws IOException {
        // jsonb prints 1e1200 and -1e-1200 in full (1,201 digits each): Parsson's default limit
        // of 1,100 characters per number made the archiving of such a range fail on every pass.
        String big = "1" + "0".repeat(1200);
        String small = "-0." + "0".repeat(1199) + "1";
        String widest = "9".repeat(131_072) + "." + "9".repeat(16_383);
        String deep = "[".repeat(1000) + "]".repeat(1000);
        TestLog log = new TestLog(0);
        log.append(
                "default",
                "n-1",
                "{\"big\": " + big + ", \"small\": " + small + ", \"widest\": " + widest + "}",
                List.of());
        log.append("default", "n-1", "{\"deep\": " + deep + "}", List.of());

        write(0, 10, log.events(), 1000);

        List<ArchivedEvent> read = readAll(ArchiveReader.open(dir), 0, 10);
        jakarta.json.JsonObject data =
                JsonText.READERS
                        .createReader(new java.io.StringReader(read.get(0).data()))
                        .readObject();
        assertEquals(
                0,
                new java.math.BigDecimal(big)
                        .compareTo(data.getJsonNumber("big").bigDecimalValue()));
        assertEquals(
                0,
                new java.math.BigDecimal(small)
                        .compareTo(data.getJsonNumber("small").bigDecimalValue()));
        assertEquals(
                0,
                new java.math.BigDecimal(widest)
                        .compareTo(data.getJsonNumber("widest").bigDecimalValue()));
        assertEquals("{\"deep\":" + deep + "}", read.get(1).data());
        assertTrue(ArchiveVerifier.verify(dir).ok());
    }

    @Test
    void blocksSplitAtTheirEventCountAndReadsCrossThem() throws IOException {
        TestLog log = new TestLog(0).fill(10, 3);
        SegmentManifest manifest = write(1, 11, log.events(), 3);
        assertEquals(4, manifest.blocks().size());
        assertEquals(
                List.of(3, 3, 3, 1),
                manifest.blocks().stream().map(SegmentManifest.Block::events).toList());
        assertEquals(0, manifest.blocks().get(0).offset());
        assertEquals(
                manifest.fileSize(),
                manifest.blocks().stream().mapToLong(SegmentManifest.Block::length).sum());

        ArchiveReader reader = ArchiveReader.open(dir);
        assertSameEvents(log.between(3, 9), readAll(reader, 3, 9));
        assertSameEvents(log.between(4, 7), readAll(reader, 4, 7));
        assertSameEvents(log.between(1, 11), reader.read(0, 1000));
        assertSameEvents(log.between(7, 9), reader.read(7, 2));
    }

    @Test
    void aGlobalLogReadGoesAcrossSegmentsAndGaps() throws IOException {
        TestLog log = new TestLog(0).fill(5, 2).gap(10).fill(5, 2);
        write(0, 10, log.between(0, 10), 2);
        write(10, 21, log.between(10, 21), 2);
        write(30, 40, List.of(), 2); // an empty range: every event scavenged before archiving
        ArchiveReader reader = ArchiveReader.open(dir);

        assertEquals(
                List.of(new SegmentName(0, 10), new SegmentName(10, 21), new SegmentName(30, 40)),
                reader.ranges());
        assertSameEvents(log.events(), readAll(reader, 0, Long.MAX_VALUE));
        assertSameEvents(log.between(5, 22), reader.read(5, 100));
        assertEquals(List.of(), reader.read(21, 100));
        assertEquals(-1, reader.manifest(new SegmentName(30, 40)).firstPosition());
    }

    @Test
    void anEventByPositionReadsOneBlockAndGapsAreEmpty() throws IOException {
        TestLog log = new TestLog(0).fill(4, 2).gap(3).fill(4, 2);
        write(0, 50, log.events(), 2);
        ArchiveReader reader = ArchiveReader.open(dir);

        for (ArchivedEvent event : log.events()) {
            assertSameEvents(
                    List.of(event), reader.event(event.globalPosition()).stream().toList());
        }
        assertEquals(Optional.empty(), reader.event(6)); // a gap inside the segment
        assertEquals(Optional.empty(), reader.event(49)); // covered, past the last event
        assertEquals(Optional.empty(), reader.event(50)); // no segment
        assertEquals(Optional.of(new SegmentName(0, 50)), reader.rangeCovering(6));
    }

    @Test
    void aStreamReadUsesTheManifestsStreamRangesAcrossSegments() throws IOException {
        TestLog log = new TestLog(0);
        for (int i = 0; i < 30; i++) {
            log.append(i % 3 == 0 ? "hot-1" : "other-" + i, "{\"i\": " + i + "}");
            if (i % 10 == 0) {
                log.append("tenant-x", "hot-1", "{\"elsewhere\": true}", List.of());
            }
            if (i % 7 == 0) {
                // Lines that mention hot-1 without being its events.
                log.append("decoy-" + i, "{\"streamId\": \"hot-1\"}");
            }
        }
        long middle = log.events().get(20).globalPosition();
        write(0, middle, log.between(0, middle), 4);
        write(middle, 100, log.between(middle, 100), 4);
        ArchiveReader reader = ArchiveReader.open(dir);

        List<ArchivedEvent> hot =
                log.events().stream()
                        .filter(e -> e.tenant().equals("default") && e.streamId().equals("hot-1"))
                        .toList();
        assertSameEvents(hot, reader.readStream("default", "hot-1", 1, 1000));
        assertSameEvents(hot.subList(3, 7), reader.readStream("default", "hot-1", 4, 4));
        assertSameEvents(hot.subList(9, 10), reader.readStream("default", "hot-1", 10, 4));
        assertEquals(3, reader.readStream("tenant-x", "hot-1", 1, 100).size());
        assertEquals(List.of(), reader.readStream("default", "hot-1", 11, 100));
        assertEquals(List.of(), reader.readStream("default", "nobody", 1, 100));

        // tenant-x's hot-1 has 2 events in the first segment: a read of it opens 2 of its blocks.
        SegmentManifest first = reader.manifest(new SegmentName(0, middle));
        SegmentManifest.StreamRange range = first.stream("tenant-x", "hot-1").orElseThrow();
        assertEquals(1, range.firstVersion());
        assertEquals(2, range.lastVersion());
        assertEquals(2, range.blocks().size());
        assertTrue(first.blocks().size() > 2);
    }

    @Test
    void theWriterRefusesEventsOutOfOrderOrOutsideItsRangeAndCommitsNothing() throws IOException {
        TestLog log = new TestLog(0).fill(5, 2);
        List<ArchivedEvent> events = log.events();
        List<ArchivedEvent> reversed = List.of(events.get(1), events.get(0));

        assertThrows(IllegalArgumentException.class, () -> write(0, 10, reversed, 10));
        assertThrows(IllegalArgumentException.class, () -> write(2, 10, events, 10));
        assertThrows(IllegalArgumentException.class, () -> write(0, 5, events, 10));
        assertThrows(IllegalArgumentException.class, () -> write(5, 5, List.of(), 10));
        ArchivedEvent v1 = events.get(0);
        ArchivedEvent v1Again =
                new ArchivedEvent(
                        v1.tenant(),
                        9,
                        java.util.UUID.randomUUID(),
                        v1.streamId(),
                        1,
                        v1.category(),
                        v1.type(),
                        1,
                        "{}",
                        "{}",
                        List.of(),
                        v1.recordedAt(),
                        null,
                        null);
        assertThrows(IllegalArgumentException.class, () -> write(0, 10, List.of(v1, v1Again), 10));

        // acct-0's v1 then v3: v2 is missing, and removals never leave a hole.
        IllegalArgumentException gap =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> write(0, 10, List.of(events.get(0), events.get(4)), 10));
        assertTrue(gap.getMessage().contains("versions missing"), gap.getMessage());
        // A changed event (its hash no longer follows from its content): the store's chain is
        // broken, and the range is not archived.
        ArchivedEvent v2 = events.get(2);
        ArchivedEvent changed =
                new ArchivedEvent(
                        v2.tenant(),
                        v2.globalPosition(),
                        v2.eventId(),
                        v2.streamId(),
                        v2.version(),
                        v2.category(),
                        v2.type(),
                        v2.schemaVersion(),
                        "{\"n\": 999}",
                        v2.metadata(),
                        v2.tags(),
                        v2.recordedAt(),
                        v2.writtenBy(),
                        v2.hash());
        List<ArchivedEvent> tampered = List.of(events.get(0), events.get(1), changed);
        IllegalArgumentException broken =
                assertThrows(IllegalArgumentException.class, () -> write(0, 10, tampered, 10));
        assertTrue(broken.getMessage().contains("acct-0 (tenant default) v2"), broken.getMessage());

        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void aRangeOverlappingACommittedSegmentIsRefused() throws IOException {
        TestLog log = new TestLog(0).fill(20, 2);
        write(0, 10, log.between(0, 10), 10);
        IllegalArgumentException refused =
                assertThrows(
                        IllegalArgumentException.class, () -> write(5, 15, log.between(5, 15), 10));
        assertTrue(refused.getMessage().contains("[0, 10)"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> write(0, 10, log.between(0, 10), 10));
        assertSameEvents(log.between(0, 10), ArchiveReader.open(dir).read(0, 100));
    }

    @Test
    void leftoversOfACrashedWriteAreIgnoredAndTheNextWriteOfTheRangeReplacesThem()
            throws IOException {
        TestLog log = new TestLog(0).fill(6, 2);
        // A crash after the data file was written, before the manifest: partial data only.
        Files.writeString(dir.resolve("events-0-10.ndjson.gz.partial"), "half a file");
        // A crash between the two renames: a data file without its manifest.
        Files.writeString(dir.resolve("events-10-20.ndjson.gz"), "not committed");
        Files.writeString(dir.resolve("events-10-20.manifest.json.partial"), "{\"half\":");

        ArchiveReader before = ArchiveReader.open(dir);
        assertEquals(List.of(), before.ranges());
        assertEquals(Optional.empty(), before.event(3));
        ArchiveVerifier.Report report = ArchiveVerifier.verify(dir);
        assertTrue(report.ok());
        assertEquals(3, report.leftovers().size(), report.leftovers().toString());

        write(0, 10, log.events(), 4);
        write(10, 20, List.of(), 4);

        ArchiveReader after = ArchiveReader.open(dir);
        assertSameEvents(log.events(), after.read(0, 100));
        ArchiveVerifier.Report clean = ArchiveVerifier.verify(dir);
        assertTrue(clean.ok(), clean.anomalies().toString());
        assertEquals(List.of(), clean.leftovers());
        assertEquals(2, clean.segments());
        assertEquals(6, clean.events());
    }

    @Test
    void verifyRecomputesTheHashLinksTheSegmentHoldsBothEndsOf() throws IOException {
        TestLog log = new TestLog(0).fill(9, 3);
        write(0, 5, log.between(0, 5), 2);
        write(5, 20, log.between(5, 20), 2);

        ArchiveVerifier.Report report = ArchiveVerifier.verify(dir);
        assertTrue(report.ok(), report.anomalies().toString());
        // Positions 1..9 are acct-0, acct-1, acct-2 in turn. Segment [0, 5) holds the three v1s
        // and acct-0's v2: 4 links; segment [5, 20) holds the v2s of acct-1 and acct-2 (their v1
        // is in the other segment: not checkable) and the three v3s, of which acct-0's follows
        // its v2 in the other segment: 2 links.
        assertEquals(6, report.hashLinks());
    }

    @Test
    void eventsAtPositionsReadsEachWantedBlockOnceAndLeavesOutGapsAndUncoveredPositions()
            throws IOException {
        TestLog log = new TestLog(0).fill(25, 3).gap(3).fill(20, 3);
        write(0, 100, log.events(), 7); // blocks of 7 events: wanted positions span several
        ArchiveReader reader = ArchiveReader.open(dir);
        long[] wanted = {1, 2, 7, 8, 26, 27, 28, 29, 30, 44, 48, 99, 150};
        List<Long> expected =
                log.events().stream()
                        .map(ArchivedEvent::globalPosition)
                        .filter(p -> java.util.Arrays.stream(wanted).anyMatch(w -> w == p))
                        .toList();
        assertEquals(List.of(1L, 2L, 7L, 8L, 29L, 30L, 44L, 48L), expected, "the fixture's gaps");
        assertEquals(
                expected,
                reader.events(wanted).stream().map(ArchivedEvent::globalPosition).toList());
        assertSameEvents(
                log.events().stream().filter(e -> expected.contains(e.globalPosition())).toList(),
                reader.events(wanted));
        assertEquals(List.of(), reader.events(new long[] {26, 27, 28, 101}));
    }
}
