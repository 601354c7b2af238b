package io.arbor.web.api;

import io.arbor.domain.InvalidInputException;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Refuses JSON that is valid but that PostgreSQL's {@code jsonb} cannot store, so that it is a 400
 * naming the offending value instead of a failed insert (a 500) deep in the append:
 *
 * <ul>
 *   <li>the character U+0000 ({@code \u0000}) in a string or a key;
 *   <li>a lone UTF-16 surrogate ({@code \ud800} without its pair), which is no character at all;
 *   <li>a number outside {@code numeric}'s range: more than 131,072 digits before the decimal point
 *       or 16,383 after it ({@code 1e999999}).
 * </ul>
 */
final class StorableJson {
    private static final int MAX_INTEGER_DIGITS = 131_072;
    private static final int MAX_FRACTION_DIGITS = 16_383;

    private StorableJson() {}

    static void check(JsonValue value, String pointer) {
        switch (value.getValueType()) {
            case OBJECT -> {
                for (Map.Entry<String, JsonValue> field : ((JsonObject) value).entrySet()) {
                    String child = pointer + "/" + InvalidInputException.token(field.getKey());
                    checkText(field.getKey(), child, "key");
                    check(field.getValue(), child);
                }
            }
            case ARRAY -> {
                JsonArray array = (JsonArray) value;
                for (int i = 0; i < array.size(); i++) {
                    check(array.get(i), pointer + "/" + i);
                }
            }
            case STRING -> checkText(((JsonString) value).getString(), pointer, "string");
            case NUMBER -> checkNumber(((JsonNumber) value).bigDecimalValue(), pointer);
            default -> {
                // true, false, null: always storable
            }
        }
    }

    private static void checkText(String text, String pointer, String what) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                throw new InvalidInputException(
                        pointer,
                        "A " + what + " contains the character U+0000, which cannot be stored");
            }
            if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidInputException(
                        pointer,
                        "A "
                                + what
                                + " contains a lone UTF-16 surrogate (\\u"
                                + Integer.toHexString(c)
                                + "), which is not a character");
            }
        }
    }

    private static void checkNumber(BigDecimal number, String pointer) {
        long integerDigits = (long) number.precision() - number.scale();
        if (integerDigits > MAX_INTEGER_DIGITS || number.scale() > MAX_FRACTION_DIGITS) {
            throw new InvalidInputException(
                    pointer,
                    "A number must have at most "
                            + MAX_INTEGER_DIGITS
                            + " digits before the decimal point and "
                            + MAX_FRACTION_DIGITS
                            + " after it");
        }
    }
}
