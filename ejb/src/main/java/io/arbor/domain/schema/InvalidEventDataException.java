package io.arbor.domain.schema;

import io.arbor.domain.ArborException;
import java.util.List;

/**
 * Events of an append do not follow their type's schema (or their type has none and one is
 * required): the whole append is refused and nothing is written.
 */
public class InvalidEventDataException extends ArborException {
    private final List<EventViolation> violations;

    public InvalidEventDataException(List<EventViolation> violations) {
        super(
                violations.size()
                        + " violation(s) of the event types' schemas; nothing was written (first: "
                        + violations.get(0).pointer()
                        + ": "
                        + violations.get(0).message()
                        + ")");
        this.violations = List.copyOf(violations);
    }

    public List<EventViolation> violations() {
        return violations;
    }
}
