package io.arbor.client;

/**
 * Which events a consumer group delivers: those of one category and/or one type, or of one stream.
 * A group's filter is fixed when it is created (a different one is refused with {@link
 * GroupFilterChangedException}).
 *
 * @param category a category ({@code account} for {@code account-42}), or null for all
 * @param type an event type, or null for all
 * @param streamId one stream, or null; the server refuses it beside a category or type
 */
public record GroupFilter(String category, String type, String streamId) {
    /** Every event. */
    public static final GroupFilter ALL = new GroupFilter(null, null, null);

    public static GroupFilter category(String category) {
        return new GroupFilter(category, null, null);
    }

    public static GroupFilter type(String type) {
        return new GroupFilter(null, type, null);
    }

    public static GroupFilter stream(String streamId) {
        return new GroupFilter(null, null, streamId);
    }
}
