package io.arbor.domain;

import java.util.List;

/**
 * A page of the global log.
 *
 * @param lastPosition the position to pass as {@code after} for the next page: the last event's
 *     position, or the requested {@code after} when the page is empty
 */
public record GlobalLogPage(List<OutgoingEvent> events, long lastPosition) {}
