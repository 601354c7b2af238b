package io.arbor.archive;

import java.nio.file.Path;

/**
 * An archive file is not what its manifest says, or cannot be read as a segment: a checksum that
 * does not match, a file shorter or longer than its manifest says, a missing file, a block that is
 * not gzip or whose lines are not events, events other than the manifest promises, a manifest that
 * cannot be read. A read that meets one throws this instead of answering; the REST layer is to
 * answer 503 problem+json (docs/archive.md, "What reads do"), never data that may be wrong.
 */
public class ArchiveCorruptedException extends RuntimeException {
    private final Path file;
    private final int block;

    /**
     * @param file the file that is wrong (a data file or a manifest)
     * @param block the index of the block that is wrong in its manifest; -1 when it is not one
     *     block's
     * @param what what is wrong
     */
    public ArchiveCorruptedException(Path file, int block, String what) {
        super(describe(file, block, what));
        this.file = file;
        this.block = block;
    }

    public ArchiveCorruptedException(Path file, int block, String what, Throwable cause) {
        super(describe(file, block, what), cause);
        this.file = file;
        this.block = block;
    }

    private static String describe(Path file, int block, String what) {
        return "Archive file "
                + file
                + (block >= 0 ? ", block " + block : "")
                + " is corrupted: "
                + what;
    }

    /** The file that is wrong. */
    public Path file() {
        return file;
    }

    /** The index of the block that is wrong; -1 when the problem is not one block's. */
    public int block() {
        return block;
    }
}
