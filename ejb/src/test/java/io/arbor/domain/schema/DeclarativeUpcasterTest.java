package io.arbor.domain.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arbor.domain.InvalidInputException;
import org.junit.jupiter.api.Test;

class DeclarativeUpcasterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode apply(String operations, String data) {
        return DeclarativeUpcaster.parse("T", 1, json(operations)).apply((ObjectNode) json(data));
    }

    @Test
    void renameAddRemoveAndMoveApplyInOrder() {
        assertEquals(
                json("{\"customer\":{\"fullName\":\"Ada\"},\"currency\":\"EUR\"}"),
                apply(
                        "[{\"op\":\"rename\",\"path\":\"/name\",\"to\":\"fullName\"},"
                                + "{\"op\":\"move\",\"from\":\"/fullName\",\"path\":\"/customer/fullName\"},"
                                + "{\"op\":\"remove\",\"path\":\"/legacy\"},"
                                + "{\"op\":\"add\",\"path\":\"/currency\",\"value\":\"EUR\"}]",
                        "{\"name\":\"Ada\",\"legacy\":true}"));
    }

    @Test
    void absentFieldsAreLeftAloneAndPresentOnesAreNotOverwritten() {
        assertEquals(
                json("{\"currency\":\"USD\"}"),
                apply(
                        "[{\"op\":\"rename\",\"path\":\"/name\",\"to\":\"fullName\"},"
                                + "{\"op\":\"remove\",\"path\":\"/a/b\"},"
                                + "{\"op\":\"add\",\"path\":\"/currency\",\"value\":\"EUR\"}]",
                        "{\"currency\":\"USD\"}"));
    }

    @Test
    void theStoredDataIsNotModified() {
        ObjectNode stored = (ObjectNode) json("{\"legacy\":1}");
        DeclarativeUpcaster.parse("T", 1, json("[{\"op\":\"remove\",\"path\":\"/legacy\"}]"))
                .apply(stored);
        assertEquals(json("{\"legacy\":1}"), stored);
    }

    @Test
    void malformedOperationsAreRefusedWithAPointer() {
        InvalidInputException unknown =
                assertThrows(
                        InvalidInputException.class,
                        () -> DeclarativeUpcaster.parse("T", 1, json("[{\"op\":\"copy\"}]")));
        assertEquals("/operations/0/op", unknown.pointer());
        InvalidInputException badPath =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                DeclarativeUpcaster.parse(
                                        "T", 1, json("[{\"op\":\"remove\",\"path\":\"name\"}]")));
        assertEquals("/operations/0/path", badPath.pointer());
        assertThrows(
                InvalidInputException.class, () -> DeclarativeUpcaster.parse("T", 1, json("[]")));
    }
}
