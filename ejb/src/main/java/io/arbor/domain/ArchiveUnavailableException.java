package io.arbor.domain;

/**
 * A range of the global log that the archive holds cannot be read: its segment is corrupted,
 * missing or unreadable (docs/archive.md, "What reads do"). The read answers nothing rather than
 * events that may be wrong; reads of other ranges go on. 503: a repair of the directory (from a
 * backup) makes it readable again.
 */
public class ArchiveUnavailableException extends ArborException {
    private final long from;
    private final long to;

    public ArchiveUnavailableException(long from, long to, String why, Throwable cause) {
        super(
                "The archived range ["
                        + from
                        + ", "
                        + to
                        + ") of the global log cannot be read: "
                        + why,
                cause);
        this.from = from;
        this.to = to;
    }

    /** The range's first position. */
    public long from() {
        return from;
    }

    /** The range's end (exclusive). */
    public long to() {
        return to;
    }
}
