package io.arbor.domain.schema;

/**
 * One reason a new schema version breaks its type's compatibility mode.
 *
 * @param pointer where in the event data the break is (JSON pointer; {@code ""} for the whole
 *     object)
 * @param message what breaks, readable by the person who changed the schema
 */
public record SchemaBreak(String pointer, String message) {}
