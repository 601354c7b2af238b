package io.arbor.web.api;

import io.arbor.domain.InvalidInputException;
import io.arbor.domain.groups.LogPoint;
import jakarta.json.JsonObject;
import java.util.Set;

/** The body of {@code POST /subscriptions/{group}/reset}: where delivery resumes. */
record ResetRequest(LogPoint to) {
    private static final Set<String> FIELDS = Set.of("to");

    static ResetRequest from(JsonObject body) {
        JsonFields fields = new JsonFields(body, "", FIELDS);
        if (fields.isAbsent("to")) {
            throw new InvalidInputException(
                    fields.pointer("to"), "to is required: \"beginning\", \"end\" or a position");
        }
        return new ResetRequest(GroupRequest.logPoint(fields.value("to"), fields.pointer("to")));
    }
}
