package io.arbor.client;

/**
 * An event leased to a consumer by {@link ArborClient#fetch}: ack or nack it before the group's
 * {@code ackTimeoutSeconds}, or it is delivered again.
 *
 * @param event the event (upcast to its type's latest schema version)
 * @param deliveryAttempt 1 on its first delivery to the group, one more on each redelivery
 */
public record Delivery(RecordedEvent event, int deliveryAttempt) {}
