package io.arbor.application;

import io.arbor.domain.AppendResult;
import io.arbor.domain.AppendRetry;
import io.arbor.domain.ExpectedVersion;
import io.arbor.domain.HashChain;
import io.arbor.domain.NewEvent;
import io.arbor.domain.RecordedEvent;
import io.arbor.domain.StreamId;
import io.arbor.domain.Tenant;
import io.arbor.infrastructure.jpa.EventRows;
import io.arbor.infrastructure.jpa.GlobalLogSequencer;
import io.arbor.infrastructure.jpa.StatementTimeout;
import io.arbor.infrastructure.jpa.StreamRows;
import io.arbor.infrastructure.jpa.TranslatesStoreFailures;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One attempt at an append to one tenant's stream, in the caller's JTA transaction (begun by {@link
 * EventStore} with the append transaction timeout): every event or none. The steps, in this order:
 *
 * <ol>
 *   <li>load the stream's row, the anchor of the append ({@link StreamRows#loadForAppend}: locked
 *       for a loose expectation, read for a precise one);
 *   <li>for an append with event ids: recognise a retry (the same events, by value: {@link
 *       AppendRetry});
 *   <li>check the expectation against the loaded version ({@link ExpectedVersion#check});
 *   <li>hash the events from the row's head hash ({@link HashChain#extend});
 *   <li>advance the row and write it now ({@link StreamRows#advance}): JPA's version lock, or the
 *       new row's primary key, makes an append that lost a race fail here, having written nothing;
 *   <li>reserve global positions, published as in flight until commit (readers of the global log
 *       stop below them);
 *   <li>insert the events at versions {@code v+1…v+n}, with their hashes.
 * </ol>
 *
 * A failure leaves as a domain exception ({@link TranslatesStoreFailures}): a lost race as a {@code
 * ConcurrentAppendException}, which {@link EventStore} answers with another attempt, a stored event
 * id as a {@code DuplicateEventIdException}.
 */
@Stateless
@TranslatesStoreFailures
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
        statementTimeout.applyToTransaction(tenant);
        StreamRows.Anchor anchor = streams.loadForAppend(tenant, stream, expected);
        List<UUID> writerIds =
                batch.stream().map(NewEvent::eventId).filter(Objects::nonNull).toList();
        if (!writerIds.isEmpty()) {
            List<RecordedEvent> stored = events.findByIds(tenant, writerIds);
            if (!stored.isEmpty()) {
                return AppendRetry.replay(stream, expected, batch, stored);
            }
        }
        long head = anchor.version();
        expected.check(stream, head);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<UUID> ids = idsFor(batch);
        byte[][] hashes = HashChain.extend(anchor.headHash(), stream, head + 1, batch, ids);
        streams.advance(anchor, batch.size(), now, hashes[hashes.length - 1]);
        long firstPosition = sequencer.reserve(batch.size());
        events.insert(tenant, writtenBy, stream, head + 1, firstPosition, batch, ids, hashes, now);
        return new AppendResult(
                stream,
                head + 1,
                head + batch.size(),
                firstPosition,
                firstPosition + batch.size() - 1,
                false);
    }

    private static List<UUID> idsFor(List<NewEvent> batch) {
        return batch.stream()
                .map(event -> event.eventId() != null ? event.eventId() : UUID.randomUUID())
                .toList();
    }
}
