package io.arbor.domain.groups;

import io.arbor.domain.ArborException;
import java.util.List;
import java.util.UUID;

/**
 * An ack or nack names events that are not leased to this consumer (never fetched by it, already
 * acked, or taken back after the lease expired): nothing was acked or nacked.
 */
public class LeaseNotHeldException extends ArborException {
    private final List<UUID> eventIds;

    public LeaseNotHeldException(String consumer, List<UUID> eventIds) {
        super(
                eventIds.size()
                        + " of the events are not leased to consumer "
                        + consumer
                        + "; nothing was acknowledged");
        this.eventIds = List.copyOf(eventIds);
    }

    /** The ids not leased to the consumer. */
    public List<UUID> eventIds() {
        return eventIds;
    }
}
