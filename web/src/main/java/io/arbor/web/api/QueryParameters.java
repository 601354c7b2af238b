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
            // No trim(): it strips every character up to U+0020, so "5%00" would read as 5.
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // falls through to the message below
        }
        throw InvalidInputException.parameter(
                name, name + " must be an integer from " + min + " to " + max);
    }

    /** {@code true} or {@code false}; {@code defaultValue} when absent. */
    static boolean bool(String name, String text, boolean defaultValue) {
        if (text == null) {
            return defaultValue;
        }
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw InvalidInputException.parameter(name, name + " must be true or false");
        };
    }

    /**
     * {@code upcast} on every read of events: {@code false} returns events as stored, at their own
     * schema versions; upcasting to each type's latest version is the default.
     */
    static boolean upcast(String text) {
        return bool("upcast", text, true);
    }

    static long integer(String name, String text, long min, long max, long defaultValue) {
        Long value = optionalInteger(name, text, min, max);
        return value == null ? defaultValue : value;
    }
}
