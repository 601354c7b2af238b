package io.arbor.web.api;

import io.arbor.domain.Append;
import io.arbor.domain.InvalidInputException;
import io.arbor.domain.StreamAppend;
import io.arbor.domain.StreamId;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /events}, read into an {@link Append}: {@code streams}, each entry a
 * stream id with the fields of a single-stream append's body ({@link AppendRequest}), its events
 * optional (none: a guard), and an optional {@code condition} ({@link EventQueryJson}). Pointers
 * name the entry: {@code /streams/3/events/2/type}.
 */
final class StreamsAppendRequest {
    private static final Set<String> FIELDS = Set.of("streams", "condition");
    private static final Set<String> STREAM_FIELDS =
            Set.of("streamId", "expectedVersion", "events");

    private StreamsAppendRequest() {}

    static Append from(JsonObject body) {
        JsonFields fields = new JsonFields(body, "", FIELDS);
        if (!(fields.value("streams") instanceof JsonArray array) || array.isEmpty()) {
            throw new InvalidInputException(
                    "/streams", "streams is required: an array of at least one stream entry");
        }
        List<StreamAppend> parts = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            parts.add(part(array.get(i), "/streams/" + i));
        }
        return new Append(parts, EventQueryJson.condition(fields));
    }

    private static StreamAppend part(JsonValue value, String at) {
        if (!(value instanceof JsonObject entry)) {
            throw new InvalidInputException(at, "Each stream entry must be a JSON object");
        }
        JsonFields fields = new JsonFields(entry, at, STREAM_FIELDS);
        StreamId stream = streamId(fields.requiredString("streamId"), at + "/streamId");
        return new StreamAppend(
                stream,
                AppendRequest.expectedVersion(fields, at),
                AppendRequest.events(fields, at, false),
                at);
    }

    private static StreamId streamId(String value, String pointer) {
        try {
            return StreamId.of(value);
        } catch (InvalidInputException invalid) {
            throw new InvalidInputException(pointer, invalid.getMessage());
        }
    }
}
