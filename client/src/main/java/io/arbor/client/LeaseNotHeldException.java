package io.arbor.client;

import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import java.util.List;
import java.util.UUID;

/**
 * 409: an ack or nack named events not leased to this consumer (their lease expired and was taken
 * back, or a reset dropped it); nothing was acked or nacked. {@link #eventIds()} names them, so the
 * rest can be acked again.
 */
public class LeaseNotHeldException extends ArborProblemException {
    public LeaseNotHeldException(Problem problem) {
        super(problem);
    }

    /** The ids of the request that were not leased to the consumer. */
    public List<UUID> eventIds() {
        if (!(problem().body().get("eventIds") instanceof JsonArray ids)) {
            return List.of();
        }
        return ids.getValuesAs(JsonString.class).stream()
                .map(id -> UUID.fromString(id.getString()))
                .toList();
    }
}
