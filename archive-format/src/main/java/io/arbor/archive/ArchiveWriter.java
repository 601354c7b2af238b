package io.arbor.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes one archive segment, crash-safely (docs/archive.md, "Crash safety"):
 *
 * <ol>
 *   <li>each event is checked: increasing positions inside the range, each stream's versions
 *       consecutive, each hash link the segment will hold both ends of recomputed;
 *   <li>the events go to {@code events-F-T.ndjson.gz.partial} (any leftover of an earlier attempt
 *       is overwritten), in blocks of at most {@link #blockEvents} events or about {@link
 *       #blockBytes} uncompressed bytes, each block one gzip member; the file is fsynced;
 *   <li>the manifest goes to {@code events-F-T.manifest.json.partial}, fsynced;
 *   <li>the partial data file is read back and checked as {@code arbor archive verify} checks a
 *       segment (every block's SHA-256, every line decoded, positions, counts, streams, hash
 *       links), and the manifest read back must equal the one written;
 *   <li>the data file is renamed into place, then the manifest (the segment now exists: readers go
 *       by manifests), then the directory is fsynced so both renames are durable.
 * </ol>
 *
 * <p>A crash at any step leaves at most {@code .partial} files or a data file without manifest,
 * which readers ignore and the next write of the same range replaces. {@link #write} returns only
 * after step 4: the caller (the archiver, next) may then drop the range from PostgreSQL.
 *
 * <p>Not for two writers of one range at once: the caller serialises (the archiver holds a lock).
 */
public final class ArchiveWriter {
    public static final int DEFAULT_BLOCK_EVENTS = 1000;
    public static final int DEFAULT_BLOCK_BYTES = 1 << 20;

    private final Path directory;
    private final int blockEvents;
    private final int blockBytes;

    public ArchiveWriter(Path directory) {
        this(directory, DEFAULT_BLOCK_EVENTS, DEFAULT_BLOCK_BYTES);
    }

    /**
     * @param blockEvents the most events in one block
     * @param blockBytes a block is closed once its uncompressed lines reach this size (so one event
     *     larger than it is a block of its own)
     */
    public ArchiveWriter(Path directory, int blockEvents, int blockBytes) {
        if (blockEvents < 1 || blockBytes < 1) {
            throw new IllegalArgumentException("A block holds at least one event and one byte");
        }
        this.directory = directory;
        this.blockEvents = blockEvents;
        this.blockBytes = blockBytes;
    }

    /**
     * Writes the segment of positions {@code [from, to)} holding {@code events} (in increasing
     * position, each inside the range, each stream's versions consecutive), verifies it and commits
     * it.
     *
     * @return the committed segment's manifest
     * @throws IllegalArgumentException when the range is bad, an event is out of order or outside
     *     it, a hash link does not hold, or the range overlaps a committed segment (nothing is
     *     committed)
     * @throws ArchiveCorruptedException when reading back does not give what was written (nothing
     *     is committed)
     * @throws IOException when the files cannot be written
     */
    public SegmentManifest write(long from, long to, Iterator<ArchivedEvent> events)
            throws IOException {
        SegmentName name = new SegmentName(from, to);
        for (SegmentName committed : ArchiveReader.open(directory).ranges()) {
            if (committed.overlaps(name)) {
                throw new IllegalArgumentException(
                        "The archive already has the segment "
                                + committed
                                + ", which overlaps "
                                + name
                                + " (verify it with `arbor archive verify`)");
            }
        }
        Path data = name.data(directory);
        Path manifestFile = name.manifest(directory);
        Path dataPartial = SegmentName.partial(data);
        Path manifestPartial = SegmentName.partial(manifestFile);
        boolean committed = false;
        try {
            SegmentManifest manifest = writeData(name, events, dataPartial);
            writeDurably(manifestPartial, manifest.toJson().getBytes(StandardCharsets.UTF_8));
            readBack(dataPartial, manifestPartial, manifest);
            Files.move(dataPartial, data, StandardCopyOption.ATOMIC_MOVE);
            Files.move(manifestPartial, manifestFile, StandardCopyOption.ATOMIC_MOVE);
            committed = true;
            syncDirectory(directory);
            return manifest;
        } finally {
            if (!committed) {
                Files.deleteIfExists(manifestPartial);
                Files.deleteIfExists(dataPartial);
            }
        }
    }

    private SegmentManifest writeData(SegmentName name, Iterator<ArchivedEvent> events, Path file)
            throws IOException {
        SegmentTally tally = new SegmentTally();
        List<SegmentManifest.Block> blocks = new ArrayList<>();
        MessageDigest wholeFile = Checksums.sha256();
        long offset = 0;
        try (FileChannel channel = create(file)) {
            Block block = new Block();
            long previous = name.from() - 1;
            while (events.hasNext()) {
                ArchivedEvent event = events.next();
                long position = event.globalPosition();
                if (position <= previous || !name.covers(position)) {
                    throw new IllegalArgumentException(
                            "Event at position "
                                    + position
                                    + " after "
                                    + previous
                                    + ": a segment of "
                                    + name
                                    + " holds increasing positions inside it");
                }
                // The same check verify makes: versions consecutive, and every hash link the
                // segment holds both ends of. A range whose chain is broken in PostgreSQL is not
                // archived (the archive would fail verify forever): `arbor verify` says where.
                String problem = ArchiveVerifier.link(event, tally.add(event, blocks.size()));
                if (problem != null) {
                    throw new IllegalArgumentException("Not archiving " + name + ": " + problem);
                }
                previous = position;
                block.add(event);
                if (block.events == blockEvents || block.uncompressed.size() >= blockBytes) {
                    blocks.add(block.writeTo(channel, offset, wholeFile));
                    offset += blocks.get(blocks.size() - 1).length();
                    block = new Block();
                }
            }
            if (block.events > 0) {
                blocks.add(block.writeTo(channel, offset, wholeFile));
                offset += blocks.get(blocks.size() - 1).length();
            }
            channel.force(true);
        }
        return new SegmentManifest(
                name,
                tally.events(),
                tally.tenants(),
                tally.minRecordedAt(),
                tally.maxRecordedAt(),
                offset,
                Checksums.hex(wholeFile.digest()),
                blocks,
                tally.streams());
    }

    /** The lines of the block being filled, compressed when it is written. */
    private static final class Block {
        final ByteArrayOutputStream uncompressed = new ByteArrayOutputStream();
        int events;
        long firstPosition;
        long lastPosition;

        void add(ArchivedEvent event) {
            if (events++ == 0) {
                firstPosition = event.globalPosition();
            }
            lastPosition = event.globalPosition();
            byte[] line = (event.toLine() + "\n").getBytes(StandardCharsets.UTF_8);
            uncompressed.write(line, 0, line.length);
        }

        /** Appends the block as one gzip member at {@code offset}; its manifest entry. */
        SegmentManifest.Block writeTo(FileChannel channel, long offset, MessageDigest wholeFile)
                throws IOException {
            ByteArrayOutputStream compressed = new ByteArrayOutputStream(uncompressed.size() / 4);
            try (OutputStream gzip = new GZIPOutputStream(compressed, 1 << 14)) {
                uncompressed.writeTo(gzip);
            }
            byte[] bytes = compressed.toByteArray();
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer, offset + buffer.position());
            }
            wholeFile.update(bytes);
            return new SegmentManifest.Block(
                    offset,
                    bytes.length,
                    events,
                    firstPosition,
                    lastPosition,
                    Checksums.hex(Checksums.sha256().digest(bytes)));
        }
    }

    /**
     * Step 3: the files as written must read back as what was meant. Reads go through the page
     * cache, so this proves what the kernel holds, not the platters: fsync is what makes it stay.
     */
    private static void readBack(Path data, Path manifestFile, SegmentManifest manifest)
            throws IOException {
        SegmentManifest reread;
        try {
            reread =
                    SegmentManifest.parse(
                            Files.readString(manifestFile, StandardCharsets.UTF_8),
                            manifest.name());
        } catch (IllegalArgumentException unreadable) {
            throw new ArchiveCorruptedException(
                    manifestFile, -1, "reads back as " + unreadable.getMessage(), unreadable);
        }
        if (!reread.equals(manifest)) {
            throw new ArchiveCorruptedException(
                    manifestFile, -1, "reads back other than it was written");
        }
        List<String> anomalies = ArchiveVerifier.verifySegment(data, manifest).anomalies();
        if (!anomalies.isEmpty()) {
            throw new ArchiveCorruptedException(
                    data, -1, "reads back other than it was written: " + anomalies.get(0));
        }
    }

    private static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = create(file)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** Opens {@code file} for writing from empty: a leftover of an earlier attempt is replaced. */
    private static FileChannel create(Path file) throws IOException {
        return FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
    }

    /** Makes the directory's entries (the renames) durable: fsync of the directory itself. */
    static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
