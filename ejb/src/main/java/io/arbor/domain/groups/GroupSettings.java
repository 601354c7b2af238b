package io.arbor.domain.groups;

import io.arbor.domain.SubscriptionFilter;

/**
 * What a group delivers and how: its filter (the global log, maybe narrowed to a category and a
 * type, or one stream), its strategy and its limits.
 *
 * @param maxRetries an event is delivered at most {@code maxRetries} + 1 times, then parked
 * @param ackTimeoutSeconds how long a lease lasts, and how long a consumer stays live after a fetch
 * @param maxInFlight how many of the group's events may be leased at once, over all consumers
 */
public record GroupSettings(
        SubscriptionFilter filter,
        DeliveryStrategy strategy,
        int maxRetries,
        int ackTimeoutSeconds,
        int maxInFlight) {
    public static final int DEFAULT_MAX_RETRIES = 10;
    public static final int DEFAULT_ACK_TIMEOUT_SECONDS = 30;
    public static final int DEFAULT_MAX_IN_FLIGHT = 1000;

    /** True when an event delivered {@code attempts} times may not be delivered again. */
    public boolean exhausted(int attempts) {
        return attempts >= maxRetries + 1;
    }
}
