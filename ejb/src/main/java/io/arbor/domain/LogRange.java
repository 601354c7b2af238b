package io.arbor.domain;

import java.util.List;

/**
 * A page of the global log together with how far it was searched: every matching event after the
 * query's {@code after} and at or below {@code scannedUpTo} is in {@code events}. A filtered page
 * that found few or no events still moves {@code scannedUpTo} up to the log's safe end, so that the
 * next page (or a resumed subscription) starts there instead of scanning the same range again.
 *
 * @param events matching events, in position order
 * @param scannedUpTo the position up to which the log was searched
 * @param complete true when the page reached the log's safe end (it held fewer than its limit)
 */
public record LogRange(List<OutgoingEvent> events, long scannedUpTo, boolean complete) {
    public LogRange {
        events = List.copyOf(events);
    }
}
