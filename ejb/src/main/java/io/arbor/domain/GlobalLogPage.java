package io.arbor.domain;

import java.util.List;

/**
 * A page of the global log.
 *
 * @param lastPosition the position to pass as {@code after} for the next page: the last event's
 *     position, or the requested {@code after} when the page is empty
 * @param headPosition the log's safe end when the page was read (the horizon: no event at or below
 *     it is still in flight): a page with fewer events than asked for holds every match up to it,
 *     so a reader may continue after it; a reader starting here sees only newer events
 */
public record GlobalLogPage(List<OutgoingEvent> events, long lastPosition, long headPosition) {}
