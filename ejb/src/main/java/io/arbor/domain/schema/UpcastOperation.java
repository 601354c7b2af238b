package io.arbor.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arbor.domain.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One step of a declarative upcaster, applied to an event's data (a JSON object). Paths are JSON
 * pointers into the data and name object fields. Operations are lenient about absent fields, since
 * old events may lack optional ones: renaming, moving or removing an absent field does nothing, and
 * adding a field that is present keeps the stored value.
 */
public sealed interface UpcastOperation {
    void applyTo(ObjectNode data);

    /** The operation as JSON, the form it is registered and shown in. */
    ObjectNode toJson();

    /** {@code {"op":"rename","path":"/name","to":"fullName"}}: a new name, same parent. */
    record Rename(JsonPointerPath path, String to) implements UpcastOperation {
        public Rename {
            if (to == null || to.isEmpty()) {
                throw new InvalidInputException("/to", "to must be a non-empty field name");
            }
        }

        @Override
        public void applyTo(ObjectNode data) {
            ObjectNode parent = path.parent(data, false);
            if (parent != null && parent.has(path.last()) && !parent.has(to)) {
                parent.set(to, parent.remove(path.last()));
            }
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode json = operation("rename");
            json.put("path", path.text());
            json.put("to", to);
            return json;
        }
    }

    /** {@code {"op":"add","path":"/currency","value":"EUR"}}: a default for an absent field. */
    record Add(JsonPointerPath path, JsonNode value) implements UpcastOperation {
        public Add {
            if (value == null) {
                throw new InvalidInputException("/value", "value is required (it may be null)");
            }
        }

        @Override
        public void applyTo(ObjectNode data) {
            ObjectNode parent = path.parent(data, true);
            if (parent != null && !parent.has(path.last())) {
                parent.set(path.last(), value.deepCopy());
            }
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode json = operation("add");
            json.put("path", path.text());
            json.set("value", value);
            return json;
        }
    }

    /** {@code {"op":"remove","path":"/legacy"}}. */
    record Remove(JsonPointerPath path) implements UpcastOperation {
        @Override
        public void applyTo(ObjectNode data) {
            ObjectNode parent = path.parent(data, false);
            if (parent != null) {
                parent.remove(path.last());
            }
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode json = operation("remove");
            json.put("path", path.text());
            return json;
        }
    }

    /** {@code {"op":"move","from":"/address/city","path":"/city"}}, as in JSON Patch. */
    record Move(JsonPointerPath from, JsonPointerPath path) implements UpcastOperation {
        public Move {
            if (path.text().startsWith(from.text() + "/")) {
                throw new InvalidInputException("/path", "A field cannot move into itself");
            }
        }

        @Override
        public void applyTo(ObjectNode data) {
            ObjectNode source = from.parent(data, false);
            if (source == null || !source.has(from.last())) {
                return;
            }
            ObjectNode target = path.parent(data, true);
            if (target != null && !target.has(path.last())) {
                target.set(path.last(), source.remove(from.last()));
            }
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode json = operation("move");
            json.put("from", from.text());
            json.put("path", path.text());
            return json;
        }
    }

    private static ObjectNode operation(String op) {
        ObjectNode json = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        json.put("op", op);
        return json;
    }

    /**
     * Reads {@code [{"op":…}, …]}; failures name the offending field by a pointer that starts with
     * {@code pointer}.
     */
    static List<UpcastOperation> parseAll(JsonNode operations, String pointer) {
        if (operations == null || !operations.isArray() || operations.isEmpty()) {
            throw new InvalidInputException(
                    pointer, "operations is required: a non-empty array of operations");
        }
        List<UpcastOperation> parsed = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            parsed.add(parse(operations.get(i), pointer + "/" + i));
        }
        return List.copyOf(parsed);
    }

    private static UpcastOperation parse(JsonNode json, String pointer) {
        if (!json.isObject()) {
            throw new InvalidInputException(pointer, "An operation is a JSON object");
        }
        String op = json.path("op").asText("");
        Set<String> allowed =
                switch (op) {
                    case "rename" -> Set.of("op", "path", "to");
                    case "add" -> Set.of("op", "path", "value");
                    case "remove" -> Set.of("op", "path");
                    case "move" -> Set.of("op", "from", "path");
                    default ->
                            throw new InvalidInputException(
                                    pointer + "/op", "op must be one of rename, add, remove, move");
                };
        json.fieldNames()
                .forEachRemaining(
                        name -> {
                            if (!allowed.contains(name)) {
                                throw new InvalidInputException(
                                        pointer + "/" + InvalidInputException.token(name),
                                        "Unknown field \""
                                                + name
                                                + "\" for op "
                                                + op
                                                + "; allowed: "
                                                + allowed);
                            }
                        });
        try {
            return switch (op) {
                case "rename" -> new Rename(path(json, "path"), text(json, "to"));
                case "add" -> new Add(path(json, "path"), json.get("value"));
                case "remove" -> new Remove(path(json, "path"));
                default -> new Move(path(json, "from"), path(json, "path"));
            };
        } catch (InvalidInputException invalid) {
            throw new InvalidInputException(pointer + invalid.pointer(), invalid.getMessage());
        }
    }

    private static JsonPointerPath path(JsonNode json, String field) {
        return JsonPointerPath.parse(text(json, field), field);
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual()) {
            throw new InvalidInputException(
                    "/" + field, field + " is required and must be a string");
        }
        return value.textValue();
    }
}
