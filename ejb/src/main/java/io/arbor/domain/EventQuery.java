package io.arbor.domain;

import java.util.List;

/**
 * Which events a query or an append condition means (api.md, "Tags, queries, multi-stream appends,
 * conditions"): those matching any of its items, 1 to {@link #MAX_ITEMS} of them. Pointers of a
 * refused item are relative to the query ({@code /items/2/tags/0}).
 */
public record EventQuery(List<QueryItem> items) {
    public static final int MAX_ITEMS = 32;

    public EventQuery {
        if (items == null || items.isEmpty()) {
            throw new InvalidInputException("/items", "A query has at least one item");
        }
        if (items.size() > MAX_ITEMS) {
            throw new InvalidInputException(
                    "/items", "At most " + MAX_ITEMS + " items, not " + items.size());
        }
        items = List.copyOf(items);
    }

    /** The index of the first item {@code event} matches, or -1. */
    public int matchingItem(String type, List<String> tags) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).matches(type, tags)) {
                return i;
            }
        }
        return -1;
    }
}
