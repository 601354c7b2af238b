package io.arbor.it.contract;

import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * What an event store must do, as {@link StoreContract} sees it: append to a stream under an
 * expected version, read a stream either way, page the global log, and tell a stream's version. It
 * knows nothing of how the store is reached; a binding (such as {@link RestStore}) translates each
 * call to its transport and each answer to one {@link Outcome}.
 *
 * <p>A binding throws an {@link AssertionError} for any answer this interface has no word for (a
 * 500, a 503, a malformed body): the contract allows none of them, and under concurrency the error
 * reaches the test through its future.
 */
public interface Store {

    /**
     * Appends {@code events} to {@code stream} if its version meets {@code expected}, all or none.
     */
    Outcome append(String stream, Expected expected, List<Event> events);

    /** The stream's version; empty when it does not exist. */
    OptionalLong version(String stream);

    /**
     * Appends to several streams at once, all or none ({@code POST /events}); a stream without
     * events is a guard. Answers {@link AppendedToStreams}, {@link WrongExpectedVersion} (with
     * every failing stream), {@link DuplicateEventId} or {@link InvalidInput}.
     */
    Outcome appendToStreams(List<StreamEvents> streams);

    /**
     * Up to {@code limit} events of {@code stream} from version {@code from} in {@code direction};
     * empty when the stream does not exist.
     */
    Optional<StreamPage> read(String stream, long from, int limit, Direction direction);

    /** Up to {@code limit} events of the global log with a position above {@code after}. */
    LogPage readLog(long after, int limit);

    /** The same store as another tenant sees it (tenant: 1–63 of {@code [a-z0-9-]}). */
    Store asTenant(String tenant);

    /** The expectation an append puts on the stream's version. */
    record Expected(String keyword, long version) {
        public static final Expected ANY = new Expected("any", -1);
        public static final Expected NO_STREAM = new Expected("no_stream", -1);
        public static final Expected STREAM_EXISTS = new Expected("stream_exists", -1);

        /** The stream's version must be exactly {@code version} (0: it must not exist). */
        public static Expected exactly(long version) {
            return new Expected(null, version);
        }

        @Override
        public String toString() {
            return keyword == null ? Long.toString(version) : keyword;
        }
    }

    /**
     * An event to append. Unchecked on purpose: the contract sends invalid ones (an empty type) to
     * see them refused.
     *
     * @param metadata a JSON object, or null for none
     */
    record Event(UUID id, String type, JsonObject data, JsonObject metadata) {}

    /** An event as the store holds it. */
    record StoredEvent(
            UUID id,
            String stream,
            long version,
            long position,
            String type,
            JsonObject data,
            JsonObject metadata) {}

    /**
     * One page of a stream.
     *
     * @param version the stream's version
     * @param next the {@code from} of the following page; empty at the end
     */
    record StreamPage(long version, List<StoredEvent> events, OptionalLong next) {}

    /**
     * One page of the global log.
     *
     * @param lastPosition the {@code after} of the following page
     */
    record LogPage(List<StoredEvent> events, long lastPosition) {}

    enum Direction {
        FORWARD,
        BACKWARD
    }

    /** One stream's entry of {@link #appendToStreams}: no events is a guard. */
    record StreamEvents(String stream, Expected expected, List<Event> events) {}

    /** How an append ended: one of the answers the contract allows. */
    sealed interface Outcome
            permits Appended,
                    AppendedToStreams,
                    WrongExpectedVersion,
                    DuplicateEventId,
                    InvalidInput {}

    /**
     * An append to several streams stored: each written stream's versions (in the request's order,
     * guards left out) and the one block of positions.
     */
    record AppendedToStreams(
            List<StreamVersions> streams, long fromPosition, long toPosition, boolean replayed)
            implements Outcome {}

    /** A written stream's new versions. */
    record StreamVersions(String stream, long fromVersion, long toVersion) {}

    /**
     * The events are stored at these versions and positions; {@code replayed} when a retry found
     * them stored already and wrote nothing.
     */
    record Appended(
            long fromVersion, long toVersion, long fromPosition, long toPosition, boolean replayed)
            implements Outcome {

        /** The answer a retry of this append must get. */
        public Appended asReplayed() {
            return new Appended(fromVersion, toVersion, fromPosition, toPosition, true);
        }
    }

    /**
     * Refused, nothing written: the stream was at {@code actualVersion} (0: it does not exist); for
     * an append to several streams, the first failing one's, and {@code actualVersions} every
     * failing stream's (empty for a single-stream append).
     */
    record WrongExpectedVersion(long actualVersion, Map<String, Long> actualVersions)
            implements Outcome {
        public WrongExpectedVersion(long actualVersion) {
            this(actualVersion, Map.of());
        }
    }

    /** Refused, nothing written: an event id is stored already, and this is not its retry. */
    record DuplicateEventId() implements Outcome {}

    /** Refused, nothing written: the request itself is invalid. */
    record InvalidInput() implements Outcome {}
}
