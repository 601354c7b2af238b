package io.arbor.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.arbor.domain.InvalidInputException;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class StorableJsonTest {

    private static JsonValue json(String text) {
        return Json.createReader(new StringReader(text)).readValue();
    }

    private static String rejectedAt(String text) {
        return assertThrows(
                        InvalidInputException.class, () -> StorableJson.check(json(text), "/data"))
                .pointer();
    }

    @Test
    void ordinaryJsonIsStorable() {
        StorableJson.check(
                json("{\"s\":\"caf\\u00e9 \\ud83d\\ude00\",\"n\":[1.5,-2e10,1e131071],\"b\":null}"),
                "/data");
    }

    @Test
    void nulInAStringOrAKeyIsRefusedWithItsPointer() {
        assertEquals("/data/a/1", rejectedAt("{\"a\":[\"ok\",\"x\\u0000y\"]}"));
        assertEquals("/data/k\\u0000", rejectedAt("{\"k\\u0000\":1}").replace("\0", "\\u0000"));
    }

    @Test
    void loneSurrogatesAreRefused() {
        assertEquals("/data/s", rejectedAt("{\"s\":\"\\ud800\"}"));
        assertEquals("/data/s", rejectedAt("{\"s\":\"\\ude00x\"}"));
        assertEquals("/data/s", rejectedAt("{\"s\":\"x\\ud83d\"}"));
    }

    @Test
    void numbersBeyondPostgresNumericAreRefused() {
        assertEquals("/data/n", rejectedAt("{\"n\":1e999999}"));
        assertEquals("/data/n", rejectedAt("{\"n\":1e-20000}"));
    }

    @Test
    void pointerTokensAreEscaped() {
        assertEquals("/data/a~1b~0c", rejectedAt("{\"a/b~c\":\"\\u0000\"}"));
    }
}
