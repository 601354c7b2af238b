package io.arbor.infrastructure.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.infrastructure.schema.JsonSchemas.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonSchemasTest {
    private final JsonSchemas schemas = new JsonSchemas();

    private static final String DEPOSITED =
            "{\"type\":\"object\",\"required\":[\"amount\"],\"properties\":{\"amount\":"
                    + "{\"type\":\"integer\",\"minimum\":1},\"at\":{\"type\":\"string\","
                    + "\"format\":\"date-time\"}}}";

    @Test
    void aDraft2020SchemaIsAccepted() {
        assertEquals(List.of(), schemas.problemsOf(JsonSchemas.parse(DEPOSITED)));
    }

    @Test
    void aDocumentThatBreaksTheMetaSchemaIsRefused() {
        List<Violation> problems =
                schemas.problemsOf(JsonSchemas.parse("{\"type\":\"integr\",\"minimum\":\"1\"}"));
        assertFalse(problems.isEmpty(), problems.toString());
    }

    @Test
    void anotherDialectIsRefused() {
        List<Violation> problems =
                schemas.problemsOf(
                        JsonSchemas.parse(
                                "{\"$schema\":\"http://json-schema.org/draft-07/schema#\"}"));
        assertEquals("/$schema", problems.get(0).pointer());
    }

    @Test
    void aReferenceOutsideTheDocumentIsRefused() {
        List<Violation> problems =
                schemas.problemsOf(
                        JsonSchemas.parse(
                                "{\"properties\":{\"a\":{\"$ref\":\"http://example.com/s.json\"}}}"));
        assertEquals("/properties/a/$ref", problems.get(0).pointer(), problems.toString());
    }

    @Test
    void violationsNameTheFieldByPointer() {
        List<Violation> violations =
                schemas.validate(
                        DEPOSITED, JsonSchemas.parse("{\"amount\":0,\"at\":\"yesterday\"}"));
        assertEquals(2, violations.size(), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.pointer().equals("/amount")));
        assertTrue(violations.stream().anyMatch(v -> v.pointer().equals("/at")));
    }

    @Test
    void aMissingRequiredFieldIsReportedAtTheObject() {
        List<Violation> violations = schemas.validate(DEPOSITED, JsonSchemas.parse("{}"));
        assertEquals(1, violations.size());
        assertEquals("", violations.get(0).pointer());
        assertTrue(violations.get(0).message().contains("amount"), violations.toString());
    }

    @Test
    void validDataHasNoViolations() {
        assertEquals(
                List.of(),
                schemas.validate(
                        DEPOSITED,
                        JsonSchemas.parse("{\"amount\":5,\"at\":\"2026-11-25T04:00:00Z\"}")));
    }
}
