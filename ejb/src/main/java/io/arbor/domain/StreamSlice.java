package io.arbor.domain;

import java.util.List;
import java.util.OptionalLong;

/**
 * A page of one stream's events.
 *
 * @param version the stream's version when the page was read
 * @param next the {@code from} of the following page; empty at the end of the stream
 */
public record StreamSlice(
        StreamId streamId, long version, List<OutgoingEvent> events, OptionalLong next) {}
