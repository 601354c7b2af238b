package io.arbor.archive;

import io.arbor.spi.EventHash;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The figures in docs/archive.md ("Figures"): a program, not a test. Writes a segment of N events
 * (default 100,000) of the benchmark's small event and of a ~700-byte document event, then reports
 * the write rate (including the read-back verification), the file's size per million events against
 * the NDJSON lines', a sequential range read's rate, random reads by position, a stream read and
 * {@code arbor archive verify}'s time. Run from the worktree:
 *
 * <pre>
 * mvn -B -q -o test-compile -pl archive-format &amp;&amp; java -cp "archive-format/target/classes:\
 * archive-format/target/test-classes:$(cat /tmp/archive-cp)" io.arbor.archive.ArchiveFigures 100000
 * </pre>
 *
 * (with {@code mvn -q -o dependency:build-classpath -pl archive-format
 * -Dmdep.outputFile=/tmp/archive-cp} first).
 */
public final class ArchiveFigures {
    private ArchiveFigures() {}

    public static void main(String[] args) throws IOException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        System.out.printf(
                "%d events per segment, %d streams, blocks of %d events%n",
                count, count / 10, ArchiveWriter.DEFAULT_BLOCK_EVENTS);
        measure(
                "small (bench's Deposited)",
                count,
                i -> "{\"amount\":" + (i % 1000) + ",\"currency\":\"EUR\"}");
        Random random = new Random(7);
        String[] words = {
            "order",
            "customer",
            "shipped",
            "invoice",
            "Berlin",
            "Lisbon",
            "priority",
            "standard",
            "express",
            "gift"
        };
        measure(
                "document (~700 B of data)",
                count,
                i -> {
                    StringBuilder doc =
                            new StringBuilder("{\"orderId\":\"o-" + i + "\",\"lines\":[");
                    for (int line = 0; line < 6; line++) {
                        doc.append(line == 0 ? "" : ",")
                                .append("{\"sku\":\"SKU-")
                                .append(random.nextInt(100_000))
                                .append("\",\"qty\":")
                                .append(1 + random.nextInt(5))
                                .append(",\"price\":")
                                .append(random.nextInt(10_000) / 100.0)
                                .append(",\"note\":\"")
                                .append(words[random.nextInt(words.length)])
                                .append(' ')
                                .append(words[random.nextInt(words.length)])
                                .append("\"}");
                    }
                    return doc.append("],\"shipTo\":{\"city\":\"")
                            .append(words[4 + random.nextInt(2)])
                            .append("\",\"street\":\"Main Street ")
                            .append(random.nextInt(300))
                            .append("\"}}")
                            .toString();
                });
    }

    /** Wall and CPU time of this thread since it was made: a shared machine waits, CPU does not. */
    private static final class Timer {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private final long wall = System.nanoTime();
        private final long cpu = THREADS.getCurrentThreadCpuTime();

        double seconds() {
            return (System.nanoTime() - wall) / 1e9;
        }

        double cpuSeconds() {
            return (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9;
        }

        /** "N s (C s CPU), R per s (R' per CPU s)" for {@code count} things done. */
        String rate(long count) {
            double s = seconds();
            double c = cpuSeconds();
            return String.format(
                    "%.2f s (%.2f s CPU), %,.0f/s (%,.0f per CPU second)",
                    s, c, count / s, count / c);
        }
    }

    private static void measure(
            String shape, int count, java.util.function.IntFunction<String> data)
            throws IOException {
        Path dir = Files.createTempDirectory("arbor-archive-figures");
        try {
            List<ArchivedEvent> events = events(count, data);
            long jsonBytes = 0;
            for (ArchivedEvent event : events) {
                jsonBytes += (event.toLine() + "\n").getBytes(StandardCharsets.UTF_8).length;
            }
            Timer write = new Timer();
            SegmentManifest manifest =
                    new ArchiveWriter(dir).write(0, count + 1L, events.iterator());
            System.out.printf(
                    "%n%s%n  write (with its read-back verify): %s%n", shape, write.rate(count));
            System.out.printf(
                    "  NDJSON lines: %,d B (%,.0f MB per million events)%n"
                            + "  segment file: %,d B (%,.0f MB per million events, %.1f%% of the"
                            + " NDJSON)%n  manifest: %,d B (%d blocks, %d streams)%n",
                    jsonBytes,
                    jsonBytes / (count / 1e6) / 1e6,
                    manifest.fileSize(),
                    manifest.fileSize() / (count / 1e6) / 1e6,
                    100.0 * manifest.fileSize() / jsonBytes,
                    Files.size(dir.resolve(manifest.name().manifestFile())),
                    manifest.blocks().size(),
                    manifest.streams().size());
            ArchiveReader reader = ArchiveReader.open(dir);
            for (int run = 1; run <= 3; run++) {
                Timer read = new Timer();
                long done = 0;
                try (ArchiveReader.EventCursor cursor = reader.cursor(0, Long.MAX_VALUE)) {
                    while (cursor.hasNext()) {
                        cursor.next();
                        done++;
                    }
                }
                System.out.printf(
                        "  sequential range read, run %d: %,d events, %s%n",
                        run, done, read.rate(done));
            }
            Random random = new Random(1);
            int lookups = 1000;
            Timer lookup = new Timer();
            for (int i = 0; i < lookups; i++) {
                reader.event(1 + random.nextInt(count)).orElseThrow();
            }
            System.out.printf(
                    "  event by position: %,d random reads, %s; %.2f ms CPU each%n",
                    lookups, lookup.rate(lookups), lookup.cpuSeconds() * 1000 / lookups);
            Timer stream = new Timer();
            int streamEvents = reader.readStream("default", "acct-7", 1, Integer.MAX_VALUE).size();
            System.out.printf(
                    "  stream read (acct-7: %d events in %d blocks): %.0f ms (%.0f ms CPU)%n",
                    streamEvents,
                    reader.manifest(manifest.name()).stream("default", "acct-7")
                            .orElseThrow()
                            .blocks()
                            .size(),
                    stream.seconds() * 1000,
                    stream.cpuSeconds() * 1000);
            Timer verify = new Timer();
            ArchiveVerifier.Report report = ArchiveVerifier.verify(dir);
            System.out.printf(
                    "  archive verify: %s, %,d hash links, %s%n",
                    report.ok() ? "OK" : "FAILED", report.hashLinks(), verify.rate(count));
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    /** {@code count} chained events over count/10 streams, round robin, positions 1..count. */
    private static List<ArchivedEvent> events(
            int count, java.util.function.IntFunction<String> data) {
        int streams = Math.max(1, count / 10);
        byte[][] hashes = new byte[streams][];
        long[] versions = new long[streams];
        List<ArchivedEvent> events = new ArrayList<>(count);
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < count; i++) {
            int s = i % streams;
            long version = ++versions[s];
            UUID id = UUID.randomUUID();
            String text = data.apply(i);
            String metadata = "{\"correlationId\":\"" + UUID.randomUUID() + "\"}";
            byte[] previous = hashes[s] == null ? EventHash.GENESIS : hashes[s];
            hashes[s] =
                    EventHash.hash(
                            previous,
                            id,
                            "acct-" + s,
                            version,
                            "Deposited",
                            1,
                            text,
                            metadata,
                            List.of());
            at = at.plusNanos(137_000);
            events.add(
                    new ArchivedEvent(
                            "default",
                            i + 1,
                            id,
                            "acct-" + s,
                            version,
                            "acct",
                            "Deposited",
                            1,
                            text,
                            metadata,
                            List.of(),
                            at,
                            "svc-ledger",
                            EventHash.toHex(hashes[s])));
        }
        return events;
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }
}
