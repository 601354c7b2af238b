package io.arbor.infrastructure.archive;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A JSON text as PostgreSQL prints the {@code jsonb} value it denotes: the one place where the two
 * tiers' texts are made the same (issue 20). A read of PostgreSQL hands out {@code jsonb}'s own
 * text ({@code {"n": 1.50}}); a segment holds compact JSON-P text of the same value ({@code
 * {"n":1.50}}, {@code 1E-7} for {@code 0.0000001}). Every event read from a segment goes through
 * {@link #of} so that the API answers the same bytes whichever tier held the range; PostgreSQL's
 * reads stay untouched (no cost on the hot path).
 *
 * <p>PostgreSQL 15's {@code jsonb} output ({@code JsonbToCString}): {@code ": "} after a key,
 * {@code ", "} between members and elements, object keys sorted shorter first then bytewise
 * (UTF-8), numbers as {@code numeric} prints them (plain notation, the value's scale), strings
 * escaped with {@code \" \\ \b \f \n \r \t} and {@code \\u00xx} (lowercase) for the other control
 * characters, everything else as is.
 */
public final class JsonbText {
    private final String text;
    private int at;

    private JsonbText(String text) {
        this.text = text;
    }

    /**
     * {@code json}'s value in PostgreSQL's {@code jsonb} text.
     *
     * @throws IllegalArgumentException when {@code json} is not one JSON value
     */
    public static String of(String json) {
        JsonbText parser = new JsonbText(json);
        StringBuilder out = new StringBuilder(json.length() + json.length() / 8 + 8);
        parser.value(out);
        parser.whitespace();
        if (parser.at != json.length()) {
            throw parser.error("text after the value");
        }
        return out.toString();
    }

    private void value(StringBuilder out) {
        whitespace();
        if (at >= text.length()) {
            throw error("a value is missing");
        }
        char c = text.charAt(at);
        switch (c) {
            case '{' -> object(out);
            case '[' -> array(out);
            case '"' -> escape(out, string());
            case 't' -> literal(out, "true");
            case 'f' -> literal(out, "false");
            case 'n' -> literal(out, "null");
            default -> number(out);
        }
    }

    private void object(StringBuilder out) {
        at++;
        List<String[]> members = new ArrayList<>();
        whitespace();
        if (peek() == '}') {
            at++;
        } else {
            while (true) {
                whitespace();
                if (peek() != '"') {
                    throw error("a key is missing");
                }
                String key = string();
                whitespace();
                expect(':');
                StringBuilder value = new StringBuilder();
                value(value);
                members.add(new String[] {key, value.toString()});
                whitespace();
                if (peek() == ',') {
                    at++;
                } else {
                    expect('}');
                    break;
                }
            }
        }
        // jsonb keeps one member per key, the last one written, in its own key order.
        members.sort((a, b) -> compareKeys(a[0], b[0]));
        List<String[]> unique = new ArrayList<>(members.size());
        for (String[] member : members) {
            if (!unique.isEmpty() && unique.get(unique.size() - 1)[0].equals(member[0])) {
                unique.set(unique.size() - 1, member);
            } else {
                unique.add(member);
            }
        }
        out.append('{');
        for (int i = 0; i < unique.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            escape(out, unique.get(i)[0]);
            out.append(": ").append(unique.get(i)[1]);
        }
        out.append('}');
    }

    /** jsonb's key order: shorter (in UTF-8 bytes) first, then bytewise. */
    static int compareKeys(String a, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        if (x.length != y.length) {
            return Integer.compare(x.length, y.length);
        }
        return Arrays.compareUnsigned(x, y);
    }

    private void array(StringBuilder out) {
        at++;
        out.append('[');
        whitespace();
        if (peek() == ']') {
            at++;
        } else {
            boolean first = true;
            while (true) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                value(out);
                whitespace();
                if (peek() == ',') {
                    at++;
                } else {
                    expect(']');
                    break;
                }
            }
        }
        out.append(']');
    }

    private String string() {
        at++;
        StringBuilder decoded = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw error("a string is not closed");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return decoded.toString();
            }
            if (c != '\\') {
                decoded.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw error("an escape is cut short");
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> decoded.append(e);
                case 'b' -> decoded.append('\b');
                case 'f' -> decoded.append('\f');
                case 'n' -> decoded.append('\n');
                case 'r' -> decoded.append('\r');
                case 't' -> decoded.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw error("a \\u escape is cut short");
                    }
                    try {
                        decoded.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    } catch (NumberFormatException notHex) {
                        throw error("a \\u escape is not hex");
                    }
                    at += 4;
                }
                default -> throw error("an unknown escape \\" + e);
            }
        }
    }

    private static void escape(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < ' ') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private void number(StringBuilder out) {
        int start = at;
        while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        if (start == at) {
            throw error("not a JSON value");
        }
        try {
            // numeric prints plain notation with the value's scale: 1E-7 -> 0.0000001, 1.0E+2 ->
            // 100, 1.50 -> 1.50; and has no negative zero.
            out.append(new BigDecimal(text.substring(start, at)).toPlainString());
        } catch (NumberFormatException notNumber) {
            throw error("not a number");
        }
    }

    private void literal(StringBuilder out, String word) {
        if (!text.startsWith(word, at)) {
            throw error("not a JSON value");
        }
        at += word.length();
        out.append(word);
    }

    private void whitespace() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("'" + c + "' expected");
        }
        at++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("Not one JSON value (" + what + " at " + at + ")");
    }
}
