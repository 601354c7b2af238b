package io.arbor.domain;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rule for tags (api.md: 0 to 32 distinct strings of 1 to 200 characters, none a control
 * character), shared by an event's tags and a query item's: one place says what a tag may be.
 */
public final class Tags {
    public static final int MAX_COUNT = 32;
    public static final int MAX_LENGTH = 200;

    private Tags() {}

    /**
     * {@code tags} as an unmodifiable list ({@code []} for null), or an {@link
     * InvalidInputException} whose pointer is {@code pointer} ({@code /tags}) or one of its
     * elements ({@code /tags/3}).
     */
    public static List<String> check(String pointer, List<String> tags) {
        if (tags == null) {
            return List.of();
        }
        if (tags.size() > MAX_COUNT) {
            throw new InvalidInputException(
                    pointer, "At most " + MAX_COUNT + " tags, not " + tags.size());
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < tags.size(); i++) {
            String tag = tags.get(i);
            String at = pointer + "/" + i;
            if (tag == null || tag.isEmpty() || tag.length() > MAX_LENGTH) {
                throw new InvalidInputException(
                        at, "A tag is a string of 1 to " + MAX_LENGTH + " characters");
            }
            for (int c = 0; c < tag.length(); c++) {
                if (Character.isISOControl(tag.charAt(c))) {
                    throw new InvalidInputException(
                            at,
                            "A tag cannot contain a control character (U+0000-U+001F, U+007F-U+009F)");
                }
            }
            if (!seen.add(tag)) {
                throw new InvalidInputException(
                        at, "Tags must be distinct: \"" + tag + "\" repeats");
            }
        }
        return List.copyOf(tags);
    }
}
