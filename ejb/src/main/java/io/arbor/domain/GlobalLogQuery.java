package io.arbor.domain;

/**
 * Which part of the global log to read.
 *
 * @param after read events whose position is greater than this (0 reads from the start)
 * @param category only events of streams in this category, or {@code null} for all
 * @param type only events of this type, or {@code null} for all
 */
public record GlobalLogQuery(long after, int limit, String category, String type) {
    public GlobalLogQuery {
        if (after < 0) {
            throw InvalidInputException.parameter("after", "after must be 0 or a positive integer");
        }
        if (limit < 1) {
            throw InvalidInputException.parameter("limit", "limit must be 1 or more");
        }
        category = QueryText.check("category", blankToNull(category));
        type = QueryText.check("type", blankToNull(type));
    }

    private static String blankToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
