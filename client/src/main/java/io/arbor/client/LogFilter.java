package io.arbor.client;

/**
 * Narrows a global-log read to one stream category and/or one event type.
 *
 * @param category a category ({@code account} for {@code account-42}), or null for all
 * @param type an event type, or null for all
 */
public record LogFilter(String category, String type) {
    /** Every event. */
    public static final LogFilter ALL = new LogFilter(null, null);

    public static LogFilter category(String category) {
        return new LogFilter(category, null);
    }

    public static LogFilter type(String type) {
        return new LogFilter(null, type);
    }
}
