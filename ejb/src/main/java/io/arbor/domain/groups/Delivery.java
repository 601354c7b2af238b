package io.arbor.domain.groups;

import io.arbor.domain.OutgoingEvent;

/** An event leased to a consumer, and how many times it has been delivered (1 the first time). */
public record Delivery(OutgoingEvent event, int deliveryAttempt) {}
