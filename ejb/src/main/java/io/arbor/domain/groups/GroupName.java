package io.arbor.domain.groups;

import io.arbor.domain.InvalidInputException;
import java.util.regex.Pattern;

/** A consumer group's name: 1–100 of {@code A–Z a–z 0–9 . _ -}, not starting with . or -. */
public record GroupName(String value) {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,99}");

    public GroupName {
        if (value == null || !VALID.matcher(value).matches()) {
            throw InvalidInputException.parameter(
                    "group",
                    "A group name is 1 to 100 characters from A-Z a-z 0-9 . _ -, not starting"
                            + " with . or -");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
