package io.arbor.domain;

import java.util.regex.Pattern;

/**
 * A stream's identity: 1 to 200 characters of {@code [A-Za-z0-9._:@-]}. Its category is the part
 * before the first {@code -} ({@code account-42} belongs to {@code account}).
 */
public record StreamId(String value) {
    public static final int MAX_LENGTH = 200;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:@-]{1," + MAX_LENGTH + "}");

    public StreamId {
        if (!isValid(value)) {
            throw InvalidInputException.parameter(
                    "streamId",
                    "A stream id is 1 to "
                            + MAX_LENGTH
                            + " characters of letters, digits and . _ : @ -");
        }
    }

    /** Whether {@code value} is a stream id (1 to 200 characters of the alphabet above). */
    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    public static StreamId of(String value) {
        return new StreamId(value);
    }

    public String category() {
        int dash = value.indexOf('-');
        return dash < 0 ? value : value.substring(0, dash);
    }

    @Override
    public String toString() {
        return value;
    }
}
