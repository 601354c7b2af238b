package io.arbor.domain;

/**
 * Another append to the same stream committed first (the stream row's lock version moved, or the
 * row or a version was inserted by someone else). The attempt wrote nothing; the event store
 * retries it from the top, where the expectation is checked again against the winner's version.
 */
public class ConcurrentAppendException extends ArborException {
    public ConcurrentAppendException(StreamId streamId, Throwable cause) {
        super("Another append to stream " + streamId + " committed first", cause);
    }
}
