package io.arbor.application;

import io.arbor.domain.AppendResult;
import io.arbor.domain.ConcurrentAppendException;
import io.arbor.domain.DuplicateEventIdException;
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
import io.arbor.infrastructure.cache.EventChunkCache;
import io.arbor.infrastructure.jpa.EventRows;
import io.arbor.infrastructure.jpa.GlobalLogSequencer;
import io.arbor.infrastructure.jpa.PersistenceFailures;
import io.arbor.infrastructure.jpa.StreamRows;
import io.arbor.infrastructure.metrics.ArborMetrics;
import io.arbor.infrastructure.metrics.ArborMetrics.ReadKind;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.util.ArrayList;
import java.util.Collections;
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
    @Inject GlobalLogSequencer sequencer;
    @Inject EventChunkCache cache;
    @Inject ArborMetrics metrics;

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
        return metrics.timeAppend(() -> appendWithRetries(stream, expected, batch));
    }

    private AppendResult appendWithRetries(
            StreamId stream, ExpectedVersion expected, List<NewEvent> batch) {
        checkBatch(batch);
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    AppendResult result = appender.appendOnce(stream, expected, batch);
                    if (!result.replayed()) {
                        metrics.appended(batch.size());
                    }
                    return result;
                } catch (ConcurrentAppendException lostRace) {
                    if (attempt >= maxAttempts) {
                        throw new WrongExpectedVersionException(
                                stream, expected, guard(() -> streams.version(stream)));
                    }
                    metrics.retried();
                }
            }
        } catch (WrongExpectedVersionException | DuplicateEventIdException refused) {
            metrics.conflict();
            throw refused;
        }
    }

    public StreamInfo info(StreamId stream) {
        return guard(() -> streams.info(stream))
                .orElseThrow(() -> new StreamNotFoundException(stream));
    }

    /**
     * Reads up to {@code limit} events of one stream from version {@code from} (forward: default 1;
     * backward: default the head). The head is read from the database first and the page never
     * reaches past it, so a reader on any instance sees at least every version acknowledged before
     * its read began, whatever the cache holds.
     *
     * @param bypassCache read the database only (a client's {@code Cache-Control: no-cache})
     */
    public StreamSlice read(
            StreamId stream, Long from, int limit, ReadDirection direction, boolean bypassCache) {
        return metrics.timeRead(
                ReadKind.STREAM, () -> readSlice(stream, from, limit, direction, bypassCache));
    }

    private StreamSlice readSlice(
            StreamId stream, Long from, int limit, ReadDirection direction, boolean bypassCache) {
        long head = info(stream).version();
        long first;
        long last;
        if (direction == ReadDirection.FORWARD) {
            first = Math.max(1, from == null ? 1 : from);
            last = Math.min(head, first + limit - 1);
        } else {
            last = Math.min(head, from == null ? head : from);
            first = Math.max(1, last - limit + 1);
        }
        if (first > last) {
            return new StreamSlice(stream, head, List.of(), OptionalLong.empty());
        }
        List<RecordedEvent> page =
                guard(
                        () ->
                                cache.versions(
                                        stream,
                                        first,
                                        last,
                                        bypassCache,
                                        (lo, hi) -> events.versions(stream, lo, hi, false)));
        if (direction == ReadDirection.FORWARD) {
            return new StreamSlice(
                    stream,
                    head,
                    page,
                    last < head ? OptionalLong.of(last + 1) : OptionalLong.empty());
        }
        List<RecordedEvent> descending = new ArrayList<>(page);
        Collections.reverse(descending);
        return new StreamSlice(
                stream,
                head,
                descending,
                first > 1 ? OptionalLong.of(first - 1) : OptionalLong.empty());
    }

    /**
     * Reads a page of the global log, in position order, never past the lowest position still in
     * flight, so a reader that continues after the page's last position misses nothing.
     */
    public GlobalLogPage readAll(GlobalLogQuery query) {
        return metrics.timeRead(
                ReadKind.GLOBAL_LOG,
                () -> {
                    // The horizon first, then the page, in two statements: the page's snapshot
                    // must be taken after every transaction below the horizon has ended.
                    List<RecordedEvent> page =
                            guard(() -> events.globalLog(query, sequencer.horizon()));
                    long last =
                            page.isEmpty()
                                    ? query.after()
                                    : page.get(page.size() - 1).globalPosition();
                    metrics.servedLogUpTo(last);
                    return new GlobalLogPage(page, last);
                });
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
