package io.arbor.domain;

import java.util.List;
import java.util.UUID;

/**
 * An event a writer asks to append.
 *
 * @param eventId the writer's id for the event, or {@code null} to let the store generate one. A
 *     writer-chosen id makes a retried append idempotent.
 * @param type the event's type, 1 to 200 characters
 * @param schemaVersion the version of the type's schema the data follows, 1 or more; {@code null}
 *     when the writer did not say, which the store resolves to the type's latest registered version
 *     (1 for a type without a schema) before writing
 * @param data the payload: the text of a JSON object
 * @param metadata the text of a JSON object ({@code {}} when the writer gave none)
 * @param tags the event's tags in the writer's order ({@code []} when none): see {@link Tags}
 */
public record NewEvent(
        UUID eventId,
        String type,
        Integer schemaVersion,
        String data,
        String metadata,
        List<String> tags) {
    public static final int MAX_TYPE_LENGTH = 200;

    public NewEvent {
        if (type == null || type.isEmpty() || type.length() > MAX_TYPE_LENGTH) {
            throw new InvalidInputException(
                    "/type", "An event type is required: 1 to " + MAX_TYPE_LENGTH + " characters");
        }
        if (schemaVersion != null && schemaVersion < 1) {
            throw new InvalidInputException("/schemaVersion", "schemaVersion must be 1 or more");
        }
        if (data == null) {
            throw new InvalidInputException("/data", "data is required and must be a JSON object");
        }
        if (metadata == null) {
            metadata = "{}";
        }
        tags = Tags.check("/tags", tags);
    }

    /** An event without tags. */
    public NewEvent(
            UUID eventId, String type, Integer schemaVersion, String data, String metadata) {
        this(eventId, type, schemaVersion, data, metadata, List.of());
    }

    /** This event, stored as following {@code version} of its type's schema. */
    public NewEvent withSchemaVersion(int version) {
        return new NewEvent(eventId, type, version, data, metadata, tags);
    }
}
