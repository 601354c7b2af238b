package io.arbor.domain;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Recognises the retry of an append that already committed. A retry is the same events again: every
 * event of the request has an id, and is the stored event with that id (same type, data, metadata
 * as JSON values, same schema version), in this stream at consecutive versions in the request's
 * order, where the request's expected version held. Anything else reuses ids and is refused with
 * the first id that differs: acknowledging it would tell the writer that an event it never stored
 * was accepted (issue 13: {@code {"eventId": a, "type": "Hacked"}} answered 200).
 */
public final class AppendRetry {
    private AppendRetry() {}

    /**
     * The original append's result, as a replay.
     *
     * @param stored the events already stored with any of the request's ids (not empty)
     * @throws DuplicateEventIdException when the request is not a retry of what is stored
     */
    public static AppendResult replay(
            StreamId stream,
            ExpectedVersion expected,
            List<NewEvent> batch,
            List<RecordedEvent> stored) {
        Map<UUID, RecordedEvent> byId = new HashMap<>();
        stored.forEach(event -> byId.put(event.eventId(), event));
        RecordedEvent first = null;
        RecordedEvent last = null;
        for (int i = 0; i < batch.size(); i++) {
            NewEvent wanted = batch.get(i);
            RecordedEvent had = wanted.eventId() == null ? null : byId.get(wanted.eventId());
            if (had == null) {
                RecordedEvent reused = stored.get(0);
                throw new DuplicateEventIdException(
                        reused.eventId(),
                        "This append reuses the stored event id "
                                + reused.eventId()
                                + " (stream "
                                + reused.streamId()
                                + ", version "
                                + reused.version()
                                + ") but its event "
                                + i
                                + " is not stored: it is not a retry of the append that stored"
                                + " them");
            }
            if (first == null) {
                first = had;
            }
            String difference = difference(stream, wanted, had, first.version() + i);
            if (difference != null) {
                throw new DuplicateEventIdException(
                        had.eventId(),
                        "Event id "
                                + had.eventId()
                                + " is already stored (stream "
                                + had.streamId()
                                + ", version "
                                + had.version()
                                + ") with a different "
                                + difference
                                + ": this append is not a retry of the one that stored it");
            }
            last = had;
        }
        if (!expected.isMetBy(first.version() - 1)) {
            throw new DuplicateEventIdException(
                    first.eventId(),
                    "These events are already stored in stream "
                            + stream
                            + " from version "
                            + first.version()
                            + ", which the append's expected version "
                            + expected
                            + " does not match");
        }
        return new AppendResult(
                stream,
                first.version(),
                last.version(),
                first.globalPosition(),
                last.globalPosition(),
                true);
    }

    /** What differs between the request's event and the stored one; null when nothing does. */
    private static String difference(
            StreamId stream, NewEvent wanted, RecordedEvent had, long expectedVersion) {
        if (!had.streamId().equals(stream)) {
            return "stream";
        }
        if (had.version() != expectedVersion) {
            return "version (the request's events are not the stored ones in the same order)";
        }
        if (!had.type().equals(wanted.type())) {
            return "type";
        }
        // The store settles an absent schemaVersion before the attempt (EventSchemas.validate).
        if (wanted.schemaVersion() == null || had.schemaVersion() != wanted.schemaVersion()) {
            return "schemaVersion";
        }
        if (!JsonValues.sameValue(wanted.data(), had.data())) {
            return "data";
        }
        if (!JsonValues.sameValue(wanted.metadata(), had.metadata())) {
            return "metadata";
        }
        if (!had.tags().equals(wanted.tags())) {
            return "tags";
        }
        return null;
    }
}
