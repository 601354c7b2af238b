package io.arbor.web.api;

import io.arbor.domain.InvalidInputException;

/** Query parameters read strictly: a number where one is expected, within its range. */
final class QueryParameters {
    private QueryParameters() {}

    /** The parameter's value, {@code null} when it is absent. */
    static Long optionalInteger(String name, String text, long min, long max) {
        if (text == null) {
            return null;
        }
        try {
            long value = Long.parseLong(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // falls through to the message below
        }
        throw new InvalidInputException(
                name, name + " must be an integer from " + min + " to " + max);
    }

    static long integer(String name, String text, long min, long max, long defaultValue) {
        Long value = optionalInteger(name, text, min, max);
        return value == null ? defaultValue : value;
    }
}
