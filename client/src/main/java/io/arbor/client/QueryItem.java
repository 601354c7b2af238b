package io.arbor.client;

import java.util.List;

/**
 * One item of an {@link EventQuery}: it matches an event whose type is one of {@code types} (any
 * type when empty) and which carries every one of {@code tags}. The server checks the rules (at
 * least one type or tag; tags as on events) and answers 400 otherwise.
 */
public record QueryItem(List<String> types, List<String> tags) {
    public QueryItem {
        types = types == null ? List.of() : List.copyOf(types);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** Events carrying every one of {@code tags}, of any type. */
    public static QueryItem tags(String... tags) {
        return new QueryItem(List.of(), List.of(tags));
    }

    /** Events of any of {@code types}. */
    public static QueryItem types(String... types) {
        return new QueryItem(List.of(types), List.of());
    }

    /** This item, restricted to events of any of {@code types}. */
    public QueryItem ofTypes(String... types) {
        return new QueryItem(List.of(types), tags);
    }
}
