package io.arbor.web.api;

import io.arbor.domain.InvalidInputException;
import io.arbor.domain.StreamMetadata;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import java.util.Set;

/**
 * The body of {@code PUT /streams/{id}/metadata}: the whole metadata, a member left out being null
 * ({@code {}} for {@code custom}). Only the JSON types are read here; what a rule may be is {@link
 * StreamMetadata}'s to say.
 */
final class MetadataRequest {
    private static final Set<String> FIELDS =
            Set.of("maxAge", "maxCount", "truncateBefore", "custom");

    private MetadataRequest() {}

    static StreamMetadata from(JsonObject body) {
        JsonFields fields = new JsonFields(body, "", FIELDS);
        return new StreamMetadata(
                rule(fields, "maxAge"),
                rule(fields, "maxCount"),
                rule(fields, "truncateBefore"),
                fields.isAbsent("custom") ? null : fields.objectText("custom"));
    }

    /** An integer rule, or null when absent or null. */
    private static Long rule(JsonFields fields, String name) {
        if (fields.isAbsent(name)) {
            return null;
        }
        if (fields.value(name) instanceof JsonNumber number && number.isIntegral()) {
            try {
                return number.bigIntegerValueExact().longValueExact();
            } catch (ArithmeticException tooLarge) {
                // falls through
            }
        }
        throw new InvalidInputException(
                fields.pointer(name), name + " must be an integer of at least 1, or null");
    }
}
