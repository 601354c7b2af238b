package io.arbor.web.api;

import io.arbor.domain.InvalidInputException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Refuses a query string whose percent-encoded bytes are not UTF-8. JAX-RS decodes {@code
 * ?category=%FF} into U+FFFD, so the request read a category that nobody wrote and answered an
 * empty 200 (issue 13); a body with such bytes is refused, and so is a query.
 */
@Provider
@PreMatching
public class QueryEncodingFilter implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
        String rawQuery = request.getUriInfo().getRequestUri().getRawQuery();
        if (rawQuery != null) {
            check(rawQuery);
        }
    }

    /** Throws for the first parameter whose name or value does not decode to UTF-8 text. */
    static void check(String rawQuery) {
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String rawName = equals < 0 ? pair : pair.substring(0, equals);
            String name = decodeOrNull(rawName);
            if (name == null || (equals >= 0 && decodeOrNull(pair.substring(equals + 1)) == null)) {
                throw InvalidInputException.parameter(
                        name != null ? name : rawName,
                        "The query parameter "
                                + (name != null ? name : rawName)
                                + " is not percent-encoded UTF-8");
            }
        }
    }

    /** The percent-decoded text, or null when the escapes are broken or the bytes not UTF-8. */
    private static String decodeOrNull(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                // Not in a URI's alphabet; the container hands us what it decoded, as UTF-8.
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        try {
            return JsonBodies.strictUtf8(bytes.toByteArray());
        } catch (CharacterCodingException notUtf8) {
            return null;
        }
    }
}
