package io.arbor.domain;

/**
 * A page of the stream listing: streams in id order after {@code after}, maybe of one category.
 * Operations tooling (the CLI's {@code streams list}, {@code export}, {@code verify}) walks every
 * stream with it; it is beyond api.md.
 *
 * @param category only streams of this category, or null for all
 * @param prefix only streams whose id starts with this (itself a valid stream id: the console's
 *     search), or null for all
 * @param after the last stream id of the previous page, or null to start at the first
 * @param limit 1 or more
 */
public record StreamListQuery(String category, String prefix, String after, int limit) {
    public StreamListQuery {
        if (limit < 1) {
            throw InvalidInputException.parameter("limit", "limit must be 1 or more");
        }
        if (category != null && category.isEmpty()) {
            category = null;
        }
        if (prefix != null && prefix.isEmpty()) {
            prefix = null;
        }
        if (prefix != null && !StreamId.isValid(prefix)) {
            throw InvalidInputException.parameter(
                    "prefix",
                    "A stream id prefix is 1 to "
                            + StreamId.MAX_LENGTH
                            + " characters of letters, digits and . _ : @ -");
        }
        if (after != null && after.isEmpty()) {
            after = null;
        }
        QueryText.check("category", category);
        QueryText.check("after", after);
    }
}
