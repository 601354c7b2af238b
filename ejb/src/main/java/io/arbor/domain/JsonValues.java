package io.arbor.domain;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Map;

/**
 * Compares JSON texts as values. The text PostgreSQL's {@code jsonb} gives back is not the text a
 * writer sent: members are reordered, whitespace dropped, {@code 1e2} becomes {@code 100}. So a
 * retry's data is compared with the stored data by value, never byte for byte (issue 13).
 */
public final class JsonValues {
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

    private JsonValues() {}

    /** Whether two JSON texts denote the same value (numbers compared by numeric value). */
    public static boolean sameValue(String a, String b) {
        return a.equals(b) || same(parse(a), parse(b));
    }

    private static JsonValue parse(String text) {
        try (JsonReader reader = READERS.createReader(new StringReader(text))) {
            return reader.readValue();
        }
    }

    private static boolean same(JsonValue a, JsonValue b) {
        if (a.getValueType() != b.getValueType()) {
            return false;
        }
        return switch (a.getValueType()) {
            case OBJECT -> sameObject((JsonObject) a, (JsonObject) b);
            case ARRAY -> sameArray((JsonArray) a, (JsonArray) b);
                // BigDecimal.equals tells 100 from 1E+2; compareTo does not.
            case NUMBER ->
                    ((JsonNumber) a).bigDecimalValue().compareTo(((JsonNumber) b).bigDecimalValue())
                            == 0;
            default -> a.equals(b);
        };
    }

    private static boolean sameObject(JsonObject a, JsonObject b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, JsonValue> member : a.entrySet()) {
            if (!same(member.getValue(), b.get(member.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameArray(JsonArray a, JsonArray b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!same(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
