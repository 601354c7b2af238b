package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The document served at {@code /openapi} (issue 13): valid OpenAPI 3, every operation tagged and
 * described. That every answer matches it is checked on every request of the suite ({@link
 * OpenApiContract}); Spectral lints it after the suite (server-config/openapi/check.sh).
 */
class OpenApiIT extends ArborIT {

    private Reply servedAsJson() {
        Reply openapi =
                arbor.send(
                        "GET",
                        Arbor.HOST + "/openapi",
                        null,
                        null,
                        List.of("Accept", "application/json"));
        assertEquals(200, openapi.status(), openapi::toString);
        assertTrue(openapi.contentType().startsWith("application/json"), openapi::toString);
        return openapi;
    }

    @Test
    void servedDocumentIsAValidOpenApi3Document() {
        Reply openapi = servedAsJson();
        // Payara 6.2025.9 adds a top-level "endpoints" member, which OpenAPI 3 does not allow.
        assertFalse(openapi.json().containsKey("endpoints"), "served document has endpoints");
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(openapi.body(), null, null);
        assertEquals(List.of(), parsed.getMessages(), "swagger-parser's validation");
    }

    @Test
    void everyServedOperationIsTaggedAndDescribed() {
        OpenAPI document =
                new OpenAPIV3Parser().readContents(servedAsJson().body(), null, null).getOpenAPI();
        List<String> lacking = new ArrayList<>();
        for (Map.Entry<String, PathItem> path : document.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> operation :
                    path.getValue().readOperationsMap().entrySet()) {
                Operation o = operation.getValue();
                if (o.getTags() == null
                        || o.getTags().isEmpty()
                        || o.getDescription() == null
                        || o.getDescription().isBlank()) {
                    lacking.add(operation.getKey() + " " + path.getKey());
                }
            }
        }
        assertEquals(List.of(), lacking, "operations without tags or description");
        assertTrue(document.getInfo().getContact() != null, "info.contact");
    }

    @Test
    void servedDocumentIsTheHandWrittenOneWithEveryEndpoint() {
        JsonObject paths = servedAsJson().json().getJsonObject("paths");
        for (String path :
                new String[] {
                    "/api/streams/{streamId}/events",
                    "/api/streams/{streamId}",
                    "/api/streams/{streamId}/snapshot",
                    "/api/events",
                    "/api/schemas",
                    "/api/schemas/{type}",
                    "/api/schemas/{type}/versions/{version}",
                    "/api/schemas/{type}/compatibility",
                    "/api/schemas/{type}/upcasters/{fromVersion}",
                    "/api/streams",
                    "/api/events/{eventId}",
                    "/api/subscriptions",
                    "/api/subscriptions/{group}",
                    "/api/subscriptions/{group}/fetch",
                    "/api/subscriptions/{group}/ack",
                    "/api/subscriptions/{group}/nack",
                    "/api/subscriptions/{group}/parked",
                    "/api/subscriptions/{group}/parked/replay",
                    "/api/subscriptions/{group}/reset",
                    "/api/admin/archive",
                    "/api/admin/archive/restore",
                    "/api/admin/archive/{jobId}"
                }) {
            assertTrue(paths.containsKey(path), "OpenAPI lacks " + path);
        }
    }
}
