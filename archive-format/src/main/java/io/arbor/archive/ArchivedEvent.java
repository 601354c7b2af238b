package io.arbor.archive;

import static io.arbor.archive.JsonText.BUILDERS;
import static io.arbor.archive.JsonText.READERS;
import static io.arbor.archive.JsonText.number;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One row of the {@code events} table as an archive segment holds it: every column, so that a
 * restore writes the row back as it was (docs/archive.md, "File format").
 *
 * <p>Its line is api.md's EVENT in the stored form, as {@code arbor export} writes it ({@code
 * eventId, streamId, version, globalPosition, type, schemaVersion, data, metadata, tags,
 * recordedAt}, then {@code writtenBy} and {@code hash} when present), followed by the two columns
 * the API does not show: {@code tenant} and {@code category}.
 *
 * @param tenant the tenant the event belongs to
 * @param globalPosition its position in the global log
 * @param eventId its id
 * @param streamId its stream
 * @param version its version in the stream
 * @param category the stream's category, as the row holds it
 * @param type the event's type
 * @param schemaVersion the version of the type's schema
 * @param data the payload, one JSON text (PostgreSQL's {@code jsonb} text or any other text of the
 *     same value; read back, the text is compact)
 * @param metadata the metadata, one JSON text
 * @param tags the tags in the writer's order ({@code []} when none)
 * @param recordedAt when it was committed
 * @param writtenBy the {@code sub} of the token that appended it; null when none
 * @param hash the event's hash in its stream's chain, 64 lowercase hex digits; null when the event
 *     is not chained (docs/tamper-evidence.md)
 */
public record ArchivedEvent(
        String tenant,
        long globalPosition,
        UUID eventId,
        String streamId,
        long version,
        String category,
        String type,
        int schemaVersion,
        String data,
        String metadata,
        List<String> tags,
        Instant recordedAt,
        String writtenBy,
        String hash) {

    public ArchivedEvent {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(recordedAt, "recordedAt");
        tags = tags == null ? List.of() : List.copyOf(tags);
        if (hash != null && !hash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(
                    "An event's hash is 64 lowercase hex digits, not \"" + hash + "\"");
        }
    }

    /** The event's line in a segment (without the newline). */
    String toLine() {
        JsonArrayBuilder tagArray = BUILDERS.createArrayBuilder();
        tags.forEach(tagArray::add);
        JsonObjectBuilder line =
                BUILDERS.createObjectBuilder()
                        .add("eventId", eventId.toString())
                        .add("streamId", streamId)
                        .add("version", version)
                        .add("globalPosition", globalPosition)
                        .add("type", type)
                        .add("schemaVersion", schemaVersion)
                        .add("data", json("data", data))
                        .add("metadata", json("metadata", metadata))
                        .add("tags", tagArray)
                        .add("recordedAt", recordedAt.toString());
        if (writtenBy != null) {
            line.add("writtenBy", writtenBy);
        }
        if (hash != null) {
            line.add("hash", hash);
        }
        return line.add("tenant", tenant).add("category", category).build().toString();
    }

    /** {@code "streamId":"…"} as the lines of this stream hold it (escaped as the writer does). */
    static String streamIdMember(String streamId) {
        String object = BUILDERS.createObjectBuilder().add("streamId", streamId).build().toString();
        return object.substring(1, object.length() - 1);
    }

    private JsonValue json(String field, String text) {
        try (JsonReader reader = READERS.createReader(new StringReader(text))) {
            return reader.readValue();
        } catch (JsonException notJson) {
            throw new IllegalArgumentException(
                    "Event at position " + globalPosition + ": " + field + " is not one JSON value",
                    notJson);
        }
    }

    /**
     * The event of one segment line.
     *
     * @throws IllegalArgumentException when the line is not an event's line (the caller names the
     *     file and block)
     */
    static ArchivedEvent fromLine(String line) {
        JsonObject json;
        try (JsonReader reader = READERS.createReader(new StringReader(line))) {
            json = reader.readObject();
        } catch (JsonException | IllegalStateException notAnObject) {
            throw new IllegalArgumentException("not a JSON object: " + notAnObject.getMessage());
        }
        try {
            return new ArchivedEvent(
                    json.getString("tenant"),
                    number(json, "globalPosition"),
                    UUID.fromString(json.getString("eventId")),
                    json.getString("streamId"),
                    number(json, "version"),
                    json.getString("category"),
                    json.getString("type"),
                    Math.toIntExact(number(json, "schemaVersion")),
                    value(json, "data").toString(),
                    value(json, "metadata").toString(),
                    json.getJsonArray("tags").getValuesAs(JsonString.class).stream()
                            .map(JsonString::getString)
                            .toList(),
                    Instant.parse(json.getString("recordedAt")),
                    json.getString("writtenBy", null),
                    json.getString("hash", null));
        } catch (NullPointerException
                | ClassCastException
                | ArithmeticException
                | DateTimeParseException missingOrMistyped) {
            // JSON-P's getters throw these for a member that is absent or of another type.
            throw new IllegalArgumentException(
                    "not an archived event (" + missingOrMistyped + "): " + abbreviate(line));
        }
    }

    private static JsonValue value(JsonObject json, String name) {
        JsonValue value = json.get(name);
        if (value == null) {
            throw new NullPointerException(name + " is missing");
        }
        return value;
    }

    private static String abbreviate(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + "…";
    }
}
