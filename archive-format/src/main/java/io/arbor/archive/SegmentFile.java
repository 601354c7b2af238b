package io.arbor.archive;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;

/**
 * A segment's data file open for reading its blocks, each checked against the manifest before any
 * of its events is handed out: its SHA-256 first (so a flipped byte never reaches a reader), then
 * as it is decoded its gzip, its lines, and that it holds the positions and count the manifest
 * says. Positional reads of one channel: several threads may read blocks of one open file.
 */
final class SegmentFile implements Closeable {
    /** Far above any block the writer makes (one event is at most a few MiB); a sanity bound. */
    private static final long MAX_BLOCK_BYTES = 256L << 20;

    private final Path path;
    private final SegmentManifest manifest;
    private final FileChannel channel;

    private SegmentFile(Path path, SegmentManifest manifest, FileChannel channel) {
        this.path = path;
        this.manifest = manifest;
        this.channel = channel;
    }

    /**
     * Opens {@code path}, the data file {@code manifest} describes.
     *
     * @throws ArchiveCorruptedException when the file is missing or its size is not the manifest's
     */
    static SegmentFile open(Path path, SegmentManifest manifest) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException missing) {
            throw new ArchiveCorruptedException(path, -1, "the data file is missing");
        }
        long size = channel.size();
        if (size != manifest.fileSize()) {
            channel.close();
            throw new ArchiveCorruptedException(
                    path,
                    -1,
                    "the file is "
                            + size
                            + " bytes but its manifest says "
                            + manifest.fileSize()
                            + (size < manifest.fileSize() ? " (truncated)" : ""));
        }
        return new SegmentFile(path, manifest, channel);
    }

    Path path() {
        return path;
    }

    SegmentManifest manifest() {
        return manifest;
    }

    /** The SHA-256 of the whole file, hex. */
    String sha256() throws IOException {
        MessageDigest digest = Checksums.sha256();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        long at = 0;
        while (true) {
            buffer.clear();
            int read = channel.read(buffer, at);
            if (read < 0) {
                return Checksums.hex(digest.digest());
            }
            digest.update(buffer.array(), 0, read);
            at += read;
        }
    }

    /**
     * The events of block {@code index}, in position order, checked as they are decoded. The
     * block's compressed bytes are held while it is read (a block is bounded), its events are
     * decoded one line at a time.
     *
     * @throws ArchiveCorruptedException (now or from the iterator) when the block is not what the
     *     manifest says
     */
    BlockEvents block(int index) {
        SegmentManifest.Block block = manifest.blocks().get(index);
        if (block.length() > MAX_BLOCK_BYTES) {
            throw corrupted(index, "the manifest gives it " + block.length() + " bytes", null);
        }
        byte[] compressed = new byte[(int) block.length()];
        ByteBuffer buffer = ByteBuffer.wrap(compressed);
        try {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, block.offset() + buffer.position()) < 0) {
                    throw corrupted(index, "the file ends inside the block", null);
                }
            }
        } catch (IOException unreadable) {
            throw new UncheckedIOException("Cannot read " + path + ": " + unreadable, unreadable);
        }
        String sha256 = Checksums.hex(Checksums.sha256().digest(compressed));
        if (!sha256.equals(block.sha256())) {
            throw corrupted(
                    index,
                    "its SHA-256 is " + sha256 + ", the manifest says " + block.sha256(),
                    null);
        }
        return new BlockEvents(index, block, compressed);
    }

    private ArchiveCorruptedException corrupted(int index, String what, Throwable cause) {
        return new ArchiveCorruptedException(path, index, what, cause);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /**
     * A checked block's events, one line at a time. Each line's position is read without parsing
     * the line (the writer puts {@code "globalPosition":} before any member a client wrote, and a
     * quote inside a JSON string is escaped, so its first occurrence is the member), so that {@link
     * #skipBelow} passes over the lines before a wanted position cheaply: a read by position
     * decodes one event, not half a block. The positions and count are checked for every line,
     * skipped or not; the whole line is parsed only for the events handed out ({@code arbor archive
     * verify} parses them all).
     */
    final class BlockEvents implements Iterator<ArchivedEvent> {
        private static final String POSITION = "\"globalPosition\":";

        private final int index;
        private final SegmentManifest.Block block;
        private final BufferedReader lines;
        private String line;
        private long linePosition;
        private int lineNumber;
        private boolean ended;

        BlockEvents(int index, SegmentManifest.Block block, byte[] compressed) {
            this.index = index;
            this.block = block;
            this.linePosition = block.firstPosition() - 1;
            try {
                this.lines =
                        new BufferedReader(
                                new InputStreamReader(
                                        new GZIPInputStream(
                                                new ByteArrayInputStream(compressed), 1 << 14),
                                        StandardCharsets.UTF_8));
            } catch (IOException notGzip) {
                throw corrupted(index, "not gzip (" + notGzip.getMessage() + ")", notGzip);
            }
        }

        /** Passes over the lines of positions below {@code position} without parsing them. */
        void skipBelow(long position) {
            while (hasNext() && linePosition < position) {
                line = null;
            }
        }

        /**
         * Passes over the lines that do not contain {@code text} without parsing them: a cheap
         * filter for a caller whose events all contain it (a line is the event's JSON).
         */
        void skipUnless(String text) {
            while (hasNext() && !line.contains(text)) {
                line = null;
            }
        }

        @Override
        public boolean hasNext() {
            if (line == null && !ended) {
                readLine();
            }
            return line != null;
        }

        @Override
        public ArchivedEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ArchivedEvent event;
            try {
                event = ArchivedEvent.fromLine(line);
            } catch (IllegalArgumentException notAnEvent) {
                throw corrupted(
                        index, "line " + lineNumber + ": " + notAnEvent.getMessage(), notAnEvent);
            }
            if (event.globalPosition() != linePosition) {
                throw corrupted(index, "line " + lineNumber + " has two positions", null);
            }
            line = null;
            return event;
        }

        /** The next line and its position, checked against the manifest; null at the end. */
        private void readLine() {
            String read;
            try {
                read = lines.readLine();
            } catch (IOException badGzip) {
                throw corrupted(index, "not gzip (" + badGzip.getMessage() + ")", badGzip);
            }
            if (read == null) {
                ended = true;
                if (lineNumber != block.events() || linePosition != block.lastPosition()) {
                    throw corrupted(
                            index,
                            "it holds "
                                    + lineNumber
                                    + " events up to position "
                                    + linePosition
                                    + ", the manifest says "
                                    + block.events()
                                    + " up to "
                                    + block.lastPosition(),
                            null);
                }
                return;
            }
            lineNumber++;
            long position = position(read);
            if (position <= linePosition
                    || position > block.lastPosition()
                    || lineNumber > block.events()
                    || (lineNumber == 1 && position != block.firstPosition())) {
                throw corrupted(
                        index,
                        "line "
                                + lineNumber
                                + " holds position "
                                + position
                                + (lineNumber == 1 ? "" : " after " + linePosition)
                                + ", the manifest says "
                                + block.events()
                                + " events at "
                                + block.firstPosition()
                                + ".."
                                + block.lastPosition(),
                        null);
            }
            line = read;
            linePosition = position;
        }

        private long position(String read) {
            int at = read.indexOf(POSITION);
            int end = at < 0 ? -1 : at + POSITION.length();
            int digits = end;
            while (digits >= 0
                    && digits < read.length()
                    && Character.isDigit(read.charAt(digits))) {
                digits++;
            }
            if (end < 0 || digits == end || digits - end > 18) {
                throw corrupted(
                        index,
                        "line " + lineNumber + ": not an archived event (no position)",
                        null);
            }
            return Long.parseLong(read, end, digits, 10);
        }
    }
}
