package io.arbor.application.subscriptions;

import io.arbor.domain.EventJson;
import io.arbor.domain.OutgoingEvent;
import io.arbor.domain.RecordedEvent;
import java.nio.charset.StandardCharsets;

/**
 * One event the tailer read, shared by every subscription it is fanned out to: its EVENT text is
 * written once per form (as stored, upcast) by whichever subscriber needs it first, not once per
 * subscriber.
 */
final class LiveEvent {
    private final RecordedEvent stored;
    private final OutgoingEvent upcast;
    private volatile String storedJson;
    private volatile String upcastJson;

    LiveEvent(RecordedEvent stored, OutgoingEvent upcast) {
        this.stored = stored;
        this.upcast = upcast;
    }

    RecordedEvent stored() {
        return stored;
    }

    /** api.md's EVENT on one line, upcast to its type's latest schema version or as stored. */
    String json(boolean upcasting) {
        // Two subscribers may both write it: the same text, and a String is safely published.
        if (upcasting) {
            String json = upcastJson;
            if (json == null) {
                upcastJson = json = json(upcast);
            }
            return json;
        }
        String json = storedJson;
        if (json == null) {
            storedJson = json = json(stored);
        }
        return json;
    }

    /** EVENT text of one event (it is one line: EventJson escapes control characters). */
    static String json(OutgoingEvent event) {
        EventJson out = new EventJson(512);
        event.writeJson(out);
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }
}
