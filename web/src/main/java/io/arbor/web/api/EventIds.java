package io.arbor.web.api;

import io.arbor.domain.InvalidInputException;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Event ids as clients write them, in a body ({@code eventId}, a lease's {@code eventIds}) or in a
 * path ({@code GET /events/{eventId}}): a UUID in its canonical 8-4-4-4-12 form, any case. {@link
 * UUID#fromString} alone accepts far more ({@code "1-2-3-4-5"}, short groups padded with zeros), so
 * one id would have several spellings.
 */
final class EventIds {
    private static final Pattern CANONICAL =
            Pattern.compile(
                    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private EventIds() {}

    /** The id in a body's field, refused by its JSON pointer. */
    static UUID inBody(JsonValue value, String pointer, String name) {
        if (value instanceof JsonString text && isCanonical(text.getString())) {
            return UUID.fromString(text.getString());
        }
        throw new InvalidInputException(pointer, rule(name));
    }

    /** The id in a path or query parameter, refused by the parameter's name. */
    static UUID inParameter(String name, String text) {
        if (text != null && isCanonical(text)) {
            return UUID.fromString(text);
        }
        throw InvalidInputException.parameter(name, rule(name));
    }

    private static boolean isCanonical(String text) {
        return CANONICAL.matcher(text).matches();
    }

    private static String rule(String name) {
        return name + " must be a UUID (8-4-4-4-12 hex digits)";
    }
}
