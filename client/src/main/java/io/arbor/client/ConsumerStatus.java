package io.arbor.client;

import java.time.Instant;

/**
 * A consumer of a group that fetched within the group's {@code ackTimeoutSeconds}.
 *
 * @param consumer its name
 * @param inFlight events leased to it now
 * @param lastSeen its last fetch
 */
public record ConsumerStatus(String consumer, int inFlight, Instant lastSeen) {}
