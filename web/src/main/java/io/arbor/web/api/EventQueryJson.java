package io.arbor.web.api;

import io.arbor.domain.AppendCondition;
import io.arbor.domain.EventQuery;
import io.arbor.domain.InvalidInputException;
import io.arbor.domain.QueryItem;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Queries in request bodies (api.md, "Tags, queries, multi-stream appends, conditions"): {@code
 * {"items":[{"types":[…],"tags":[…]}]}}, and the append condition that holds one, {@code
 * {"failIfEventsMatch":{…},"after":P}}. Every refusal names its place by pointer ({@code
 * /condition/failIfEventsMatch/items/2/tags/0}).
 */
final class EventQueryJson {
    private static final Set<String> CONDITION_FIELDS = Set.of("failIfEventsMatch", "after");
    private static final Set<String> QUERY_FIELDS = Set.of("items");
    private static final Set<String> ITEM_FIELDS = Set.of("types", "tags");

    private EventQueryJson() {}

    /** The object's {@code condition} field as an append condition; null when absent. */
    static AppendCondition condition(JsonFields fields) {
        if (fields.isAbsent("condition")) {
            return null;
        }
        JsonFields condition = fields.object("condition", CONDITION_FIELDS);
        if (condition.isAbsent("failIfEventsMatch")) {
            throw new InvalidInputException(
                    condition.pointer("failIfEventsMatch"),
                    "failIfEventsMatch is required: a query {\"items\":[…]}");
        }
        EventQuery query = query(condition.object("failIfEventsMatch", QUERY_FIELDS));
        return new AppendCondition(query, condition.integer("after", 0, Long.MAX_VALUE, 0));
    }

    /** A query object's fields ({@code items}) as an event query. */
    static EventQuery query(JsonFields fields) {
        if (!(fields.value("items") instanceof JsonArray array)) {
            throw new InvalidInputException(
                    fields.pointer("items"), "items is required: an array of query items");
        }
        List<QueryItem> items = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            items.add(item(array.get(i), fields.pointer("items") + "/" + i));
        }
        try {
            return new EventQuery(items);
        } catch (InvalidInputException invalid) {
            throw new InvalidInputException(
                    fields.pointer("items").replaceFirst("/items$", "") + invalid.pointer(),
                    invalid.getMessage());
        }
    }

    private static QueryItem item(JsonValue value, String at) {
        if (!(value instanceof JsonObject object)) {
            throw new InvalidInputException(at, "Each query item must be a JSON object");
        }
        JsonFields fields = new JsonFields(object, at, ITEM_FIELDS);
        // JsonFields' refusals carry whole pointers; the item's own are relative to it.
        List<String> types = fields.strings("types");
        List<String> tags = fields.strings("tags");
        try {
            return new QueryItem(types, tags);
        } catch (InvalidInputException invalid) {
            throw new InvalidInputException(at + invalid.pointer(), invalid.getMessage());
        }
    }
}
