package io.arbor.web.api;

import io.arbor.domain.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads a request body into a JSON object, strictly: at most {@code arbor.append.max-body-bytes}
 * (413 past it), UTF-8 only with malformed bytes refused rather than replaced (a lenient decoder
 * would store U+FFFD in place of what the writer sent), one JSON object and nothing after it, no
 * member name twice in one object.
 */
@ApplicationScoped
public class JsonBodies {
    @Inject
    @ConfigProperty(name = "arbor.append.max-body-bytes")
    long maxBodyBytes;

    /**
     * One factory for every request: {@code Json.createParser} looks the provider up through the
     * ServiceLoader on each call, which scanned class-path jars and took a quarter of the CPU of a
     * single-event append (JFR, 8 clients).
     */
    private final JsonParserFactory parsers = Json.createParserFactory(Map.of());

    private final JsonBuilderFactory builders = Json.createBuilderFactory(Map.of());

    /**
     * Parsson's own default nesting limit, which {@code getObject()} enforced before this class
     * walked the body itself: deeper is a 400, as the README says.
     */
    private static final int MAX_DEPTH = 1000;

    public JsonObject readObject(HttpHeaders headers, InputStream body) {
        return readObject(headers.getMediaType(), headers.getLength(), body);
    }

    /**
     * @param declaredLength the request's Content-Length, -1 when it has none (chunked)
     */
    JsonObject readObject(MediaType contentType, long declaredLength, InputStream body) {
        requireJsonInUtf8(contentType);
        // A declared length over the limit is refused before reading a byte: waiting for a body
        // that will be refused anyway held the connection until the read timed out, 60 s later,
        // and answered 408 (issue 13).
        if (declaredLength > maxBodyBytes) {
            throw new RequestTooLargeException(maxBodyBytes);
        }
        byte[] bytes = readAtMost(body, maxBodyBytes);
        if (bytes.length == 0) {
            throw new InvalidInputException(
                    "", "The request body is empty; a JSON object is required");
        }
        String text = decodeUtf8(bytes);
        try (JsonParser parser = parsers.createParser(new StringReader(text))) {
            if (parser.next() != JsonParser.Event.START_OBJECT) {
                throw new InvalidInputException("", "The request body must be a JSON object");
            }
            JsonObject object = parse(parser);
            // The parser stops after the object and ignores whatever follows it; we do not.
            int end = (int) parser.getLocation().getStreamOffset();
            if (!text.substring(Math.min(end, text.length())).isBlank()) {
                throw new InvalidInputException(
                        "", "The request body has content after its JSON object");
            }
            return object;
        } catch (JsonException | IllegalStateException | NoSuchElementException malformed) {
            throw new InvalidInputException(
                    "", "The request body is not valid JSON: " + malformed.getMessage());
        }
    }

    /**
     * Builds the object event by event instead of with {@code parser.getObject()}, which keeps the
     * last of two members with one name: {@code {"events":[A],"events":[B,C]}} appended B and C,
     * and {@code {"a":1,"a":2}} was stored as {@code {"a":2}} (issue 13). A duplicate name anywhere
     * in a body is refused, with the pointer to its second occurrence. The parser's own guards
     * against hostile input (a number longer than 1,100 characters) throw plain runtime exceptions,
     * not {@link JsonException}: they are refusals of the body all the same, so a 400, not a 500
     * (found by {@code HostileInputFuzzIT}).
     */
    private JsonObject parse(JsonParser parser) {
        try {
            return object(parser, "", 1);
        } catch (JsonException | IllegalStateException | NoSuchElementException malformed) {
            throw malformed;
        } catch (InvalidInputException refused) {
            throw refused;
        } catch (RuntimeException refusedByParser) {
            throw new InvalidInputException(
                    "", "The request body is not acceptable JSON: " + refusedByParser.getMessage());
        }
    }

    /** After a {@code START_OBJECT}: its members, up to the matching {@code END_OBJECT}. */
    private JsonObject object(JsonParser parser, String pointer, int depth) {
        JsonObjectBuilder object = builders.createObjectBuilder();
        Set<String> names = new HashSet<>();
        for (JsonParser.Event event = parser.next();
                event != JsonParser.Event.END_OBJECT;
                event = parser.next()) {
            String name = parser.getString();
            String at = pointer + "/" + InvalidInputException.token(name);
            if (!names.add(name)) {
                throw new InvalidInputException(
                        at, "The member \"" + name + "\" appears more than once in one object");
            }
            object.add(name, value(parser, parser.next(), at, depth));
        }
        return object.build();
    }

    /** After a {@code START_ARRAY}: its elements, up to the matching {@code END_ARRAY}. */
    private JsonArray array(JsonParser parser, String pointer, int depth) {
        JsonArrayBuilder array = builders.createArrayBuilder();
        int index = 0;
        for (JsonParser.Event event = parser.next();
                event != JsonParser.Event.END_ARRAY;
                event = parser.next()) {
            array.add(value(parser, event, pointer + "/" + index++, depth));
        }
        return array.build();
    }

    /**
     * One value, starting at {@code event}. Nesting is bounded here because this walk recurses: a 4
     * MiB body of {@code [} would otherwise overflow the stack (the parser's own depth guard holds
     * only for its {@code getObject}).
     */
    private JsonValue value(JsonParser parser, JsonParser.Event event, String pointer, int depth) {
        return switch (event) {
            case START_OBJECT -> object(parser, pointer, deeper(depth, pointer));
            case START_ARRAY -> array(parser, pointer, deeper(depth, pointer));
            default -> parser.getValue();
        };
    }

    private static int deeper(int depth, String pointer) {
        if (depth >= MAX_DEPTH) {
            throw new InvalidInputException(
                    pointer, "The request body nests deeper than " + MAX_DEPTH + " levels");
        }
        return depth + 1;
    }

    /**
     * The resources declare no {@code @Consumes}: JAX-RS would answer another type with its own 415
     * while this method answers a wrong charset, and the two disagreed on the problem type (issue
     * 13). So every body's media type is checked here, once. A body without Content-Type is refused
     * like one that says something else.
     */
    private static void requireJsonInUtf8(MediaType contentType) {
        if (contentType == null) {
            throw new UnsupportedMediaTypeException(
                    "A request body needs Content-Type: application/json");
        }
        if (!contentType.getType().equalsIgnoreCase("application")
                || !contentType.getSubtype().equalsIgnoreCase("json")) {
            throw new UnsupportedMediaTypeException(
                    "Request bodies must be application/json, not "
                            + contentType.getType()
                            + "/"
                            + contentType.getSubtype());
        }
        String charset = contentType.getParameters().get("charset");
        if (charset != null && !charset.equalsIgnoreCase("utf-8")) {
            throw new UnsupportedMediaTypeException(
                    "Request bodies must be application/json in UTF-8, not " + charset);
        }
    }

    private static byte[] readAtMost(InputStream body, long limit) {
        try {
            byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (bytes.length > limit) {
                throw new RequestTooLargeException(limit);
            }
            return bytes;
        } catch (IOException broken) {
            // The client stopped sending (or the connection broke) mid-body: not Arbor's fault,
            // and nothing was written.
            throw new WebApplicationException(
                    "The request body could not be read: " + broken.getMessage(), 408);
        }
    }

    private static String decodeUtf8(byte[] bytes) {
        try {
            return strictUtf8(bytes);
        } catch (CharacterCodingException notUtf8) {
            throw new UnsupportedMediaTypeException(
                    "The request body is not valid UTF-8, which application/json must be");
        }
    }

    /** UTF-8 that refuses malformed bytes instead of replacing them with U+FFFD. */
    static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }
}
