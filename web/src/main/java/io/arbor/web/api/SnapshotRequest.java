package io.arbor.web.api;

import jakarta.json.JsonObject;
import java.util.Set;

/** The body of {@code PUT /streams/{id}/snapshot}. */
record SnapshotRequest(long version, String type, String data) {
    private static final Set<String> FIELDS = Set.of("version", "type", "data");

    static SnapshotRequest from(JsonObject body) {
        JsonFields fields = new JsonFields(body, "", FIELDS);
        return new SnapshotRequest(
                fields.integer("version", 1, Long.MAX_VALUE),
                fields.requiredString("type"),
                fields.requiredObject("data"));
    }
}
