package io.arbor.client;

import java.time.Instant;

/**
 * An event a consumer group gave up delivering until {@link ArborClient#replayParked}.
 *
 * @param event the event
 * @param deliveryAttempt how many times it had been delivered
 * @param parkedAt when it was parked
 * @param parkReason {@code max-retries} (delivered {@code maxRetries} + 1 times without an ack) or
 *     {@code nacked} (a {@link NackAction#PARK} nack)
 */
public record ParkedEvent(
        RecordedEvent event, int deliveryAttempt, Instant parkedAt, String parkReason) {}
