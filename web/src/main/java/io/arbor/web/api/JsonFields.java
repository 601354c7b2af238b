package io.arbor.web.api;

import io.arbor.domain.InvalidInputException;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Typed reads of one JSON object's fields, each failure naming the field by JSON pointer. No
 * coercion: {@code "5"} is not a number and {@code 5} is not a string.
 */
final class JsonFields {
    private final JsonObject object;
    private final String pointer;

    JsonFields(JsonObject object, String pointer, Set<String> allowed) {
        this.object = object;
        this.pointer = pointer;
        for (String name : object.keySet()) {
            if (!allowed.contains(name)) {
                throw new InvalidInputException(
                        pointer(name), "Unknown field \"" + name + "\"; allowed: " + allowed);
            }
        }
    }

    boolean isAbsent(String name) {
        JsonValue value = object.get(name);
        return value == null || value.getValueType() == JsonValue.ValueType.NULL;
    }

    JsonValue value(String name) {
        return object.get(name);
    }

    String requiredString(String name) {
        if (isAbsent(name)) {
            throw new InvalidInputException(pointer(name), name + " is required");
        }
        return string(name);
    }

    String string(String name) {
        if (!(object.get(name) instanceof JsonString text)) {
            throw new InvalidInputException(pointer(name), name + " must be a string");
        }
        StorableJson.check(text, pointer(name));
        return text.getString();
    }

    /** A required JSON object, as compact JSON text. */
    String requiredObject(String name) {
        if (isAbsent(name)) {
            throw new InvalidInputException(
                    pointer(name), name + " is required and must be a JSON object");
        }
        return objectText(name);
    }

    String objectText(String name) {
        JsonValue value = object.get(name);
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidInputException(pointer(name), name + " must be a JSON object");
        }
        StorableJson.check(value, pointer(name));
        return value.toString();
    }

    long integer(String name, long min, long max) {
        return integer(object.get(name), pointer(name), name, min, max);
    }

    static long integer(JsonValue value, String pointer, String name, long min, long max) {
        if (value instanceof JsonNumber number && number.isIntegral()) {
            try {
                long exact = number.bigIntegerValueExact().longValueExact();
                if (exact >= min && exact <= max) {
                    return exact;
                }
            } catch (ArithmeticException tooLarge) {
                // falls through to the range message
            }
        }
        throw new InvalidInputException(
                pointer, name + " must be an integer from " + min + " to " + max);
    }

    /** An integer from {@code min} to {@code max}, or {@code otherwise} when absent. */
    long integer(String name, long min, long max, long otherwise) {
        return isAbsent(name) ? otherwise : integer(name, min, max);
    }

    /** A JSON object's fields, for a nested object: absent or null is an empty object. */
    JsonFields object(String name, Set<String> allowed) {
        JsonValue value = object.get(name);
        if (isAbsent(name)) {
            return new JsonFields(JsonValue.EMPTY_JSON_OBJECT, pointer(name), allowed);
        }
        if (!(value instanceof JsonObject nested)) {
            throw new InvalidInputException(pointer(name), name + " must be a JSON object");
        }
        return new JsonFields(nested, pointer(name), allowed);
    }

    /**
     * An optional array of strings ({@code null} when absent), each element's failure named by its
     * pointer ({@code /tags/2}).
     */
    List<String> strings(String name) {
        if (isAbsent(name)) {
            return null;
        }
        if (!(object.get(name) instanceof JsonArray array)) {
            throw new InvalidInputException(pointer(name), name + " must be an array of strings");
        }
        List<String> strings = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String at = pointer(name) + "/" + i;
            if (!(array.get(i) instanceof JsonString text)) {
                throw new InvalidInputException(at, name + " must be an array of strings");
            }
            StorableJson.check(text, at);
            strings.add(text.getString());
        }
        return strings;
    }

    /** An optional string ({@code null} when absent). */
    String optionalString(String name) {
        return isAbsent(name) ? null : string(name);
    }

    String pointer(String name) {
        return pointer + "/" + InvalidInputException.token(name);
    }
}
