package io.arbor.application.subscriptions;

import io.arbor.domain.RecordedEvent;

/**
 * A live subscription that wants events upcast reached one that could not be upcast: it ends there
 * (with {@code dropped}), having sent every event before it; the tailer and the other subscriptions
 * go on.
 */
final class UpcastFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient RecordedEvent event;

    UpcastFailedException(RecordedEvent event, RuntimeException cause) {
        super(
                "event at "
                        + event.globalPosition()
                        + " (type "
                        + event.type()
                        + " v"
                        + event.schemaVersion()
                        + ") could not be upcast",
                cause);
        this.event = event;
    }

    RecordedEvent event() {
        return event;
    }
}
