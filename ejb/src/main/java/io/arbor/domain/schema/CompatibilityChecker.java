package io.arbor.domain.schema;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 *   <li>{@code $ref} (and {@code $dynamicRef}) inside the document ({@code #/$defs/X}, {@code
 *       #/definitions/X}, any {@code #/…} pointer, {@code #} or an {@code #anchor}): resolved on
 *       each side and the targets compared by these same rules, so a {@code $defs} entry changed
 *       behind an unchanged {@code "$ref"} is found. A reference met again while it is being
 *       resolved (a recursive schema) is not followed again: there both sides must recur on the
 *       pair of references whose targets are being compared further up (with nothing beside them,
 *       or the same text), or else be the very same schema. A reference that cannot be resolved (a
 *       document with a nested {@code $id}, an unknown anchor) is reported unless the whole
 *       documents are equal;
 *   <li>{@code $id}: a changed (added, removed) {@code $id} breaks, in either direction;
 *   <li>any other constraint ({@code pattern}, {@code format}, {@code anyOf}, …): a reader whose
 *       constraint differs from the writer's breaks, because equivalence of those cannot be proven
 *       in general; "the same" includes what every {@code $ref} inside them points at.
 * </ul>
 *
 * <p>One assumption, the one Avro-style registries make: fields a schema does not name are not
 * written under it, unless the schema opens the object explicitly ({@code additionalProperties:
 * true} or a schema). That is what makes adding an optional field backward compatible.
 */
final class CompatibilityChecker {
    /**
     * Keywords that constrain nothing by themselves: annotations, and the places ({@code $defs},
     * the older {@code definitions}) and names ({@code $anchor}) that references reach, which are
     * compared where a reference resolves to them.
     */
    private static final Set<String> ANNOTATIONS =
            Set.of(
                    "$schema",
                    "$comment",
                    "$defs",
                    "definitions",
                    "$anchor",
                    "$dynamicAnchor",
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

    /** The keywords that point elsewhere in the document; resolved, never compared as text. */
    private static final Set<String> REFERENCES = Set.of("$ref", "$dynamicRef");

    /**
     * Keywords that constrain only beside another one of their group in the same schema object
     * ({@code then} without {@code if} is ignored): combining two objects' keywords into one must
     * not bring such a pair together, or the combination would allow less than the two did.
     */
    private static final List<Set<String>> GROUPS =
            List.of(Set.of("if", "then", "else"), Set.of("contains", "minContains", "maxContains"));

    private final Document writerDocument;
    private final Document readerDocument;
    private final String who;
    private final List<SchemaBreak> breaks = new ArrayList<>();

    // The references being resolved now, on each side and as (writer's, reader's) pairs: what
    // keeps a recursive schema from being followed forever.
    private final Set<String> writerResolving = new HashSet<>();
    private final Set<String> readerResolving = new HashSet<>();
    private final Set<List<String>> pairsResolving = new HashSet<>();

    private CompatibilityChecker(JsonNode writer, JsonNode reader, String who) {
        this.writerDocument = new Document(writer);
        this.readerDocument = new Document(reader);
        this.who = who;
    }

    /**
     * What a reader on {@code reader} would refuse among the values {@code writer} allows.
     *
     * @param readerName how messages name the reader ("reader on the new schema")
     */
    static List<SchemaBreak> canRead(JsonNode writer, JsonNode reader, String readerName) {
        if (writer.equals(reader)) {
            return List.of();
        }
        CompatibilityChecker checker = new CompatibilityChecker(writer, reader, readerName);
        if (checker.writerDocument.resolvable && checker.readerDocument.resolvable) {
            // Comparing the roots is resolving "#" on both sides: a "#" met below recurs.
            checker.writerResolving.add("#");
            checker.readerResolving.add("#");
            checker.pairsResolving.add(List.of("#", "#"));
        }
        checker.compare(writer, reader, "");
        return List.copyOf(checker.breaks);
    }

    private void compare(JsonNode writer, JsonNode reader, String at) {
        if (writer.isBoolean() && !writer.booleanValue()) {
            return; // the writer writes nothing here
        }
        compareIds(writer, reader, at);
        if (hasReference(writer) || hasReference(reader)) {
            compareReferences(writer, reader, at);
            return;
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
        compareTypes(writer, reader, at);
        compareValues(writer, reader, at);
        compareRequired(writer, reader, at);
        compareProperties(writer, reader, at);
        if (reader.has("items")) {
            JsonNode writtenItems =
                    writer.has("items")
                            ? writer.get("items")
                            : JsonNodeFactory.instance.objectNode();
            compare(writtenItems, reader.get("items"), at + "/*");
        }
        compareBounds(writer, reader, at);
        Iterator<String> keywords = reader.fieldNames();
        while (keywords.hasNext()) {
            String keyword = keywords.next();
            if (!constrains(keyword) || UNDERSTOOD.contains(keyword)) {
                continue;
            }
            JsonNode written = writer.get(keyword);
            if (written == null || !same(written, reader.get(keyword))) {
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

    private void compareTypes(JsonNode writer, JsonNode reader, String at) {
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

    private void compareValues(JsonNode writer, JsonNode reader, String at) {
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

    private void compareRequired(JsonNode writer, JsonNode reader, String at) {
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

    private void compareProperties(JsonNode writer, JsonNode reader, String at) {
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
                compare(written, read, field);
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
                    compare(written, readerExtra, field);
                }
            } else if (writerExtra != null && !isFalse(writerExtra)) {
                // The writer's schema explicitly allows unnamed fields, so it may write this one.
                compare(writerExtra, read, field);
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
            compare(writerExtra, readerExtra, at + "/*");
        }
    }

    private void compareBounds(JsonNode writer, JsonNode reader, String at) {
        for (String bound : LOWER_BOUNDS) {
            JsonNode read = reader.get(bound);
            JsonNode written = writer.get(bound);
            if (read != null
                    && read.isNumber()
                    && (written == null
                            || !written.isNumber()
                            || written.decimalValue().compareTo(read.decimalValue()) < 0)) {
                breaks.add(tightened(at, bound, written, read));
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
                breaks.add(tightened(at, bound, written, read));
            }
        }
    }

    private SchemaBreak tightened(String at, String bound, JsonNode written, JsonNode read) {
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

    /**
     * A changed {@code $id}, added or removed included, breaks in either direction: it is how other
     * documents and tools name the schema, and Arbor cannot tell what else a new one means.
     */
    private void compareIds(JsonNode writer, JsonNode reader, String at) {
        JsonNode written = writer.isObject() ? writer.get("$id") : null;
        JsonNode read = reader.isObject() ? reader.get("$id") : null;
        if (!Objects.equals(written, read)) {
            breaks.add(
                    new SchemaBreak(
                            at,
                            "\"$id\" differs between the schemas (the writer's: "
                                    + (written == null ? "none" : written)
                                    + ", a "
                                    + who
                                    + "'s: "
                                    + (read == null ? "none" : read)
                                    + ")"));
        }
    }

    /**
     * Either side is a {@code $ref}: compares what the references point at, by the same rules. A
     * reference applies beside its sibling keywords, so a reader's value must pass both its target
     * and its siblings, and a writer's values are those its target and siblings both allow.
     */
    private void compareReferences(JsonNode writer, JsonNode reader, String at) {
        if (same(writer, reader)) {
            return;
        }
        String writerReference = reference(writer);
        String readerReference = reference(reader);
        List<String> pair =
                writerReference != null && readerReference != null
                        ? List.of(writerReference, readerReference)
                        : null;
        if (pair != null && pairsResolving.contains(pair)) {
            // Both sides recur on the pair of references whose targets are being compared further
            // up the walk: that comparison covers this place (the usual rule for recursive types)
            // if nothing else stands beside the references here, or the same text on both sides.
            boolean bare =
                    acceptsAnything(withoutReference(writer))
                            && acceptsAnything(withoutReference(reader));
            if (!bare && !writer.equals(reader)) {
                breaks.add(unprovable(at, "the schemas differ where the recursive $ref recurs"));
            }
            return;
        }
        if (writerResolving.contains(writerReference)
                || readerResolving.contains(readerReference)) {
            // Following it again could go on forever; same() above already said it is not the
            // very same schema on both sides.
            breaks.add(
                    unprovable(
                            at,
                            "a recursive $ref ("
                                    + (writerResolving.contains(writerReference)
                                            ? writerReference
                                            : readerReference)
                                    + ") recurs here against a different schema"));
            return;
        }
        JsonNode writerTarget =
                writerReference == null ? null : writerDocument.resolve(writerReference);
        JsonNode readerTarget =
                readerReference == null ? null : readerDocument.resolve(readerReference);
        if (writerReference != null && writerTarget == null
                || readerReference != null && readerTarget == null) {
            breaks.add(
                    unprovable(
                            at,
                            "$ref "
                                    + (writerReference != null && writerTarget == null
                                            ? writerReference
                                            : readerReference)
                                    + " cannot be resolved inside the document"));
            return;
        }
        // Both $ids were compared above; what is compared below carries none at its top.
        JsonNode written = withoutId(writer);
        if (writerReference != null) {
            written = combine(withoutReference(writer), withoutId(writerTarget));
            if (written == null) {
                breaks.add(
                        unprovable(
                                at,
                                "the writer's $ref "
                                        + writerReference
                                        + " has sibling keywords that Arbor cannot combine with"
                                        + " its target"));
                return;
            }
        }
        if (writerReference != null) {
            writerResolving.add(writerReference);
        }
        if (readerReference != null) {
            readerResolving.add(readerReference);
        }
        if (pair != null) {
            pairsResolving.add(pair);
        }
        try {
            if (readerReference == null) {
                compare(written, withoutId(reader), at);
            } else {
                compare(written, withoutId(readerTarget), at);
                JsonNode siblings = withoutReference(reader);
                if (!acceptsAnything(siblings)) {
                    compare(written, siblings, at);
                }
            }
        } finally {
            if (pair != null) {
                pairsResolving.remove(pair);
            }
            writerResolving.remove(writerReference);
            readerResolving.remove(readerReference);
        }
    }

    private SchemaBreak unprovable(String at, String why) {
        return new SchemaBreak(
                at,
                why
                        + "; Arbor cannot prove that a "
                        + who
                        + " accepts everything the writer may write");
    }

    /**
     * Whether {@code written} (in the writer's document) and {@code read} (in the reader's) are the
     * very same schema: the same text, and every reference in it pointing at the same schema on
     * both sides.
     */
    private boolean same(JsonNode written, JsonNode read) {
        return written.equals(read) && sameTargets(written, new HashSet<>());
    }

    /** {@code followed}: references already assumed the same (they recur). */
    private boolean sameTargets(JsonNode node, Set<String> followed) {
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (!sameTargets(item, followed)) {
                    return false;
                }
            }
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                if (REFERENCES.contains(field.getKey()) && value.isTextual()) {
                    String reference = value.textValue();
                    if (followed.add(reference)) {
                        JsonNode written = writerDocument.resolve(reference);
                        JsonNode read = readerDocument.resolve(reference);
                        if (written == null
                                || read == null
                                || !written.equals(read)
                                || !sameTargets(written, followed)) {
                            return false;
                        }
                    }
                } else if (!sameTargets(value, followed)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean hasReference(JsonNode schema) {
        return schema.isObject() && (schema.has("$ref") || schema.has("$dynamicRef"));
    }

    /**
     * The schema's reference, {@code null} without one. Within one document without nested {@code
     * $id}, a {@code $dynamicRef} ends where a {@code $ref} with the same text would.
     */
    private static String reference(JsonNode schema) {
        if (!schema.isObject()) {
            return null;
        }
        JsonNode reference = schema.get("$ref");
        JsonNode dynamic = schema.get("$dynamicRef");
        if (reference != null && dynamic != null) {
            // Two references in one object: named so that resolve() refuses it.
            return reference.asText() + " (with $dynamicRef " + dynamic.asText() + ")";
        }
        JsonNode one = reference != null ? reference : dynamic;
        return one == null ? null : one.asText();
    }

    private static JsonNode withoutReference(JsonNode schema) {
        ObjectNode siblings = ((ObjectNode) schema).deepCopy();
        siblings.remove(REFERENCES);
        siblings.remove("$id"); // compared at the reference
        return siblings;
    }

    private static JsonNode withoutId(JsonNode schema) {
        if (!schema.isObject() || !schema.has("$id")) {
            return schema;
        }
        ObjectNode copy = ((ObjectNode) schema).deepCopy();
        // Compared once where it stands (a resolved target's $id is the root's: see Document).
        copy.remove("$id");
        return copy;
    }

    /**
     * One schema object for the values that both {@code a} and {@code b} allow (the writer's side
     * of a {@code $ref} with sibling keywords), allowing no fewer values and naming no fewer fields
     * than the two together; {@code null} where Arbor cannot build one.
     */
    private static JsonNode combine(JsonNode a, JsonNode b) {
        if (a.isBoolean()) {
            return a.booleanValue() ? b : a;
        }
        if (b.isBoolean()) {
            return b.booleanValue() ? a : b;
        }
        for (Set<String> group : GROUPS) {
            if (group.stream().anyMatch(a::has) && group.stream().anyMatch(b::has)) {
                return null;
            }
        }
        ObjectNode combined = ((ObjectNode) a).deepCopy();
        Iterator<Map.Entry<String, JsonNode>> fields = b.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String keyword = field.getKey();
            JsonNode value = field.getValue();
            JsonNode present = combined.get(keyword);
            if (present == null) {
                combined.set(keyword, value);
            } else if (present.equals(value) || ANNOTATIONS.contains(keyword)) {
                continue;
            } else if (keyword.equals("required") && present.isArray() && value.isArray()) {
                Set<String> required = strings(present);
                required.addAll(strings(value));
                ArrayNode union = combined.putArray("required");
                required.forEach(union::add);
            } else if (keyword.equals("properties") && present.isObject() && value.isObject()) {
                ObjectNode properties = (ObjectNode) present;
                Iterator<Map.Entry<String, JsonNode>> named = value.fields();
                while (named.hasNext()) {
                    Map.Entry<String, JsonNode> property = named.next();
                    JsonNode mine = properties.get(property.getKey());
                    JsonNode both =
                            mine == null
                                    ? property.getValue()
                                    : hasReference(mine) || hasReference(property.getValue())
                                            ? null
                                            : combine(mine, property.getValue());
                    if (both == null) {
                        return null;
                    }
                    properties.set(property.getKey(), both);
                }
            } else {
                return null;
            }
        }
        return combined;
    }

    /** One schema document, and where its references inside it ({@code #…}) lead. */
    private static final class Document {
        private final JsonNode root;

        /**
         * No {@code $id} below the root: every {@code #…} is then relative to the root. A nested
         * {@code $id} starts another base, which this class does not follow.
         */
        private final boolean resolvable;

        Document(JsonNode root) {
            this.root = root;
            this.resolvable = !nestedId(root, true);
        }

        /** The schema {@code reference} points at, or {@code null} when Arbor cannot tell. */
        JsonNode resolve(String reference) {
            if (!resolvable || !reference.startsWith("#")) {
                return null;
            }
            String fragment;
            try {
                // A fragment is percent-encoded (RFC 3986); "+" is no space in it.
                fragment =
                        URLDecoder.decode(
                                reference.substring(1).replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                return null;
            }
            JsonNode target;
            if (fragment.isEmpty()) {
                target = root;
            } else if (fragment.startsWith("/")) {
                try {
                    target = root.at(JsonPointer.compile(fragment));
                } catch (IllegalArgumentException malformed) {
                    return null;
                }
            } else {
                target = anchor(fragment);
            }
            return target != null && (target.isObject() || target.isBoolean()) ? target : null;
        }

        /** The one subschema named {@code name} by {@code $anchor} or {@code $dynamicAnchor}. */
        private JsonNode anchor(String name) {
            List<JsonNode> named = new ArrayList<>();
            anchors(root, name, named);
            return named.size() == 1 ? named.get(0) : null;
        }

        private static void anchors(JsonNode node, String name, List<JsonNode> named) {
            if (node.isObject()) {
                JsonNode anchor = node.get("$anchor");
                JsonNode dynamic = node.get("$dynamicAnchor");
                if (anchor != null && name.equals(anchor.asText())
                        || dynamic != null && name.equals(dynamic.asText())) {
                    named.add(node);
                }
            }
            if (node.isContainerNode()) {
                node.forEach(child -> anchors(child, name, named));
            }
        }

        private static boolean nestedId(JsonNode node, boolean isRoot) {
            if (node.isObject() && !isRoot && node.path("$id").isTextual()) {
                return true;
            }
            if (node.isContainerNode()) {
                for (JsonNode child : node) {
                    if (nestedId(child, false)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private static boolean acceptsAnything(JsonNode schema) {
        if (schema.isBoolean()) {
            return schema.booleanValue();
        }
        Iterator<String> keywords = schema.fieldNames();
        while (keywords.hasNext()) {
            if (constrains(keywords.next())) {
                return false;
            }
        }
        return true;
    }

    /** Whether the keyword is left to the generic comparison ({@code $id}: see compareIds). */
    private static boolean constrains(String keyword) {
        return !ANNOTATIONS.contains(keyword) && !keyword.equals("$id");
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
