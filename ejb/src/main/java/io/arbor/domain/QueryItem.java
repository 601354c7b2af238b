package io.arbor.domain;

import java.util.HashSet;
import java.util.List;

/**
 * One item of an {@link EventQuery}: it matches an event whose type is one of {@code types} (any
 * type when empty) and which carries every one of {@code tags}. An item names at least one type or
 * one tag; tags follow the rule for an event's ({@link Tags}), at most {@link #MAX_TYPES} distinct
 * types of 1 to 200 characters. Pointers are relative to the item ({@code /tags/0}, {@code
 * /types/2}); the web layer prefixes them.
 */
public record QueryItem(List<String> types, List<String> tags) {
    public static final int MAX_TYPES = 32;

    public QueryItem {
        types = checkTypes(types);
        tags = Tags.check("/tags", tags);
        if (types.isEmpty() && tags.isEmpty()) {
            throw new InvalidInputException("", "A query item names at least one type or one tag");
        }
    }

    /** Whether {@code event} matches this item. */
    public boolean matches(String type, List<String> eventTags) {
        return (types.isEmpty() || types.contains(type)) && eventTags.containsAll(tags);
    }

    private static List<String> checkTypes(List<String> types) {
        if (types == null) {
            return List.of();
        }
        if (types.size() > MAX_TYPES) {
            throw new InvalidInputException(
                    "/types", "At most " + MAX_TYPES + " types, not " + types.size());
        }
        HashSet<String> seen = new HashSet<>();
        for (int i = 0; i < types.size(); i++) {
            String type = types.get(i);
            if (type == null
                    || type.isEmpty()
                    || type.length() > NewEvent.MAX_TYPE_LENGTH
                    || type.indexOf('\u0000') >= 0) {
                throw new InvalidInputException(
                        "/types/" + i,
                        "A type is a string of 1 to "
                                + NewEvent.MAX_TYPE_LENGTH
                                + " characters without U+0000");
            }
            if (!seen.add(type)) {
                throw new InvalidInputException(
                        "/types/" + i, "Types must be distinct: \"" + type + "\" repeats");
            }
        }
        return List.copyOf(types);
    }
}
