package io.arbor.domain.groups;

import java.time.Instant;

/** A live consumer of a group: how many events it holds, when it last fetched. */
public record ConsumerStatus(String consumer, long inFlight, Instant lastSeen) {}
