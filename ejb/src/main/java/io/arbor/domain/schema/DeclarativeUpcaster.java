package io.arbor.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * An upcaster registered over REST: its operations, applied in order, turn an event's data from
 * {@code fromVersion} into {@code fromVersion + 1}.
 */
public record DeclarativeUpcaster(String type, int fromVersion, List<UpcastOperation> operations) {
    public DeclarativeUpcaster {
        operations = List.copyOf(operations);
    }

    /** Reads the {@code operations} array of a registration body. */
    public static DeclarativeUpcaster parse(String type, int fromVersion, JsonNode operations) {
        return new DeclarativeUpcaster(
                type, fromVersion, UpcastOperation.parseAll(operations, "/operations"));
    }

    /** Applies the operations to (a copy of) {@code data}. */
    public ObjectNode apply(ObjectNode data) {
        ObjectNode copy = data.deepCopy();
        for (UpcastOperation operation : operations) {
            operation.applyTo(copy);
        }
        return copy;
    }

    /** The operations as JSON text, the form they are registered and shown in. */
    public String operationsText() {
        return operationsJson().toString();
    }

    public ArrayNode operationsJson() {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        operations.forEach(operation -> array.add(operation.toJson()));
        return array;
    }
}
