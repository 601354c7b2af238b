package io.arbor.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.arbor.domain.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a new version of an event type's schema must relate to the previous version, as schema
 * registries (Confluent, Apicurio) define it. "Reader" is the code that consumes events, "writer"
 * the code that appends them.
 */
public enum Compatibility {
    /** Readers on the new schema read data written with the previous one (the default). */
    BACKWARD,
    /** Readers still on the previous schema read data written with the new one. */
    FORWARD,
    /** Both: readers and writers can upgrade in any order. */
    FULL,
    /** No check. */
    NONE;

    public static Compatibility parse(String text, String pointer) {
        for (Compatibility mode : values()) {
            if (mode.name().equals(text)) {
                return mode;
            }
        }
        throw new InvalidInputException(
                pointer, "compatibility must be one of " + Arrays.toString(values()));
    }

    /** What breaks if {@code next} follows {@code previous} in this mode; empty when allowed. */
    public List<SchemaBreak> check(JsonNode previous, JsonNode next) {
        return switch (this) {
            case BACKWARD ->
                    CompatibilityChecker.canRead(previous, next, "reader on the new schema");
            case FORWARD ->
                    CompatibilityChecker.canRead(next, previous, "reader on the old schema");
            case FULL -> {
                List<SchemaBreak> breaks =
                        new ArrayList<>(
                                CompatibilityChecker.canRead(
                                        previous, next, "reader on the new schema"));
                breaks.addAll(
                        CompatibilityChecker.canRead(next, previous, "reader on the old schema"));
                yield List.copyOf(breaks);
            }
            case NONE -> List.of();
        };
    }
}
