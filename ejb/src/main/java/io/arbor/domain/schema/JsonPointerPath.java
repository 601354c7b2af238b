package io.arbor.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arbor.domain.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/** A JSON pointer (RFC 6901) to a field of an object, never the whole document. */
public record JsonPointerPath(String text, List<String> segments) {
    public static JsonPointerPath parse(String text, String field) {
        if (text == null || !text.startsWith("/") || text.length() < 2) {
            throw new InvalidInputException(
                    "/" + field, field + " must be a JSON pointer to a field, such as /amount");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : text.substring(1).split("/", -1)) {
            if (segment.isEmpty()) {
                throw new InvalidInputException(
                        "/" + field, field + " has an empty segment: " + text);
            }
            segments.add(segment.replace("~1", "/").replace("~0", "~"));
        }
        return new JsonPointerPath(text, List.copyOf(segments));
    }

    /** The field's own name. */
    String last() {
        return segments.get(segments.size() - 1);
    }

    /**
     * The object that holds the field; {@code null} when a step on the way is absent (and not
     * {@code create}d) or not an object.
     */
    ObjectNode parent(ObjectNode root, boolean create) {
        ObjectNode node = root;
        for (int i = 0; i < segments.size() - 1; i++) {
            JsonNode next = node.get(segments.get(i));
            if (next == null && create) {
                next = node.putObject(segments.get(i));
            }
            if (next == null || !next.isObject()) {
                return null;
            }
            node = (ObjectNode) next;
        }
        return node;
    }
}
