package io.arbor.archive;

import io.arbor.spi.EventHash;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks an archive directory without a server ({@code arbor archive verify}) and, one segment, a
 * write before it commits ({@link ArchiveWriter}): every manifest reads; no two segments overlap;
 * every data file has its manifest's size and SHA-256; every block its SHA-256, decodes (gzip, one
 * event a line) to the positions and count the manifest says, in increasing order inside the range;
 * the count, tenants, recording times and per-stream version ranges are the manifest's; each
 * stream's versions increase; and every hash link the segment holds both ends of (a stream's
 * version 1, or two consecutive versions) is recomputed (docs/tamper-evidence.md).
 *
 * <p>Files ending in {@code .partial} and data files without a manifest are interrupted writes:
 * reported as leftovers, not anomalies, since no reader takes them for part of the archive.
 */
public final class ArchiveVerifier {
    /** Anomalies kept for the report; more are counted. */
    static final int KEEP = 100;

    private ArchiveVerifier() {}

    /**
     * What a verify found.
     *
     * @param segments the committed segments (manifests) found
     * @param events the events decoded
     * @param blocks the blocks checked
     * @param bytes the data files' bytes
     * @param hashLinks the hash links recomputed
     * @param anomalyCount every anomaly found
     * @param anomalies the first {@value #KEEP} of them
     * @param leftovers interrupted writes' files
     */
    public record Report(
            int segments,
            long events,
            long blocks,
            long bytes,
            long hashLinks,
            long anomalyCount,
            List<String> anomalies,
            List<String> leftovers) {
        public boolean ok() {
            return anomalyCount == 0;
        }
    }

    /** One segment's check: anomalies (all of them) and what was read. */
    record SegmentCheck(List<String> anomalies, long events, long blocks, long hashLinks) {}

    /** Verifies every segment of the archive in {@code directory}. */
    public static Report verify(Path directory) throws IOException {
        ArchiveReader reader = ArchiveReader.open(directory);
        List<String> anomalies = new ArrayList<>();
        long anomalyCount = 0;
        long events = 0;
        long blocks = 0;
        long bytes = 0;
        long links = 0;
        Set<String> committed = new HashSet<>();
        for (SegmentName name : reader.ranges()) {
            committed.add(name.dataFile());
            List<String> found;
            try {
                SegmentManifest manifest = reader.manifest(name);
                SegmentCheck check = verifySegment(name.data(directory), manifest);
                found = check.anomalies();
                events += check.events();
                blocks += check.blocks();
                links += check.hashLinks();
                bytes += manifest.fileSize();
            } catch (ArchiveCorruptedException unreadable) {
                found = List.of(unreadable.getMessage());
            }
            anomalyCount += found.size();
            for (String anomaly : found) {
                if (anomalies.size() < KEEP) {
                    anomalies.add(anomaly);
                }
            }
        }
        return new Report(
                reader.ranges().size(),
                events,
                blocks,
                bytes,
                links,
                anomalyCount,
                List.copyOf(anomalies),
                leftovers(directory, committed));
    }

