package io.arbor.web.api;

import io.arbor.domain.EventQuery;
import io.arbor.domain.InvalidInputException;
import io.arbor.domain.QueryItem;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /events/query}, {@code {"items":[{"types":[…],"tags":[…]}],"after":P,
 * "limit":N}}, read into domain values; every refusal names its place by pointer ({@code
 * /items/1/tags/0}).
 */
record QueryRequest(EventQuery query, long after, int limit) {
    private static final Set<String> FIELDS = Set.of("items", "after", "limit");

    static QueryRequest from(JsonObject body, ReadLimits limits) {
        JsonFields fields = new JsonFields(body, "", FIELDS);
        EventQuery query = EventQueryJson.query(fields);
        long after = fields.integer("after", 0, Long.MAX_VALUE, 0);
        return new QueryRequest(query, after, limits.pageSize(fields));
    }

    /** The one-item query of {@code GET /events?tag=…&type=…}; refusals name the parameter. */
    static EventQuery ofParameters(List<String> tags, String type) {
        try {
            return new EventQuery(
                    List.of(new QueryItem(type == null ? null : List.of(type), tags)));
        } catch (InvalidInputException invalid) {
            String parameter =
                    invalid.pointer() != null && invalid.pointer().startsWith("/types")
                            ? "type"
                            : "tag";
            throw InvalidInputException.parameter(parameter, invalid.getMessage());
        }
    }
}
