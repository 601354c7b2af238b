package io.arbor.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether every value a writer's schema allows is also allowed by a reader's schema, by
 * walking the two JSON Schemas keyword by keyword (not by comparing their text), and lists each
 * place where it is not. What it understands:
 *
 * <ul>
 *   <li>{@code type}: a reader that drops a type the writer allows breaks ({@code integer} counts
 *       as a {@code number});
 *   <li>{@code enum} and {@code const}: a reader that drops a value the writer allows breaks;
 *   <li>{@code required}: a field the reader requires and the writer does not breaks;
 *   <li>{@code properties}, recursively, and {@code additionalProperties}: a field the writer names
 *       that a closed reader ({@code additionalProperties: false}) does not name breaks, as does a
 *       reader that closes an object the writer explicitly opened;
 *   <li>{@code items}, recursively; the bounds ({@code minimum}, {@code maxLength}, …): a reader
 *       with a tighter bound breaks;
 *   <li>any other constraint ({@code pattern}, {@code format}, {@code anyOf}, {@code $ref}, …): a
 *       reader whose constraint differs from the writer's breaks, because equivalence of those
 *       cannot be proven in general.
 * </ul>
 *
 * <p>One assumption, the one Avro-style registries make: fields a schema does not name are not
 * written under it, unless the schema opens the object explicitly ({@code additionalProperties:
 * true} or a schema). That is what makes adding an optional field backward compatible.
 */
final class CompatibilityChecker {
    /** Keywords that constrain nothing: annotations. */
    private static final Set<String> ANNOTATIONS =
            Set.of(
                    "$schema",
                    "$id",
                    "$comment",
                    "$defs",
                    "title",
                    "description",
                    "default",
                    "examples",
                    "deprecated",
                    "readOnly",
                    "writeOnly");

    /** Keywords this class compares structurally; everything else must be equal. */
    private static final Set<String> UNDERSTOOD =
            Set.of(
                    "type",
                    "enum",
                    "const",
                    "required",
                    "properties",
                    "additionalProperties",
                    "items",
                    "minimum",
                    "exclusiveMinimum",
                    "maximum",
                    "exclusiveMaximum",
                    "minLength",
                    "maxLength",
                    "minItems",
                    "maxItems",
                    "minProperties",
                    "maxProperties");

    private static final List<String> LOWER_BOUNDS =
            List.of("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties");
    private static final List<String> UPPER_BOUNDS =
            List.of("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties");

    private CompatibilityChecker() {}

    /**
     * What a reader on {@code reader} would refuse among the values {@code writer} allows.
     *
     * @param readerName how messages name the reader ("reader on the new schema")
     */
    static List<SchemaBreak> canRead(JsonNode writer, JsonNode reader, String readerName) {
        List<SchemaBreak> breaks = new ArrayList<>();
        compare(writer, reader, "", readerName, breaks);
        return List.copyOf(breaks);
    }

    private static void compare(
            JsonNode writer, JsonNode reader, String at, String who, List<SchemaBreak> breaks) {
        if (writer.isBoolean() && !writer.booleanValue()) {
            return; // the writer writes nothing here
        }
        if (acceptsAnything(reader)) {
            return;
        }
        if (reader.isBoolean()) {
            breaks.add(new SchemaBreak(at, "a " + who + " accepts no value here"));
            return;
        }
        if (!writer.isObject()) {
            writer = JsonNodeFactory.instance.objectNode();
        }
        compareTypes(writer, reader, at, who, breaks);
        compareValues(writer, reader, at, who, breaks);
        compareRequired(writer, reader, at, who, breaks);
        compareProperties(writer, reader, at, who, breaks);
        if (reader.has("items")) {
            JsonNode writtenItems =
                    writer.has("items")
                            ? writer.get("items")
                            : JsonNodeFactory.instance.objectNode();
            compare(writtenItems, reader.get("items"), at + "/*", who, breaks);
        }
        compareBounds(writer, reader, at, who, breaks);
        Iterator<String> keywords = reader.fieldNames();
        while (keywords.hasNext()) {
            String keyword = keywords.next();
            if (ANNOTATIONS.contains(keyword) || UNDERSTOOD.contains(keyword)) {
                continue;
            }
            if (!reader.get(keyword).equals(writer.get(keyword))) {
                breaks.add(
                        new SchemaBreak(
                                at,
                                "\""
                                        + keyword
                                        + "\" differs between the schemas; Arbor cannot prove"
                                        + " that a "
                                        + who
                                        + " accepts everything the writer may write"));
            }
        }
    }

    private static void compareTypes(
            JsonNode writer, JsonNode reader, String at, String who, List<SchemaBreak> breaks) {
        Set<String> readerTypes = types(reader);
        if (readerTypes == null) {
            return;
        }
        Set<String> writerTypes = types(writer);
        if (writerTypes == null) {
            breaks.add(
                    new SchemaBreak(
                            at,
                            "a "
                                    + who
                                    + " only accepts type "
                                    + readerTypes
                                    + ", the writer's schema allows any type"));
            return;
        }
        for (String type : writerTypes) {
            boolean accepted =
                    readerTypes.contains(type)
                            || (type.equals("integer") && readerTypes.contains("number"));
            if (!accepted) {
                breaks.add(
                        new SchemaBreak(
                                at,
                                "type narrowed: a "
                                        + who
                                        + " refuses "
                                        + type
                                        + " (it accepts "
                                        + readerTypes
                                        + ")"));
            }
        }
    }

