package io.arbor.domain;

import java.util.Locale;

/** Which way a stream read walks the versions. */
public enum ReadDirection {
    FORWARD,
    BACKWARD;

    public static ReadDirection parse(String text) {
        if (text == null) {
            return FORWARD;
        }
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw InvalidInputException.parameter(
                    "direction", "direction must be \"forward\" or \"backward\"");
        }
    }
}
