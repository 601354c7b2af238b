package io.arbor.client;

import java.time.Instant;
import java.util.List;

/**
 * A consumer group's settings and where it stands (docs/consumer-groups.md, GROUP).
 *
 * @param group its name
 * @param filter which events it delivers
 * @param strategy how it spreads them
 * @param maxRetries redeliveries before an event is parked
 * @param ackTimeoutSeconds how long a lease lasts
 * @param maxInFlight events leased at once, over all consumers
 * @param checkpoint the highest position at or below which every matching event is done (acked,
 *     skipped or parked)
 * @param headPosition the global log's horizon
 * @param lag {@code headPosition - checkpoint}, never below 0
 * @param inFlight events leased now
 * @param parked events parked now
 * @param consumers the live consumers, by name
 * @param createdAt when the group was created
 */
public record GroupStatus(
        String group,
        GroupFilter filter,
        DeliveryStrategy strategy,
        int maxRetries,
        int ackTimeoutSeconds,
        int maxInFlight,
        long checkpoint,
        long headPosition,
        long lag,
        long inFlight,
        long parked,
        List<ConsumerStatus> consumers,
        Instant createdAt) {
    public GroupStatus {
        consumers = List.copyOf(consumers);
    }
}
