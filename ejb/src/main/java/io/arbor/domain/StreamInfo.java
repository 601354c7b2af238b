package io.arbor.domain;

import java.time.Instant;

/** A stream's head: its current version and when it was created and last appended to. */
public record StreamInfo(StreamId streamId, long version, Instant createdAt, Instant updatedAt) {}
