package io.arbor.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a JVM in the middle of writing a segment: no segment appears, readers and
 * verify see the leftovers for what they are, and the next write of the range succeeds.
 */
class KilledWriterTest {
    @TempDir Path dir;

    /** The killed JVM: writes a segment of events it makes up forever, slowly. */
    public static void main(String[] args) throws IOException {
        TestLog log = new TestLog(0);
        Iterator<ArchivedEvent> endless =
                new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return true;
                    }

                    @Override
                    public ArchivedEvent next() {
                        if (log.position() % 1000 == 0) {
                            try {
                                Thread.sleep(20);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        return log.append("acct-" + log.position() % 50, "{\"n\": 1}");
                    }
                };
        new ArchiveWriter(Path.of(args[0]), 100, 1 << 20).write(0, Long.MAX_VALUE, endless);
    }

    @Test
    void aWriterKilledMidSegmentLeavesNoSegmentAndTheRangeCanBeWrittenAgain()
            throws IOException, InterruptedException {
        Path partial = dir.resolve("events-0-" + Long.MAX_VALUE + ".ndjson.gz.partial");
        Process writer =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                KilledWriterTest.class.getName(),
                                dir.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("writer.log").toFile())
                        .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(Files.exists(partial) && Files.size(partial) > 20_000)) {
                assertTrue(writer.isAlive(), () -> "the writer died: " + log());
                assertTrue(System.nanoTime() < deadline, "no partial file grew within 60 s");
                Thread.sleep(50);
            }
        } finally {
            writer.destroyForcibly(); // SIGKILL: no finally block, no shutdown hook runs
            writer.waitFor();
        }
        Files.delete(dir.resolve("writer.log"));

        assertTrue(Files.exists(partial));
        ArchiveReader reader = ArchiveReader.open(dir);
        assertEquals(List.of(), reader.ranges());
        ArchiveVerifier.Report report = ArchiveVerifier.verify(dir);
        assertTrue(report.ok());
        assertEquals(1, report.leftovers().size(), report.leftovers().toString());

        TestLog log = new TestLog(0).fill(500, 7);
        new ArchiveWriter(dir).write(0, Long.MAX_VALUE, log.events().iterator());
        assertFalse(Files.exists(partial));
        assertEquals(500, ArchiveReader.open(dir).read(0, 1000).size());
        ArchiveVerifier.Report after = ArchiveVerifier.verify(dir);
        assertTrue(after.ok(), after.anomalies().toString());
        assertEquals(List.of(), after.leftovers());
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("writer.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
