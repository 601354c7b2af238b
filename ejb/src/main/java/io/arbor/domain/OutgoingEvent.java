package io.arbor.domain;

/**
 * An event on its way out of the store in a read page: a {@link RecordedEvent} read from the
 * database, or one the hot cache serves from its stored bytes without decoding it. Upcasting looks
 * at {@link #type} and {@link #schemaVersion} only, and asks for the {@link #record} of the few
 * events it changes; every other event goes out as {@link #writeJson} writes it.
 */
public interface OutgoingEvent {
    String type();

    int schemaVersion();

    /** The event's version in its stream. */
    long version();

    /** The event's position in the global log. */
    long globalPosition();

    /** The whole event (decoded, for an event the cache serves). */
    RecordedEvent record();

    /** Writes api.md's EVENT object for this event. */
    void writeJson(EventJson out);
}
