package io.arbor.client;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * An error answer of the server (RFC 9457 problem+json).
 *
 * @param type the problem type URI, e.g. {@code urn:arbor:problem:wrong-expected-version}
 * @param title the type's summary
 * @param status the HTTP status
 * @param detail what happened this time
 * @param body the whole problem object, extensions included ({@code pointer}, {@code
 *     actualVersion}, {@code incident}, …)
 */
public record Problem(String type, String title, int status, String detail, JsonObject body) {

    /** The last part of the type URI ({@code wrong-expected-version}), or the whole type. */
    public String kind() {
        return type == null ? "" : type.substring(type.lastIndexOf(':') + 1);
    }

    /** An extension member as text, or null when absent. */
    public String string(String name) {
        JsonValue value = body.get(name);
        if (value instanceof JsonString string) {
            return string.getString();
        }
        return value == null || value == JsonValue.NULL ? null : value.toString();
    }

    /** An extension member as a number, or -1 when absent or not a number. */
    public long number(String name) {
        return body.get(name) instanceof JsonNumber number ? number.longValue() : -1;
    }

    static Problem from(int status, JsonObject body) {
        return new Problem(
                body.getString("type", "about:blank"),
                body.getString("title", ""),
                body.getInt("status", status),
                body.getString("detail", ""),
                body);
    }
}
