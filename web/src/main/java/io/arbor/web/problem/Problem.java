package io.arbor.web.problem;

import io.arbor.web.api.JsonText;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Builds one problem+json response: {@code type}, {@code title}, {@code status}, {@code detail},
 * and extensions.
 */
public final class Problem {
    public static final MediaType MEDIA_TYPE =
            new MediaType("application", "problem+json", "UTF-8");
    private static final String TYPE_PREFIX = "urn:arbor:problem:";

    private final JsonText body;
    private final Response.ResponseBuilder response;

    private Problem(int status, String type, String title, String detail) {
        this.body =
                JsonText.object()
                        .string("type", TYPE_PREFIX + type)
                        .string("title", title)
                        .number("status", status)
                        .string("detail", detail);
        this.response = Response.status(status);
    }

    /**
     * @param type the stable last part of the type URI, e.g. {@code wrong-expected-version}
     * @param title a short summary that is the same for every problem of this type
     * @param detail what happened this time
     */
    public static Problem of(int status, String type, String title, String detail) {
        return new Problem(status, type, title, detail);
    }

    public Problem with(String name, Object value) {
        body.value(name, value);
        return this;
    }

    /** An extension whose value is already JSON text (an array of objects, …). */
    public Problem withJson(String name, String json) {
        body.raw(name, json);
        return this;
    }

    public Problem header(String name, Object value) {
        response.header(name, value);
        return this;
    }

    public Response build() {
        return response.type(MEDIA_TYPE).entity(body.toString()).build();
    }
}
