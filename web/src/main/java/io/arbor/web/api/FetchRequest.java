package io.arbor.web.api;

import jakarta.json.JsonObject;
import java.util.Set;

/** The body of {@code POST /subscriptions/{group}/fetch}. */
record FetchRequest(String consumer, int max, int waitSeconds) {
    private static final Set<String> FIELDS = Set.of("consumer", "max", "waitSeconds");

    static FetchRequest from(JsonObject body) {
        JsonFields fields = new JsonFields(body, "", FIELDS);
        return new FetchRequest(
                LeaseRequest.consumer(fields),
                (int) fields.integer("max", 1, 1000, 100),
                (int) fields.integer("waitSeconds", 0, 60, 0));
    }
}