    private static void compareValues(
            JsonNode writer, JsonNode reader, String at, String who, List<SchemaBreak> breaks) {
        Set<JsonNode> readerValues = values(reader);
        if (readerValues == null) {
            return;
        }
        Set<JsonNode> writerValues = values(writer);
        if (writerValues == null) {
            breaks.add(
                    new SchemaBreak(
                            at,
                            "a "
                                    + who
                                    + " only accepts the values "
                                    + readerValues
                                    + ", the writer's schema allows others"));
            return;
        }
        for (JsonNode value : writerValues) {
            if (!readerValues.contains(value)) {
                breaks.add(new SchemaBreak(at, "enum value " + value + " is refused by a " + who));
            }
        }
    }

    private static void compareRequired(
            JsonNode writer, JsonNode reader, String at, String who, List<SchemaBreak> breaks) {
        Set<String> writerRequired = strings(writer.get("required"));
        for (String field : strings(reader.get("required"))) {
            if (!writerRequired.contains(field)) {
                breaks.add(
                        new SchemaBreak(
                                at + "/" + escape(field),
                                "field \""
                                        + field
                                        + "\" is required by a "
                                        + who
                                        + " but may be absent under the writer's schema"));
            }
        }
    }

    private static void compareProperties(
            JsonNode writer, JsonNode reader, String at, String who, List<SchemaBreak> breaks) {
        JsonNode writerProperties = objectOrEmpty(writer.get("properties"));
        JsonNode readerProperties = objectOrEmpty(reader.get("properties"));
        JsonNode writerExtra = writer.get("additionalProperties");
        JsonNode readerExtra = reader.get("additionalProperties");
        Set<String> names = new LinkedHashSet<>();
        writerProperties.fieldNames().forEachRemaining(names::add);
        readerProperties.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            String field = at + "/" + escape(name);
            JsonNode written = writerProperties.get(name);
            JsonNode read = readerProperties.get(name);
            if (written != null && read != null) {
                compare(written, read, field, who, breaks);
            } else if (written != null) {
                if (readerExtra != null && readerExtra.isBoolean() && !readerExtra.booleanValue()) {
                    breaks.add(
                            new SchemaBreak(
                                    field,
                                    "field \""
                                            + name
                                            + "\" is refused by a "
                                            + who
                                            + " (additionalProperties is false and it is not"
                                            + " listed)"));
                } else if (readerExtra != null && readerExtra.isObject()) {
                    compare(written, readerExtra, field, who, breaks);
                }
            } else if (writerExtra != null && !isFalse(writerExtra)) {
                // The writer's schema explicitly allows unnamed fields, so it may write this one.
                compare(writerExtra, read, field, who, breaks);
            }
        }
        if (readerExtra != null
                && isFalse(readerExtra)
                && writerExtra != null
                && !isFalse(writerExtra)) {
            breaks.add(
                    new SchemaBreak(
                            at,
                            "additionalProperties closed: a "
                                    + who
                                    + " refuses fields the writer's schema explicitly allows"));
        } else if (readerExtra != null
                && readerExtra.isObject()
                && writerExtra != null
                && !isFalse(writerExtra)) {
            compare(writerExtra, readerExtra, at + "/*", who, breaks);
        }
    }

    private static void compareBounds(
            JsonNode writer, JsonNode reader, String at, String who, List<SchemaBreak> breaks) {
        for (String bound : LOWER_BOUNDS) {
            JsonNode read = reader.get(bound);
            JsonNode written = writer.get(bound);
            if (read != null
                    && read.isNumber()
                    && (written == null
                            || !written.isNumber()
                            || written.decimalValue().compareTo(read.decimalValue()) < 0)) {
                breaks.add(tightened(at, bound, written, read, who));
            }
        }
        for (String bound : UPPER_BOUNDS) {
            JsonNode read = reader.get(bound);
            JsonNode written = writer.get(bound);
            if (read != null
                    && read.isNumber()
                    && (written == null
                            || !written.isNumber()
                            || written.decimalValue().compareTo(read.decimalValue()) > 0)) {
                breaks.add(tightened(at, bound, written, read, who));
            }
        }
    }

    private static SchemaBreak tightened(
            String at, String bound, JsonNode written, JsonNode read, String who) {
        return new SchemaBreak(
                at,
                bound
                        + " tightened to "
                        + read
                        + " for a "
                        + who
                        + " (the writer's schema has "
                        + (written == null ? "none" : written.toString())
                        + ")");
    }

    private static boolean acceptsAnything(JsonNode schema) {
        if (schema.isBoolean()) {
            return schema.booleanValue();
        }
        Iterator<String> keywords = schema.fieldNames();
        while (keywords.hasNext()) {
            if (!ANNOTATIONS.contains(keywords.next())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isFalse(JsonNode schema) {
        return schema.isBoolean() && !schema.booleanValue();
    }

    /** The schema's {@code type}s, {@code null} when it allows any type. */
    private static Set<String> types(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type == null) {
            return null;
        }
        if (type.isTextual()) {
            return Set.of(type.textValue());
        }
        return strings(type);
    }

    /** The values {@code enum} or {@code const} allow, {@code null} when not restricted. */
    private static Set<JsonNode> values(JsonNode schema) {
        if (schema.has("const")) {
            return Set.of(schema.get("const"));
        }
        JsonNode values = schema.get("enum");
        if (values == null || !values.isArray()) {
            return null;
        }
        Set<JsonNode> set = new LinkedHashSet<>();
        values.forEach(set::add);
        return set;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> set = new LinkedHashSet<>();
        if (array != null && array.isArray()) {
            array.forEach(item -> set.add(item.asText()));
        }
        return set;
    }

    private static JsonNode objectOrEmpty(JsonNode node) {
        return node != null && node.isObject() ? node : JsonNodeFactory.instance.objectNode();
    }

    /** A property name as one JSON pointer segment (RFC 6901). */
    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
