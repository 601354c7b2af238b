package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

/** The server's own endpoints next to the API: health, OpenAPI, metrics. */
class ServiceEndpointsIT extends ArborIT {

    @Test
    void readinessIsUpWithTheDatabaseCheck() {
        Reply ready = arbor.get(Arbor.HOST + "/health/ready");
        assertEquals(200, ready.status(), ready::toString);
        JsonObject health = ready.json();
        assertEquals("UP", health.getString("status"));
        boolean databaseChecked = false;
        for (JsonValue check : health.getJsonArray("checks")) {
            databaseChecked |= "database".equals(check.asJsonObject().getString("name"));
        }
        assertTrue(databaseChecked, ready::toString);
        assertEquals(200, arbor.get(Arbor.HOST + "/health/live").status());
    }

    @Test
    void openApiDocumentsEveryEndpoint() {
        Reply openapi = arbor.get(Arbor.HOST + "/openapi");
        assertEquals(200, openapi.status());
        for (String path :
                new String[] {
                    "/streams/{streamId}/events:",
                    "/streams/{streamId}:",
                    "/streams/{streamId}/snapshot:",
                    "/events:"
                }) {
            assertTrue(openapi.body().contains(path), "OpenAPI lacks " + path);
        }
    }
}
