package io.arbor.domain.groups;

import io.arbor.domain.OutgoingEvent;
import java.time.Instant;

/**
 * An event set aside by a group until replayed.
 *
 * @param deliveryAttempts how many times it was delivered before it was parked
 * @param reason {@code nacked} (a consumer parked it) or {@code max-retries}
 */
public record ParkedEvent(
        OutgoingEvent event, int deliveryAttempts, Instant parkedAt, String reason) {}
