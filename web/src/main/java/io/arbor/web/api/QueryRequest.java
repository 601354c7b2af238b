package io.arbor.web.api;

import io.arbor.domain.EventQuery;
import io.arbor.domain.InvalidInputException;
import io.arbor.domain.QueryItem;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /events/query}, {@code {"items":[{"types":[…],"tags":[…]}],"after":P,
 * "limit":N}}, read into domain values; every refusal names its place by pointer ({@code
 * /items/1/tags/0}).
 */
record QueryRequest(EventQuery query, long after, int limit) {
    private static final Set<String> FIELDS = Set.of("items", "after", "limit");
    private static final Set<String> ITEM_FIELDS = Set.of("types", "tags");

    static QueryRequest from(JsonObject body, ReadLimits limits) {
        JsonFields fields = new JsonFields(body, "", FIELDS);
        EventQuery query = query(fields);
        long after = fields.integer("after", 0, Long.MAX_VALUE, 0);
        return new QueryRequest(query, after, limits.pageSize(fields));
    }

    /**
     * The {@code items} of a body as a query (also an append condition's {@code
     * failIfEventsMatch}).
     */
    static EventQuery query(JsonFields fields) {
        if (!(fields.value("items") instanceof JsonArray array)) {
            throw new InvalidInputException(
                    fields.pointer("items"), "items is required and must be an array of objects");
        }
        List<QueryItem> items = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String pointer = fields.pointer("items") + "/" + i;
            if (!(array.get(i) instanceof JsonObject object)) {
                throw new InvalidInputException(pointer, "Each item must be a JSON object");
            }
            JsonFields item = new JsonFields(object, pointer, ITEM_FIELDS);
            List<String> types = item.strings("types");
            List<String> tags = item.strings("tags");
            try {
                items.add(new QueryItem(types, tags));
            } catch (InvalidInputException invalid) {
                throw new InvalidInputException(pointer + invalid.pointer(), invalid.getMessage());
            }
        }
        try {
            return new EventQuery(items);
        } catch (InvalidInputException invalid) {
            // The query's pointers start at its own object ("/items"): prefix where it sits.
            String at = fields.pointer("items");
            String base = at.substring(0, at.length() - "/items".length());
            throw new InvalidInputException(base + invalid.pointer(), invalid.getMessage());
        }
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
