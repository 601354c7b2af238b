package io.arbor.web.api;

import io.arbor.domain.Append;
import io.arbor.domain.AppendCondition;
import io.arbor.domain.ExpectedVersion;
import io.arbor.domain.InvalidInputException;
import io.arbor.domain.NewEvent;
import io.arbor.domain.StreamId;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The body of {@code POST /streams/{id}/events}, read into domain values. */
record AppendRequest(
        ExpectedVersion expectedVersion, List<NewEvent> events, AppendCondition condition) {
    private static final Set<String> FIELDS = Set.of("expectedVersion", "events", "condition");
    private static final Set<String> EVENT_FIELDS =
            Set.of("eventId", "type", "data", "metadata", "schemaVersion", "tags");

    static AppendRequest from(JsonObject body) {
        JsonFields fields = new JsonFields(body, "", FIELDS);
        return new AppendRequest(
                expectedVersion(fields, ""),
                events(fields, "", true),
                EventQueryJson.condition(fields));
    }

    /** The append this body asks of {@code stream}. */
    Append toStream(StreamId stream) {
        return Append.toStream(stream, expectedVersion, events, condition);
    }

    /**
     * The {@code expectedVersion} of the object at {@code at} in the body (a single-stream append's
     * body, or one stream's entry of {@code POST /events}); absent: {@code any}.
     */
    static ExpectedVersion expectedVersion(JsonFields fields, String at) {
        if (fields.isAbsent("expectedVersion")) {
            return ExpectedVersion.ANY;
        }
        JsonValue value = fields.value("expectedVersion");
        if (value instanceof JsonString keyword) {
            try {
                return ExpectedVersion.ofKeyword(keyword.getString());
            } catch (InvalidInputException invalid) {
                throw new InvalidInputException(at + invalid.pointer(), invalid.getMessage());
            }
        }
        return ExpectedVersion.exactly(
                JsonFields.integer(
                        value, at + "/expectedVersion", "expectedVersion", 0, Long.MAX_VALUE));
    }

    /**
     * The {@code events} of the object at {@code at} in the body; when not {@code required}, absent
     * means none (a guard of {@code POST /events}).
     */
    static List<NewEvent> events(JsonFields fields, String at, boolean required) {
        if (!required && fields.isAbsent("events")) {
            return List.of();
        }
        if (!(fields.value("events") instanceof JsonArray array)) {
            throw new InvalidInputException(
                    at + "/events", "events is required and must be an array");
        }
        List<NewEvent> events = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            events.add(event(array.get(i), at + "/events/" + i));
        }
        return events;
    }

    private static NewEvent event(JsonValue value, String pointer) {
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidInputException(pointer, "Each event must be a JSON object");
        }
        JsonFields fields = new JsonFields((JsonObject) value, pointer, EVENT_FIELDS);
        UUID eventId = fields.isAbsent("eventId") ? null : eventId(fields);
        String type = fields.requiredString("type");
        String data = fields.requiredObject("data");
        String metadata = fields.isAbsent("metadata") ? null : fields.objectText("metadata");
        // Absent: the type's latest registered version, settled by the store.
        Integer schemaVersion =
                fields.isAbsent("schemaVersion")
                        ? null
                        : (int) fields.integer("schemaVersion", 1, Integer.MAX_VALUE);
        List<String> tags = fields.strings("tags");
        try {
            return new NewEvent(eventId, type, schemaVersion, data, metadata, tags);
        } catch (InvalidInputException invalid) {
            throw new InvalidInputException(pointer + invalid.pointer(), invalid.getMessage());
        }
    }

    private static UUID eventId(JsonFields fields) {
        return EventIds.inBody(fields.value("eventId"), fields.pointer("eventId"), "eventId");
    }
}
