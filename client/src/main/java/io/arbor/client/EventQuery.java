package io.arbor.client;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.List;

/**
 * Which events a query means (api.md, "Tags, queries, …"): those matching any of its items.
 *
 * @param items 1 to 32 items
 */
public record EventQuery(List<QueryItem> items) {
    public EventQuery {
        items = List.copyOf(items);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("a query has at least one item");
        }
    }

    public static EventQuery of(QueryItem... items) {
        return new EventQuery(List.of(items));
    }

    /** The query's {@code {"items":[…]}} object, as the server reads it. */
    public JsonObjectBuilder toJson() {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (QueryItem item : items) {
            JsonObjectBuilder json = Json.createObjectBuilder();
            if (!item.types().isEmpty()) {
                json.add("types", Json.createArrayBuilder(item.types()));
            }
            if (!item.tags().isEmpty()) {
                json.add("tags", Json.createArrayBuilder(item.tags()));
            }
            array.add(json);
        }
        return Json.createObjectBuilder().add("items", array);
    }

    /** {@link #toJson()}, built. */
    public JsonObject json() {
        return toJson().build();
    }
}
