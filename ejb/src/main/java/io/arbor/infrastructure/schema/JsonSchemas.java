package io.arbor.infrastructure.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schema draft 2020-12: whether a document is a schema Arbor accepts, and what in some data
 * violates one. Compiled schemas are kept (at most {@value #MAX_COMPILED}, least recently used
 * first out) keyed by the schema's text, so an append compiles nothing; the text of a registered
 * version never changes, so an entry is never stale.
 */
@ApplicationScoped
public class JsonSchemas {
    /** The only dialect Arbor registers. */
    public static final String DRAFT_2020_12 = SchemaId.V202012;

    static final int MAX_COMPILED = 1000;

    /**
     * How deep a schema document may nest (objects and arrays): far more than any event type needs,
     * and shallow enough that checking it against the meta-schema, which recurses per level, cannot
     * run a request thread out of stack (600 levels did, on a 1 MiB stack).
     */
    public static final int MAX_SCHEMA_DEPTH = 128;

    /**
     * How deep data validated against a schema may nest. Against a recursive schema ({@code "$ref":
     * "#"}) the validator recurses once per level of the data, and a body the JSON parser still
     * takes (1,000 levels) ran a 1 MiB thread stack out: a 500 instead of a 400.
     */
    public static final int MAX_VALIDATED_DEPTH = 256;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One violation: where in the validated value (JSON pointer) and what. */
    public record Violation(String pointer, String message) {}

    private final JsonSchemaFactory factory =
            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    // Pointers rather than JSONPath in messages, to match every other 400 of the API; format
    // checked (an annotation only, by default, in 2020-12) because writers of an event store
    // expect "format": "date-time" to mean it.
    private final SchemaValidatorsConfig config =
            SchemaValidatorsConfig.builder()
                    .pathType(PathType.JSON_POINTER)
                    .formatAssertionsEnabled(true)
                    .build();

    private final Map<String, JsonSchema> compiled =
            Collections.synchronizedMap(
                    new LinkedHashMap<>(64, 0.75f, true) {
                        @Override
                        protected boolean removeEldestEntry(Map.Entry<String, JsonSchema> eldest) {
                            return size() > MAX_COMPILED;
                        }
                    });

    private volatile JsonSchema metaSchema;

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException malformed) {
            throw new IllegalArgumentException("Not JSON: " + malformed.getOriginalMessage());
        }
    }

    public static String text(JsonNode json) {
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException impossible) {
            throw new UncheckedIOException(impossible);
        }
    }

    /**
     * What keeps {@code schema} from being registered: not a draft 2020-12 schema (checked against
     * the meta-schema), another dialect named in {@code $schema}, or a reference outside the
     * document (Arbor never fetches schemas from the network). Empty when it is fine.
     */
    public List<Violation> problemsOf(JsonNode schema) {
        List<Violation> problems = new ArrayList<>();
        if (!schema.isObject()) {
            problems.add(new Violation("", "A JSON Schema document must be a JSON object"));
            return problems;
        }
        if (deeperThan(schema, MAX_SCHEMA_DEPTH)) {
            problems.add(
                    new Violation(
                            "",
                            "The schema nests deeper than "
                                    + MAX_SCHEMA_DEPTH
                                    + " levels of objects and arrays"));
            return problems;
        }
        JsonNode dialect = schema.get("$schema");
        if (dialect != null && !DRAFT_2020_12.equals(dialect.asText())) {
            problems.add(
                    new Violation(
                            "/$schema",
                            "Only JSON Schema draft 2020-12 is supported: $schema must be absent or "
                                    + DRAFT_2020_12));
        }
        remoteReferences(schema, "", problems);
        for (ValidationMessage message : metaSchema().validate(schema)) {
            problems.add(
                    new Violation(message.getInstanceLocation().toString(), message.getMessage()));
        }
        if (problems.isEmpty()) {
            try {
                factory.getSchema(schema, config).initializeValidators();
            } catch (JsonSchemaException | IllegalArgumentException broken) {
                problems.add(new Violation("", "The schema cannot be compiled: " + broken));
            }
        }
        return problems;
    }

    /** What in {@code data} violates the schema whose text is {@code schemaText}. */
    public List<Violation> validate(String schemaText, JsonNode data) {
        if (deeperThan(data, MAX_VALIDATED_DEPTH)) {
            return List.of(
                    new Violation(
                            "",
                            "The data nests deeper than "
                                    + MAX_VALIDATED_DEPTH
                                    + " levels of objects and arrays, more than Arbor validates"));
        }
        JsonSchema schema = compiled.get(schemaText);
        if (schema == null) {
            schema = factory.getSchema(parse(schemaText), config);
            schema.initializeValidators();
            compiled.put(schemaText, schema);
        }
        Set<ValidationMessage> messages = schema.validate(data);
        if (messages.isEmpty()) {
            return List.of();
        }
        List<Violation> violations = new ArrayList<>(messages.size());
        for (ValidationMessage message : messages) {
            violations.add(
                    new Violation(message.getInstanceLocation().toString(), message.getMessage()));
        }
        return violations;
    }

    private JsonSchema metaSchema() {
        JsonSchema known = metaSchema;
        if (known == null) {
            known = factory.getSchema(SchemaLocation.of(DRAFT_2020_12), config);
            known.initializeValidators();
            metaSchema = known;
        }
        return known;
    }

    /** Whether objects and arrays in {@code json} nest deeper than {@code limit}; no recursion. */
    static boolean deeperThan(JsonNode json, int limit) {
        Deque<JsonNode> level = new ArrayDeque<>();
        level.add(json);
        // level holds the containers at nesting depth + 1 (the document itself is at 1).
        for (int depth = 0; !level.isEmpty(); depth++) {
            if (depth >= limit) {
                return true;
            }
            Deque<JsonNode> next = new ArrayDeque<>();
            for (JsonNode node : level) {
                for (JsonNode child : node) {
                    if (child.isContainerNode()) {
                        next.add(child);
                    }
                }
            }
            level = next;
        }
        return false;
    }

    private static void remoteReferences(JsonNode node, String at, List<Violation> problems) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = field.getKey();
                String here = at + "/" + key.replace("~", "~0").replace("/", "~1");
                if ((key.equals("$ref") || key.equals("$dynamicRef"))
                        && field.getValue().isTextual()
                        && !field.getValue().textValue().startsWith("#")) {
                    problems.add(
                            new Violation(
                                    here,
                                    "Only references inside the document (#…) are allowed; Arbor"
                                            + " does not fetch "
                                            + field.getValue().textValue()));
                }
                remoteReferences(field.getValue(), here, problems);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                remoteReferences(node.get(i), at + "/" + i, problems);
            }
        }
    }
}
