package io.arbor.web.api;

/**
 * Writes one JSON object as text. Values that are already JSON (stored event data) are written
 * through unchanged with {@link #raw}; strings are escaped per RFC 8259.
 */
public final class JsonText {
    private final StringBuilder out;
    private boolean empty = true;

    private JsonText(StringBuilder out) {
        this.out = out;
        out.append('{');
    }

    public static JsonText object() {
        return new JsonText(new StringBuilder(256));
    }

    public JsonText string(String name, String value) {
        name(name);
        if (value == null) {
            out.append("null");
        } else {
            quote(out, value);
        }
        return this;
    }

    public JsonText number(String name, long value) {
        name(name).append(value);
        return this;
    }

    public JsonText number(String name, Long value) {
        name(name).append(value == null ? "null" : value.toString());
        return this;
    }

    /** A value that is already JSON text (a stored object, a nested {@link JsonText}, …). */
    public JsonText raw(String name, String json) {
        name(name).append(json == null ? "null" : json);
        return this;
    }

    /** An array of values that are already JSON text. */
    public JsonText rawArray(String name, Iterable<String> jsonValues) {
        name(name).append('[');
        boolean first = true;
        for (String value : jsonValues) {
            if (!first) {
                out.append(',');
            }
            out.append(value);
            first = false;
        }
        out.append(']');
        return this;
    }

    /** A JSON array of values that are already JSON text. */
    public static String array(Iterable<String> jsonValues) {
        StringBuilder out = new StringBuilder("[");
        for (String value : jsonValues) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(value);
        }
        return out.append(']').toString();
    }

    /** Any JSON-compatible value: null, a number, a boolean, or a string. */
    public JsonText value(String name, Object value) {
        if (value instanceof Number || value instanceof Boolean || value == null) {
            name(name).append(value);
            return this;
        }
        return string(name, value.toString());
    }

    @Override
    public String toString() {
        return out + "}";
    }

    private StringBuilder name(String name) {
        if (!empty) {
            out.append(',');
        }
        empty = false;
        quote(out, name);
        return out.append(':');
    }

    static void quote(StringBuilder out, String text) {
        out.append('"');
        if (!needsEscaping(text)) {
            // The common case (ids, types, timestamps): one bulk copy instead of a char at a time.
            out.append(text).append('"');
            return;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean needsEscaping(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return true;
            }
        }
        return false;
    }
}
