package io.arbor.application;

import io.arbor.domain.AppendResult;
import io.arbor.domain.AppendRetry;
import io.arbor.domain.ConcurrentAppendException;
import io.arbor.domain.ExpectedVersion;
import io.arbor.domain.NewEvent;
import io.arbor.domain.RecordedEvent;
import io.arbor.domain.StreamId;
import io.arbor.domain.Tenant;
import io.arbor.domain.WrongExpectedVersionException;
import io.arbor.infrastructure.jpa.EventRows;
import io.arbor.infrastructure.jpa.GlobalLogSequencer;
import io.arbor.infrastructure.jpa.PersistenceFailures;
import io.arbor.infrastructure.jpa.StatementTimeout;
import io.arbor.infrastructure.jpa.StreamRows;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * One attempt at an append to one tenant's stream, in the caller's JTA transaction (begun by {@link
 * EventStore} with the append transaction timeout): every event or none. The steps, in this order:
 *
 * <ol>
 *   <li>for an append with event ids only: load the stream's head and recognise a retry (the same
 *       events, by value: {@link AppendRetry});
 *   <li>check the expectation and advance the stream row in one statement, so a lost race or an
 *       unmet expectation ends here having written nothing;
 *   <li>reserve global positions, published as in flight until commit (readers of the global log
 *       stop below them);
 *   <li>insert the events at versions {@code v+1…v+n}.
 * </ol>
 */
@Stateless
public class StreamAppender {
    @Inject StreamRows streams;
    @Inject EventRows events;
    @Inject GlobalLogSequencer sequencer;
    @Inject StatementTimeout statementTimeout;

    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public AppendResult appendOnce(
            Tenant tenant,
            String writtenBy,
            StreamId stream,
            ExpectedVersion expected,
            List<NewEvent> batch) {
        try {
            statementTimeout.applyToTransaction();
            List<UUID> writerIds =
                    batch.stream().map(NewEvent::eventId).filter(Objects::nonNull).toList();
            ExpectedVersion advanceFrom = expected;
            if (!writerIds.isEmpty()) {
                // A retry must find the original's events: read (or lock) the head first.
                long head = streams.loadHeadForAppend(tenant, stream, expected);
                List<RecordedEvent> stored = events.findByIds(tenant, writerIds);
                if (!stored.isEmpty()) {
                    return AppendRetry.replay(stream, expected, batch, stored);
                }
                if (!expected.isMetBy(head)) {
                    throw new WrongExpectedVersionException(stream, expected, head);
                }
                advanceFrom = ExpectedVersion.exactly(head);
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            OptionalLong advanced = streams.advance(tenant, stream, advanceFrom, batch.size(), now);
            if (advanced.isEmpty()) {
                long actual = streams.version(tenant, stream);
                if (!expected.isMetBy(actual)) {
                    throw new WrongExpectedVersionException(stream, expected, actual);
                }
                // The head moved between our look and our write: run the attempt again.
                throw new ConcurrentAppendException(stream, null);
            }
            long head = advanced.getAsLong();
            long firstPosition = sequencer.reserve(batch.size());
            events.insert(
                    tenant, writtenBy, stream, head + 1, firstPosition, batch, idsFor(batch), now);
            return new AppendResult(
                    stream,
                    head + 1,
                    head + batch.size(),
                    firstPosition,
                    firstPosition + batch.size() - 1,
                    false);
        } catch (RuntimeException failure) {
            throw PersistenceFailures.translateAppend(stream, failure);
        }
    }

    private static List<UUID> idsFor(List<NewEvent> batch) {
        return batch.stream()
                .map(event -> event.eventId() != null ? event.eventId() : UUID.randomUUID())
                .toList();
    }
}
