package io.arbor.domain;

/**
 * An append condition (the Dynamic Consistency Boundary's, api.md): the append commits only if no
 * event matching {@code failIfEventsMatch} is stored after position {@code after}, counting every
 * event committed before the append commits, concurrent ones included (docs/design.md, "Append
 * conditions").
 *
 * @param after the position the writer's decision read up to (0: the whole log)
 */
public record AppendCondition(EventQuery failIfEventsMatch, long after) {
    public AppendCondition {
        if (failIfEventsMatch == null) {
            throw new InvalidInputException(
                    "/failIfEventsMatch", "failIfEventsMatch is required: a query");
        }
        if (after < 0) {
            throw new InvalidInputException("/after", "after must be 0 or more");
        }
    }
}
