package io.arbor.domain.groups;

import io.arbor.domain.InvalidInputException;

/**
 * Where a group starts or is reset to: the beginning of the log, its end (the horizon at that
 * moment: history is skipped), or after a position.
 *
 * @param position the position delivery resumes after, or -1 for the end
 */
public record LogPoint(long position) {
    public static final LogPoint BEGINNING = new LogPoint(0);
    public static final LogPoint END = new LogPoint(-1);

    public boolean isEnd() {
        return position < 0;
    }

    /** The position to resume after, given the log's horizon now. */
    public long resolve(long horizon) {
        return isEnd() ? horizon : position;
    }

    /** {@code "beginning"}, {@code "end"} or a position of 0 or more. */
    public static LogPoint parse(Object value, String pointer) {
        if ("beginning".equals(value)) {
            return BEGINNING;
        }
        if ("end".equals(value)) {
            return END;
        }
        if (value instanceof Long position && position >= 0) {
            return new LogPoint(position);
        }
        throw new InvalidInputException(
                pointer, "must be \"beginning\", \"end\" or a position of 0 or more");
    }
}
