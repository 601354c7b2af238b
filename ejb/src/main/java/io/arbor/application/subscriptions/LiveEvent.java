package io.arbor.application.subscriptions;

import io.arbor.domain.EventJson;
import io.arbor.domain.OutgoingEvent;
import io.arbor.domain.RecordedEvent;
import io.arbor.domain.Tenant;
import java.nio.charset.StandardCharsets;

/**
 * One event the tailer read, of one tenant, shared by every subscription of that tenant it is
 * fanned out to: its EVENT text is written once per form (as stored, upcast) by whichever
 * subscriber needs it first, not once per subscriber.
 */
final class LiveEvent {
    private final Tenant tenant;
    private final RecordedEvent stored;
    private final OutgoingEvent upcast;
    private volatile String storedJson;
    private volatile String upcastJson;

    /** Why it could not be upcast, or null. */
    private final RuntimeException upcastFailure;

    LiveEvent(Tenant tenant, RecordedEvent stored, OutgoingEvent upcast) {
        this(tenant, stored, upcast, null);
    }

    private LiveEvent(
            Tenant tenant,
            RecordedEvent stored,
            OutgoingEvent upcast,
            RuntimeException upcastFailure) {
        this.tenant = tenant;
        this.stored = stored;
        this.upcast = upcast;
        this.upcastFailure = upcastFailure;
    }

    /**
     * An event whose upcast failed: it can be sent as stored; asked for upcast, it throws {@link
     * UpcastFailedException}.
     */
    static LiveEvent upcastFailed(Tenant tenant, RecordedEvent stored, RuntimeException failure) {
        return new LiveEvent(tenant, stored, null, failure);
    }

    Tenant tenant() {
        return tenant;
    }

    RecordedEvent stored() {
        return stored;
    }

    /** api.md's EVENT on one line, upcast to its type's latest schema version or as stored. */
    String json(boolean upcasting) {
        // Two subscribers may both write it: the same text, and a String is safely published.
        if (upcasting) {
            if (upcastFailure != null) {
                throw new UpcastFailedException(stored, upcastFailure);
            }
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
