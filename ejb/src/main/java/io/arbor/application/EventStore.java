package io.arbor.application;

import io.arbor.domain.AppendResult;
import io.arbor.domain.ConcurrentAppendException;
import io.arbor.domain.ExpectedVersion;
import io.arbor.domain.GlobalLogPage;
import io.arbor.domain.GlobalLogQuery;
import io.arbor.domain.InvalidInputException;
import io.arbor.domain.NewEvent;
import io.arbor.domain.ReadDirection;
import io.arbor.domain.RecordedEvent;
import io.arbor.domain.StreamId;
import io.arbor.domain.StreamInfo;
import io.arbor.domain.StreamNotFoundException;
import io.arbor.domain.StreamSlice;
import io.arbor.domain.WrongExpectedVersionException;
import io.arbor.infrastructure.jpa.EventRows;
import io.arbor.infrastructure.jpa.PersistenceFailures;
import io.arbor.infrastructure.jpa.StreamRows;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The event store: append to a stream, read a stream, read the global log. */
@Stateless
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class EventStore {
    @EJB StreamAppender appender;
    @Inject StreamRows streams;
    @Inject EventRows events;

    @Inject
    @ConfigProperty(name = "arbor.append.max-events")
    int maxEventsPerAppend;

    @Inject
    @ConfigProperty(name = "arbor.append.max-attempts")
    int maxAttempts;

    /**
     * Appends {@code batch} to {@code stream} if its version meets {@code expected}: all events or
     * none. Each attempt is its own transaction; an attempt that loses a race to a concurrent
     * append is retried from the top, where the expectation is checked against the winner's version
     * (so a precise expectation ends in a {@link WrongExpectedVersionException}, a retry of a
     * request that already committed ends in its original result).
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public AppendResult append(StreamId stream, ExpectedVersion expected, List<NewEvent> batch) {
        checkBatch(batch);
        for (int attempt = 1; ; attempt++) {
            try {
                return appender.appendOnce(stream, expected, batch);
            } catch (ConcurrentAppendException lostRace) {
                if (attempt >= maxAttempts) {
                    throw new WrongExpectedVersionException(
                            stream, expected, guard(() -> streams.version(stream)));
                }
            }
        }
    }

    public StreamInfo info(StreamId stream) {
        return guard(() -> streams.info(stream))
                .orElseThrow(() -> new StreamNotFoundException(stream));
    }

    /**
     * Reads up to {@code limit} events of one stream from version {@code from} (forward: default 1;
     * backward: default the head). The page never reaches past the version it reports.
     */
    public StreamSlice read(StreamId stream, Long from, int limit, ReadDirection direction) {
        long head = info(stream).version();
        if (direction == ReadDirection.FORWARD) {
            long start = Math.max(1, from == null ? 1 : from);
            if (start > head) {
                return new StreamSlice(stream, head, List.of(), OptionalLong.empty());
            }
            long end = Math.min(head, start + limit - 1);
            List<RecordedEvent> page = guard(() -> events.versions(stream, start, end, false));
            return new StreamSlice(
                    stream,
                    head,
                    page,
                    end < head ? OptionalLong.of(end + 1) : OptionalLong.empty());
        }
        long start = Math.min(head, from == null ? head : from);
        if (start < 1) {
            return new StreamSlice(stream, head, List.of(), OptionalLong.empty());
        }
        long end = Math.max(1, start - limit + 1);
        List<RecordedEvent> page = guard(() -> events.versions(stream, end, start, true));
        return new StreamSlice(
                stream, head, page, end > 1 ? OptionalLong.of(end - 1) : OptionalLong.empty());
    }

    /** Reads a page of the global log, in position order. */
    public GlobalLogPage readAll(GlobalLogQuery query) {
        List<RecordedEvent> page = guard(() -> events.globalLog(query));
        long last = page.isEmpty() ? query.after() : page.get(page.size() - 1).globalPosition();
        return new GlobalLogPage(page, last);
    }

    private void checkBatch(List<NewEvent> batch) {
        if (batch == null || batch.isEmpty() || batch.size() > maxEventsPerAppend) {
            throw new InvalidInputException(
                    "/events", "An append carries 1 to " + maxEventsPerAppend + " events");
        }
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            UUID id = batch.get(i).eventId();
            if (id != null && !seen.add(id)) {
                throw new InvalidInputException(
                        "/events/" + i + "/eventId",
                        "Event id " + id + " appears twice in this append");
            }
        }
    }

    private static <T> T guard(Supplier<T> read) {
        try {
            return read.get();
        } catch (PersistenceException failure) {
            throw PersistenceFailures.translate(failure);
        }
    }
}
