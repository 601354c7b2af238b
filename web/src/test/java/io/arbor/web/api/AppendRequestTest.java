package io.arbor.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.arbor.domain.ExpectedVersion;
import io.arbor.domain.InvalidInputException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AppendRequestTest {

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    private static InvalidInputException rejected(String body) {
        return assertThrows(InvalidInputException.class, () -> AppendRequest.from(json(body)));
    }

    @Test
    void readsEveryFieldAndDefaults() {
        UUID id = UUID.randomUUID();
        AppendRequest request =
                AppendRequest.from(
                        json(
                                "{\"expectedVersion\":3,\"events\":[{\"eventId\":\""
                                        + id
                                        + "\",\"type\":\"T\",\"data\":{\"a\":1},\"metadata\":{\"m\":true},"
                                        + "\"schemaVersion\":2},{\"type\":\"U\",\"data\":{}}]}"));
        assertEquals(ExpectedVersion.exactly(3), request.expectedVersion());
        assertEquals(id, request.events().get(0).eventId());
        assertEquals("{\"a\":1}", request.events().get(0).data());
        assertEquals("{\"m\":true}", request.events().get(0).metadata());
        assertEquals(2, (int) request.events().get(0).schemaVersion());
        assertNull(request.events().get(1).eventId());
        assertEquals("{}", request.events().get(1).metadata());
        // Absent: settled by the store (the type's latest registered version, else 1).
        assertNull(request.events().get(1).schemaVersion());
    }

    @Test
    void expectedVersionDefaultsToAnyAndTakesKeywords() {
        assertEquals(
                ExpectedVersion.ANY, AppendRequest.from(json("{\"events\":[]}")).expectedVersion());
        assertEquals(
                ExpectedVersion.NO_STREAM,
                AppendRequest.from(json("{\"expectedVersion\":\"no_stream\",\"events\":[]}"))
                        .expectedVersion());
    }

    @Test
    void failuresNameTheOffendingFieldByJsonPointer() {
        assertEquals(
                "/events/1/type",
                rejected("{\"events\":[{\"type\":\"T\",\"data\":{}},{\"data\":{}}]}").pointer());
        assertEquals(
                "/events/0/data",
                rejected("{\"events\":[{\"type\":\"T\",\"data\":[]}]}").pointer());
        assertEquals(
                "/expectedVersion", rejected("{\"expectedVersion\":-1,\"events\":[]}").pointer());
        assertEquals("/extra", rejected("{\"events\":[],\"extra\":1}").pointer());
        assertEquals(
                "/events/0/eventId",
                rejected("{\"events\":[{\"eventId\":\"1-1-1-1-1\",\"type\":\"T\",\"data\":{}}]}")
                        .pointer());
    }

    @Test
    void everyPointerIsAnRfc6901PointerNeverABareName() {
        // Issue 13: a keyword that is not one answered "expectedVersion", not "/expectedVersion".
        assertEquals(
                "/expectedVersion",
                rejected("{\"expectedVersion\":\"latest\",\"events\":[]}").pointer());
        assertEquals("/a~1b~0c", rejected("{\"events\":[],\"a/b~c\":1}").pointer());
        assertEquals(
                "/events/0/type", rejected("{\"events\":[{\"type\":\"\",\"data\":{}}]}").pointer());
        assertThrows(
                IllegalArgumentException.class,
                () -> new InvalidInputException("expectedVersion", "a bare name"));
        InvalidInputException parameter = InvalidInputException.parameter("limit", "too big");
        assertEquals("limit", parameter.parameter());
        assertNull(parameter.pointer());
    }

    @Test
    void numbersAreNeverCoercedFromOtherTypes() {
        rejected("{\"expectedVersion\":\"3\",\"events\":[]}");
        rejected("{\"expectedVersion\":3.5,\"events\":[]}");
        rejected("{\"expectedVersion\":123456789012345678901234567890,\"events\":[]}");
        rejected("{\"events\":[{\"type\":\"T\",\"data\":{},\"schemaVersion\":\"2\"}]}");
        rejected("{\"events\":[{\"type\":7,\"data\":{}}]}");
    }
}
