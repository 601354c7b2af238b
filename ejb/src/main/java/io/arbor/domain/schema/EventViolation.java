package io.arbor.domain.schema;

/**
 * One reason an event of an append was refused.
 *
 * @param eventIndex the event's index in the append's {@code events}
 * @param pointer JSON pointer into the request body, e.g. {@code /events/0/data/amount}
 * @param message what is wrong, as the JSON Schema validator or the registry puts it
 */
public record EventViolation(int eventIndex, String pointer, String message) {}