    private static List<String> leftovers(Path directory, Set<String> committedData)
            throws IOException {
        List<String> leftovers = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith("events-") && name.endsWith(SegmentName.PARTIAL)) {
                    leftovers.add(name + ": an interrupted write (readers ignore it)");
                } else if (SegmentName.ofData(name).isPresent() && !committedData.contains(name)) {
                    leftovers.add(name + ": no manifest, an interrupted write (readers ignore it)");
                }
            }
        }
        leftovers.sort(null);
        return leftovers;
    }

    /** Checks the data file {@code data} against {@code manifest}. */
    static SegmentCheck verifySegment(Path data, SegmentManifest manifest) throws IOException {
        List<String> anomalies = new ArrayList<>();
        SegmentTally tally = new SegmentTally();
        long links = 0;
        long blocksRead = 0;
        boolean complete = true;
        try (SegmentFile file = SegmentFile.open(data, manifest)) {
            String sha256 = file.sha256();
            if (!sha256.equals(manifest.fileSha256())) {
                anomalies.add(
                        new ArchiveCorruptedException(
                                        data,
                                        -1,
                                        "its SHA-256 is "
                                                + sha256
                                                + ", the manifest says "
                                                + manifest.fileSha256())
                                .getMessage());
            }
            for (int block = 0; block < manifest.blocks().size(); block++) {
                try {
                    Iterator<ArchivedEvent> events = file.block(block);
                    while (events.hasNext()) {
                        ArchivedEvent event = events.next();
                        SegmentTally.Last last = tally.add(event, block);
                        String problem = link(event, last);
                        if (problem == null) {
                            links += event.hash() != null && linkable(event, last) ? 1 : 0;
                        } else {
                            anomalies.add(data + ", block " + block + ": " + problem);
                        }
                    }
                    blocksRead++;
                } catch (ArchiveCorruptedException corrupted) {
                    anomalies.add(corrupted.getMessage());
                    complete = false;
                    tally.forgetLastEvents();
                }
            }
        } catch (ArchiveCorruptedException unopenable) {
            return new SegmentCheck(List.of(unopenable.getMessage()), 0, 0, 0);
        }
        if (complete) {
            // Only when every block decoded: a missing block's events would show as differences.
            compare(anomalies, data, "tenants", manifest.tenants(), tally.tenants());
            compare(
                    anomalies,
                    data,
                    "minRecordedAt",
                    manifest.minRecordedAt(),
                    tally.minRecordedAt());
            compare(
                    anomalies,
                    data,
                    "maxRecordedAt",
                    manifest.maxRecordedAt(),
                    tally.maxRecordedAt());
            compare(anomalies, data, "streams", manifest.streams(), tally.streams());
        }
        return new SegmentCheck(List.copyOf(anomalies), tally.events(), blocksRead, links);
    }

    private static void compare(
            List<String> anomalies, Path data, String what, Object manifest, Object file) {
        if (!Objects.equals(manifest, file)) {
            String shown = String.valueOf(manifest);
            anomalies.add(
                    data
                            + ": the manifest's "
                            + what
                            + " are not the file's"
                            + (shown.length() < 300
                                    ? " (manifest " + shown + ", file " + file + ")"
                                    : ""));
        }
    }

    private static boolean linkable(ArchivedEvent event, SegmentTally.Last last) {
        return event.version() == 1
                || (last != null && last.version() == event.version() - 1 && last.hash() != null);
    }

    /**
     * What is wrong with the event's place in its stream: a version that is not the one after the
     * stream's previous event in the segment, or a hash that does not follow from its predecessor's
     * when the segment holds both; null when nothing.
     */
    static String link(ArchivedEvent event, SegmentTally.Last last) {
        String where =
                "stream "
                        + event.streamId()
                        + " (tenant "
                        + event.tenant()
                        + ") v"
                        + event.version()
                        + " at position "
                        + event.globalPosition();
        if (last != null && event.version() != last.version() + 1) {
            // Removals take a stream's prefix, never a hole (docs/lifecycle.md): between two of a
            // stream's events in one range, every version is in that range.
            return where
                    + " comes after its v"
                    + last.version()
                    + (event.version() <= last.version() ? "" : " (versions missing between)");
        }
        if (event.hash() == null || !linkable(event, last)) {
            return null;
        }
        byte[] previous = event.version() == 1 ? EventHash.GENESIS : EventHash.fromHex(last.hash());
        byte[] expected;
        try {
            expected =
                    EventHash.hash(
                            previous,
                            event.eventId(),
                            event.streamId(),
                            event.version(),
                            event.type(),
                            event.schemaVersion(),
                            event.data(),
                            event.metadata(),
                            event.tags());
        } catch (IllegalArgumentException notCanonical) {
            return where + ": its content cannot be hashed (" + notCanonical.getMessage() + ")";
        }
        if (!Arrays.equals(expected, EventHash.fromHex(event.hash()))) {
            return where
                    + ": its hash does not follow from "
                    + (event.version() == 1 ? "the genesis" : "v" + last.version() + "'s hash")
                    + " and its content (the event was changed)";
        }
        return null;
    }
}
