package io.arbor.infrastructure.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.infrastructure.schema.JsonSchemas.Violation;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
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

    private static String nestedItems(int levels) {
        return "{\"items\":".repeat(levels - 1) + "{\"type\":\"string\"}" + "}".repeat(levels - 1);
    }

    @Test
    void aSchemaNestedDeeperThanTheLimitIsRefusedBeforeTheMetaSchemaRecursesIntoIt() {
        assertEquals(
                List.of(),
                schemas.problemsOf(JsonSchemas.parse(nestedItems(JsonSchemas.MAX_SCHEMA_DEPTH))));
        // 900 levels ran the meta-schema check out of a 1 MiB stack: refused on a small stack too.
        List<Violation> problems =
                onSmallStack(() -> schemas.problemsOf(JsonSchemas.parse(nestedItems(900))));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).message().contains("deeper"), problems.toString());
    }

    @Test
    void deepDataAgainstARecursiveSchemaIsAViolationNotAStackOverflow() {
        String tree = "{\"type\":\"object\",\"properties\":{\"child\":{\"$ref\":\"#\"}}}";
        String deepest = "{\"child\":".repeat(999) + "{}" + "}".repeat(999);
        List<Violation> violations =
                onSmallStack(() -> schemas.validate(tree, JsonSchemas.parse(deepest)));
        assertEquals(1, violations.size(), violations.toString());
        assertEquals("", violations.get(0).pointer());
        String allowed =
                "{\"child\":".repeat(JsonSchemas.MAX_VALIDATED_DEPTH - 1)
                        + "{}"
                        + "}".repeat(JsonSchemas.MAX_VALIDATED_DEPTH - 1);
        assertEquals(
                List.of(), onSmallStack(() -> schemas.validate(tree, JsonSchemas.parse(allowed))));
    }

    @Test
    void depthCountsNestedObjectsAndArrays() {
        assertFalse(JsonSchemas.deeperThan(JsonSchemas.parse("{\"a\":[{}]}"), 3));
        assertTrue(JsonSchemas.deeperThan(JsonSchemas.parse("{\"a\":[{}]}"), 2));
        assertFalse(JsonSchemas.deeperThan(JsonSchemas.parse("{\"a\":1,\"b\":[1,2]}"), 2));
        assertFalse(JsonSchemas.deeperThan(JsonSchemas.parse("5"), 1));
    }

    /** On a 1 MiB stack, what a request thread has (the JVM's default on Linux x64). */
    private static <T> T onSmallStack(Supplier<T> work) {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread thread =
                new Thread(
                        null,
                        () -> {
                            try {
                                outcome.set(work.get());
                            } catch (Throwable failure) {
                                outcome.set(failure);
                            }
                        },
                        "small-stack",
                        1024 * 1024);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (outcome.get() instanceof Throwable failure) {
            throw new AssertionError("failed on a 1 MiB stack", failure);
        }
        @SuppressWarnings("unchecked")
        T result = (T) outcome.get();
        return result;
    }
}
