package io.arbor.client;

import jakarta.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * An event to append. Its id is chosen by the client ({@link #of} draws a random UUID), so a
 * retried append is recognised by the server and answered with the original result instead of
 * writing the events twice.
 *
 * @param eventId the event's id, unique across the store
 * @param type the event's type, 1 to 200 characters
 * @param data the payload, a JSON object
 * @param metadata a JSON object, or {@code null} for none
 * @param schemaVersion the version of the type's schema that {@code data} follows, or {@code null}
 *     for the server's default (1)
 * @param tags the event's tags ({@code []} for none): 0 to 32 distinct strings of 1 to 200
 *     characters, none a control character (the server answers 400 otherwise)
 */
public record NewEvent(
        UUID eventId,
        String type,
        JsonObject data,
        JsonObject metadata,
        Integer schemaVersion,
        List<String> tags) {

    public NewEvent {
        tags = tags == null ? List.of() : List.copyOf(tags);
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(data, "data");
        if (type == null || type.isEmpty() || type.length() > 200) {
            throw new IllegalArgumentException("an event type is 1 to 200 characters");
        }
        if (schemaVersion != null && schemaVersion < 1) {
            throw new IllegalArgumentException("schemaVersion is 1 or more");
        }
    }

    /** An event without tags. */
    public NewEvent(
            UUID eventId,
            String type,
            JsonObject data,
            JsonObject metadata,
            Integer schemaVersion) {
        this(eventId, type, data, metadata, schemaVersion, List.of());
    }

    /** This event with the given tags (api.md: 0-32 distinct strings of 1-200 characters). */
    public NewEvent withTags(List<String> tags) {
        return new NewEvent(eventId, type, data, metadata, schemaVersion, tags);
    }

    /** An event with a fresh random id, no metadata and the default schema version. */
    public static NewEvent of(String type, JsonObject data) {
        return new NewEvent(UUID.randomUUID(), type, data, null, null);
    }

    /** This event with the given metadata. */
    public NewEvent withMetadata(JsonObject metadata) {
        return new NewEvent(eventId, type, data, metadata, schemaVersion, tags);
    }

    /** This event with the given tags. */
    public NewEvent withTags(String... tags) {
        return new NewEvent(eventId, type, data, metadata, schemaVersion, List.of(tags));
    }

    /** This event with the given id (to re-append a known event, e.g. on import). */
    public NewEvent withId(UUID eventId) {
        return new NewEvent(eventId, type, data, metadata, schemaVersion, tags);
    }

    /**
     * The same event as recorded, to append it again elsewhere (keeps id, type, schema version,
     * tags).
     */
    public static NewEvent copyOf(RecordedEvent event) {
        return new NewEvent(
                event.eventId(),
                event.type(),
                event.data(),
                event.metadata(),
                event.schemaVersion(),
                event.tags());
    }
}
