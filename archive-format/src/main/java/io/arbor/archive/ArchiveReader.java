package io.arbor.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Reads events from an archive directory: a range of the global log in position order, one event by
 * position, a stream's events from a version. Every block read is checked against its manifest
 * first (SHA-256, then what it decodes to); anything wrong throws {@link ArchiveCorruptedException}
 * naming the file and block, never an event that may be wrong.
 *
 * <p>The catalogue is the directory's manifests, read by {@link #open}: there is no second list to
 * disagree with them. A reader is a snapshot of the segments committed when it was opened (a
 * segment written later needs a new reader); files ending in {@code .partial} and data files
 * without a manifest are interrupted writes and are not part of the archive. A manifest that cannot
 * be read, or two that claim the same position, make reads of their ranges throw; other ranges
 * still read.
 *
 * <p>Thread-safe: immutable after {@link #open}; each read opens the data files it needs. Memory is
 * bounded by one block's compressed bytes and one decoded event per read in progress, plus the
 * manifests (whose stream lists grow with the number of streams in a segment).
 */
public final class ArchiveReader {
    private final Path directory;
    private final List<Segment> segments;

    /** A committed segment: its manifest, or why it cannot be read. */
    private record Segment(
            SegmentName name, SegmentManifest manifest, ArchiveCorruptedException unreadable) {
        SegmentManifest readable() {
            if (unreadable != null) {
                throw unreadable;
            }
            return manifest;
        }
    }

    private ArchiveReader(Path directory, List<Segment> segments) {
        this.directory = directory;
        this.segments = segments;
    }

    /**
     * The archive in {@code directory} as its manifests describe it now.
     *
     * @throws IOException when the directory cannot be listed
     */
    public static ArchiveReader open(Path directory) throws IOException {
        List<Segment> segments = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                Optional<SegmentName> name = SegmentName.ofManifest(file.getFileName().toString());
                if (name.isPresent()) {
                    segments.add(read(file, name.get()));
                }
            }
        }
        segments.sort(Comparator.comparingLong(segment -> segment.name().from()));
        for (int i = 1; i < segments.size(); i++) {
            Segment before = segments.get(i - 1);
            Segment after = segments.get(i);
            if (before.name().overlaps(after.name())) {
                String what = "the segments " + before.name() + " and " + after.name() + " overlap";
                segments.set(i - 1, overlapping(directory, before, what));
                segments.set(i, overlapping(directory, after, what));
            }
        }
        return new ArchiveReader(directory, List.copyOf(segments));
    }

    private static Segment read(Path file, SegmentName name) throws IOException {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return new Segment(name, SegmentManifest.parse(text, name), null);
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException bad) {
            return new Segment(
                    name,
                    null,
                    new ArchiveCorruptedException(
                            file, -1, "the manifest cannot be read: " + bad.getMessage(), bad));
        }
    }

    private static Segment overlapping(Path directory, Segment segment, String what) {
        return new Segment(
                segment.name(),
                null,
                new ArchiveCorruptedException(segment.name().manifest(directory), -1, what));
    }

    public Path directory() {
        return directory;
    }

    /** Every committed segment's range, in position order, readable or not. */
    public List<SegmentName> ranges() {
        return segments.stream().map(Segment::name).toList();
    }

    /**
     * The manifest of the segment {@code name}.
     *
     * @throws ArchiveCorruptedException when its manifest cannot be read (or overlaps another)
     * @throws NoSuchElementException when there is no such segment
     */
    public SegmentManifest manifest(SegmentName name) {
        return segments.stream()
                .filter(segment -> segment.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("No archive segment " + name))
                .readable();
    }

    /** The segment covering {@code position}, if one does. */
    public Optional<SegmentName> rangeCovering(long position) {
        int index = segmentCovering(position);
        return index < 0 ? Optional.empty() : Optional.of(segments.get(index).name());
    }

    private int segmentCovering(long position) {
        int low = 0;
        int high = segments.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            SegmentName name = segments.get(middle).name();
            if (position < name.from()) {
                high = middle - 1;
            } else if (position >= name.to()) {
                low = middle + 1;
            } else {
                return middle;
            }
        }
        return -1;
    }

    /**
     * The event at {@code position}; empty when no segment covers it or the segment has no event
     * there (positions have gaps). Reads one block.
     */
    public Optional<ArchivedEvent> event(long position) throws IOException {
        int index = segmentCovering(position);
        if (index < 0) {
            return Optional.empty();
        }
        SegmentManifest manifest = segments.get(index).readable();
        int block = manifest.blockHolding(position);
        if (block < 0) {
            return Optional.empty();
        }
        try (SegmentFile file = openFile(manifest)) {
            SegmentFile.BlockEvents events = file.block(block);
            events.skipBelow(position);
            if (events.hasNext()) {
                ArchivedEvent event = events.next();
                if (event.globalPosition() == position) {
                    return Optional.of(event);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * The events at {@code positions} (ascending), in position order; positions that no segment
     * covers or that hold no event (gaps) are left out. Each block holding a wanted position is
     * read once, however many of them it holds (a consumer group's leases, a query's matches).
     */
    public List<ArchivedEvent> events(long[] positions) throws IOException {
        List<ArchivedEvent> found = new ArrayList<>();
        int i = 0;
        while (i < positions.length) {
            int index = segmentCovering(positions[i]);
            if (index < 0) {
                i++;
                continue;
            }
            SegmentManifest manifest = segments.get(index).readable();
            long to = manifest.name().to();
            try (SegmentFile file = openFile(manifest)) {
                while (i < positions.length && positions[i] < to) {
                    int block = manifest.blockHolding(positions[i]);
                    if (block < 0) {
                        i++;
                        continue;
                    }
                    long last = manifest.blocks().get(block).lastPosition();
                    SegmentFile.BlockEvents events = file.block(block);
                    while (i < positions.length && positions[i] <= last) {
                        events.skipBelow(positions[i]);
                        if (events.hasNext()) {
                            ArchivedEvent event = events.next();
                            if (event.globalPosition() == positions[i]) {
                                found.add(event);
                            } else {
                                // a gap: the event read is past the wanted one, maybe the next
                                // wanted; read on from it
                                while (i + 1 < positions.length
                                        && positions[i + 1] < event.globalPosition()) {
                                    i++;
                                }
                                if (i + 1 < positions.length
                                        && positions[i + 1] == event.globalPosition()) {
                                    found.add(event);
                                    i++;
                                }
                            }
                        }
                        i++;
                    }
                }
            }
        }
        return found;
    }

    /**
     * Up to {@code limit} events at positions {@code from} and above, in position order, across
     * segments (all tenants: the caller filters).
     */
    public List<ArchivedEvent> read(long from, int limit) throws IOException {
        List<ArchivedEvent> page = new ArrayList<>(Math.min(limit, 1000));
        try (EventCursor cursor = cursor(from, Long.MAX_VALUE)) {
            while (page.size() < limit && cursor.hasNext()) {
                page.add(cursor.next());
            }
        }
        return page;
    }

    /**
     * The events at positions {@code [from, to)}, in position order, read one block at a time as
     * they are consumed. Close it when done (it holds the current segment's file open).
     */
    public EventCursor cursor(long from, long to) {
        return new EventCursor(from, to);
    }

    /**
     * Up to {@code limit} events of the stream {@code streamId} of {@code tenant} from version
     * {@code fromVersion}, in version order, reading only the blocks the manifests list for it.
     */
    public List<ArchivedEvent> readStream(
            String tenant, String streamId, long fromVersion, int limit) throws IOException {
        List<ArchivedEvent> page = new ArrayList<>();
        String member = ArchivedEvent.streamIdMember(streamId);
        for (Segment segment : segments) {
            if (page.size() >= limit) {
                break;
            }
            SegmentManifest manifest = segment.readable();
            Optional<SegmentManifest.StreamRange> range = manifest.stream(tenant, streamId);
            if (range.isEmpty() || range.get().lastVersion() < fromVersion) {
                continue;
            }
            try (SegmentFile file = openFile(manifest)) {
                for (int block : range.get().blocks()) {
                    SegmentFile.BlockEvents events = file.block(block);
                    while (page.size() < limit) {
                        // Most lines of a block are other streams': only a line holding the
                        // stream id member as the writer writes it can be one of this stream's.
                        events.skipUnless(member);
                        if (!events.hasNext()) {
                            break;
                        }
                        ArchivedEvent event = events.next();
                        if (event.tenant().equals(tenant)
                                && event.streamId().equals(streamId)
                                && event.version() >= fromVersion) {
                            page.add(event);
                        }
                    }
                    if (page.size() >= limit) {
                        break;
                    }
                }
            }
        }
        return page;
    }

    private SegmentFile openFile(SegmentManifest manifest) throws IOException {
        return SegmentFile.open(manifest.name().data(directory), manifest);
    }

    /** The events of a position range, block by block; an iterator to close. */
    public final class EventCursor implements Iterator<ArchivedEvent>, AutoCloseable {
        private final long from;
        private final long to;
        private int segment;
        private SegmentFile file;
        private int block;
        private Iterator<ArchivedEvent> events;
        private ArchivedEvent next;

        private EventCursor(long from, long to) {
            this.from = from;
            this.to = to;
            int covering = segmentCovering(from);
            int first = 0;
            while (covering < 0
                    && first < segments.size()
                    && segments.get(first).name().to() <= from) {
                first++;
            }
            this.segment = covering >= 0 ? covering : first;
        }

        @Override
        public boolean hasNext() {
            try {
                while (next == null) {
                    if (events != null && events.hasNext()) {
                        ArchivedEvent event = events.next();
                        if (event.globalPosition() >= to) {
                            finish();
                            return false;
                        }
                        if (event.globalPosition() >= from) {
                            next = event;
                        }
                        continue;
                    }
                    if (!nextBlock()) {
                        return false;
                    }
                }
                return true;
            } catch (IOException unreadable) {
                throw new UncheckedIOException(unreadable);
            }
        }

        /** Moves to the next block holding positions in range; false at the range's end. */
        private boolean nextBlock() throws IOException {
            while (true) {
                if (file != null) {
                    SegmentManifest manifest = file.manifest();
                    if (block < manifest.blocks().size()
                            && manifest.blocks().get(block).firstPosition() < to) {
                        SegmentFile.BlockEvents blockEvents = file.block(block++);
                        blockEvents.skipBelow(from);
                        events = blockEvents;
                        return true;
                    }
                    file.close();
                    file = null;
                    segment++;
                }
                if (segment >= segments.size() || segments.get(segment).name().from() >= to) {
                    finish();
                    return false;
                }
                SegmentManifest manifest = segments.get(segment).readable();
                file = openFile(manifest);
                block = manifest.firstBlockFrom(from);
            }
        }

        private void finish() throws IOException {
            events = null;
            segment = segments.size();
            close();
        }

        @Override
        public ArchivedEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ArchivedEvent event = next;
            next = null;
            return event;
        }

        @Override
        public void close() throws IOException {
            if (file != null) {
                file.close();
                file = null;
            }
        }
    }
}
