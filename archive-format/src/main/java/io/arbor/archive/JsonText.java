package io.arbor.archive;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import java.util.Map;

/**
 * The JSON-P factories the archive's lines and manifests are written and read with, made once: each
 * {@code Json.createXxx} call looks the provider up again (a class-path scan), which cost seconds
 * per segment when the manifest's thousands of entries each made a builder.
 */
final class JsonText {
    /**
     * Limits wide enough for every value the API lets in (web's {@code StorableJson}): PostgreSQL
     * prints a stored {@code 1e1200} as 1,201 digits, and Parsson's default of 1,100 characters per
     * number made the line of such an event throw {@link UnsupportedOperationException} on every
     * archiving attempt of its range (review of issue 20, S1). {@code numeric} holds at most
     * 131,072 digits before the point and 16,383 after it, plus a sign, a point and an exponent.
     * Depth: the API accepts data 1,000 levels deep, and a line wraps it in one more object.
     */
    static final Map<String, Object> LIMITS =
            Map.of(
                    "org.eclipse.parsson.maxBigDecimalLength", 131_072 + 16_383 + 64,
                    "org.eclipse.parsson.maxDepth", 1_000 + 8);

    static final JsonBuilderFactory BUILDERS = Json.createBuilderFactory(LIMITS);
    static final JsonReaderFactory READERS = Json.createReaderFactory(LIMITS);

    private JsonText() {}

    /** A number member as a long; {@link NullPointerException} when it is absent. */
    static long number(JsonObject json, String name) {
        JsonNumber number = json.getJsonNumber(name);
        if (number == null) {
            throw new NullPointerException(name + " is missing");
        }
        return number.longValueExact();
    }
}
