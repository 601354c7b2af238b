package io.arbor.client;

/**
 * Where a consumer group starts, or is reset to: the beginning of the global log, its end (history
 * skipped), or just after a position.
 *
 * @param position the position delivery resumes after (0: the beginning), or -1 for the end
 */
public record LogPoint(long position) {
    public static final LogPoint BEGINNING = new LogPoint(0);
    public static final LogPoint END = new LogPoint(-1);

    public LogPoint {
        if (position < -1) {
            throw new IllegalArgumentException("a position is 0 or more");
        }
    }

    /** Delivery resumes after {@code position} (0 or more). */
    public static LogPoint after(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("a position is 0 or more, not " + position);
        }
        return new LogPoint(position);
    }

    /**
     * {@code beginning}, {@code end} or a position, as a person types it.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static LogPoint parse(String text) {
        return switch (text) {
            case "beginning" -> BEGINNING;
            case "end" -> END;
            default -> {
                if (text.isEmpty() || !text.chars().allMatch(Character::isDigit)) {
                    throw new IllegalArgumentException(
                            "a log point is beginning, end or a position, not '" + text + "'");
                }
                try {
                    yield after(Long.parseLong(text));
                } catch (NumberFormatException tooLarge) {
                    throw new IllegalArgumentException("position out of range: " + text);
                }
            }
        };
    }

    /** Whether this is the log's end (as of the request). */
    public boolean isEnd() {
        return position < 0;
    }

    /** {@code "beginning"}, {@code "end"} or the position, as the API takes it. */
    jakarta.json.JsonValue toJson() {
        if (isEnd()) {
            return jakarta.json.Json.createValue("end");
        }
        return position == 0
                ? jakarta.json.Json.createValue("beginning")
                : jakarta.json.Json.createValue(position);
    }

    @Override
    public String toString() {
        return isEnd() ? "end" : position == 0 ? "beginning" : Long.toString(position);
    }
}
