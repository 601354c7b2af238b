package io.arbor.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTextTest {

    @Test
    void escapesStringsSoAnyTextRoundTrips() {
        String nasty = "quote\" backslash\\ newline\n tab\t nul\u0000 bell\u0007 ü 😀 \u2028";
        String json = JsonText.object().string("s", nasty).toString();
        assertEquals(nasty, Json.createReader(new StringReader(json)).readObject().getString("s"));
    }

    @Test
    void writesNumbersNullsRawValuesAndArrays() {
        String json =
                JsonText.object()
                        .number("n", 5)
                        .number("none", (Long) null)
                        .raw("data", "{\"a\":[1,2]}")
                        .rawArray("list", List.of("1", "{}"))
                        .value("flag", true)
                        .toString();
        assertEquals(
                "{\"n\":5,\"none\":null,\"data\":{\"a\":[1,2]},\"list\":[1,{}],\"flag\":true}",
                json);
    }
}
