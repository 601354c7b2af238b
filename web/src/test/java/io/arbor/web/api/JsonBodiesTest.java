package io.arbor.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.arbor.domain.InvalidInputException;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBodiesTest {
    private final JsonBodies bodies = new JsonBodies();

    {
        bodies.maxBodyBytes = 64;
    }

    private Object read(byte[] bytes) {
        return bodies.readObject(
                MediaType.APPLICATION_JSON_TYPE, bytes.length, new ByteArrayInputStream(bytes));
    }

    private Object read(String text) {
        return read(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsOneObject() {
        assertEquals("{\"a\":[1,\"ü\"]}", read(" {\"a\":[1,\"ü\"]} \n").toString());
    }

    @Test
    void refusesAnythingButExactlyOneObject() {
        for (String bad :
                new String[] {
                    "", "[]", "\"x\"", "1", "{\"a\":1} {}", "{\"a\":1}x", "{\"a\":", "{a:1}"
                }) {
            assertThrows(InvalidInputException.class, () -> read(bad), bad);
        }
    }

    @Test
    void theParsersGuardsAgainstHostileInputAreBadRequestsNotFaults() {
        bodies.maxBodyBytes = 1 << 20;
        assertThrows(InvalidInputException.class, () -> read("{\"d\":" + "[".repeat(5000)));
        assertThrows(InvalidInputException.class, () -> read("{\"n\":1" + "0".repeat(2000) + "}"));
    }

    @Test
    void malformedUtf8IsAnUnsupportedMediaTypeNotReplaced() {
        byte[] bytes = "{\"a\":\"?\"}".getBytes(StandardCharsets.US_ASCII);
        bytes[6] = (byte) 0xC3; // a lone lead byte
        assertThrows(UnsupportedMediaTypeException.class, () -> read(bytes));
    }

    @Test
    void aMissingOrOtherContentTypeIsTheSameUnsupportedMediaTypeAsAnotherCharset() {
        for (MediaType type :
                new MediaType[] {
                    null,
                    MediaType.TEXT_PLAIN_TYPE,
                    new MediaType("application", "xml"),
                    MediaType.APPLICATION_JSON_TYPE.withCharset("ISO-8859-1")
                }) {
            assertThrows(
                    UnsupportedMediaTypeException.class,
                    () ->
                            bodies.readObject(
                                    type,
                                    -1,
                                    new ByteArrayInputStream(
                                            "{}".getBytes(StandardCharsets.UTF_8))),
                    type == null ? "none" : type.getType() + "/" + type.getSubtype());
        }
        assertEquals(
                "{}",
                bodies.readObject(
                                MediaType.APPLICATION_JSON_TYPE.withCharset("utf-8"),
                                -1,
                                new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)))
                        .toString());
    }

    @Test
    void refusesBodiesOverTheLimitWithoutReadingThemWhole() {
        assertThrows(
                RequestTooLargeException.class, () -> read("{\"a\":\"" + "x".repeat(100) + "\"}"));
    }

    @Test
    void refusesCharsetsOtherThanUtf8() {
        assertThrows(
                UnsupportedMediaTypeException.class,
                () ->
                        bodies.readObject(
                                MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-16"),
                                -1,
                                new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_16))));
    }

    @Test
    void duplicateMemberNamesAnywhereAreRefusedWithThePointerToTheSecond() {
        bodies.maxBodyBytes = 1 << 10;
        String[][] cases = {
            {"{\"events\":[1],\"events\":[2,3]}", "/events"},
            {"{\"expectedVersion\":\"no_stream\",\"expectedVersion\":7}", "/expectedVersion"},
            {"{\"events\":[{\"data\":{\"a\":1,\"a\":2}}]}", "/events/0/data/a"},
            {"{\"m\":{\"x\":{\"a/b~\":1,\"a/b~\":1}}}", "/m/x/a~1b~0"},
        };
        for (String[] duplicate : cases) {
            InvalidInputException refused =
                    assertThrows(InvalidInputException.class, () -> read(duplicate[0]));
            assertEquals(duplicate[1], refused.pointer(), duplicate[0]);
        }
        // The same name in two different objects is no duplicate.
        assertEquals(
                "{\"a\":{\"a\":1},\"b\":[{\"a\":1},{\"a\":2}]}",
                read("{\"a\":{\"a\":1},\"b\":[{\"a\":1},{\"a\":2}]}").toString());
    }

    @Test
    void nestingDeeperThanAThousandLevelsIsRefusedWithoutOverflowingTheStack() {
        bodies.maxBodyBytes = 1 << 20;
        assertEquals(
                "{\"d\":" + "[".repeat(998) + "]".repeat(998) + "}",
                read("{\"d\":" + "[".repeat(998) + "]".repeat(998) + "}").toString());
        assertThrows(
                InvalidInputException.class,
                () -> read("{\"d\":" + "[".repeat(999) + "]".repeat(999) + "}"));
        assertThrows(InvalidInputException.class, () -> read("{\"d\":" + "[".repeat(500_000)));
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeReadingTheBody() {
        java.io.InputStream neverRead =
                new java.io.InputStream() {
                    @Override
                    public int read() {
                        throw new AssertionError("the body was read");
                    }
                };
        assertThrows(
                RequestTooLargeException.class,
                () -> bodies.readObject(MediaType.APPLICATION_JSON_TYPE, 65, neverRead));
    }
}
