package io.arbor.web.api;

import io.arbor.domain.InvalidInputException;
import io.arbor.domain.groups.NackAction;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The body of {@code POST /subscriptions/{group}/ack} and {@code …/nack}: a consumer, the ids of
 * events leased to it, and for a nack what to do with them.
 */
record LeaseRequest(String consumer, List<UUID> eventIds, NackAction action) {
    private static final int MAX_IDS = 1000;
    private static final Set<String> ACK_FIELDS = Set.of("consumer", "eventIds");
    private static final Set<String> NACK_FIELDS = Set.of("consumer", "eventIds", "action");

    static LeaseRequest ack(JsonObject body) {
        JsonFields fields = new JsonFields(body, "", ACK_FIELDS);
        return new LeaseRequest(consumer(fields), eventIds(fields), null);
    }

    static LeaseRequest nack(JsonObject body) {
        JsonFields fields = new JsonFields(body, "", NACK_FIELDS);
        return new LeaseRequest(
                consumer(fields),
                eventIds(fields),
                NackAction.parse(fields.requiredString("action"), fields.pointer("action")));
    }

    /** A consumer's name: 1 to 100 characters, none a control character. */
    static String consumer(JsonFields fields) {
        String consumer = fields.requiredString("consumer");
        if (consumer.isEmpty()
                || consumer.length() > 100
                || consumer.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException(
                    fields.pointer("consumer"),
                    "consumer must be 1 to 100 characters with no control character");
        }
        return consumer;
    }

    private static List<UUID> eventIds(JsonFields fields) {
        String pointer = fields.pointer("eventIds");
        if (!(fields.value("eventIds") instanceof JsonArray array)
                || array.isEmpty()
                || array.size() > MAX_IDS) {
            throw new InvalidInputException(
                    pointer, "eventIds must be an array of 1 to " + MAX_IDS + " event ids");
        }
        List<UUID> ids = new ArrayList<>(array.size());
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            JsonValue value = array.get(i);
            UUID id = EventIds.inBody(value, pointer + "/" + i, "each event id");
            if (!seen.add(id)) {
                throw new InvalidInputException(
                        pointer + "/" + i, "event id " + id + " is listed twice");
            }
            ids.add(id);
        }
        return ids;
    }
}
