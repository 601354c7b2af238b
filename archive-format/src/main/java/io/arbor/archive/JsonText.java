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
    static final JsonBuilderFactory BUILDERS = Json.createBuilderFactory(Map.of());
    static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

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
