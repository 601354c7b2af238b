package io.arbor.web.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Every JSON answer of the resources: a status and a body already written as JSON text (by {@link
 * Representations} or {@link JsonText}), sent as {@code application/json; charset=UTF-8}. Nothing
 * goes through JSON-B or a message body writer, so no provider can re-encode stored event data.
 */
final class JsonResponse {
    private static final MediaType JSON_UTF8 = MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8");

    private JsonResponse() {}

    static Response of(int status, String body) {
        return Response.status(status).type(JSON_UTF8).entity(body).build();
    }

    /** A body written as UTF-8 bytes ({@link io.arbor.domain.EventJson}: events, pages of them). */
    static Response of(int status, byte[] body) {
        return Response.status(status).type(JSON_UTF8).entity(body).build();
    }
}
