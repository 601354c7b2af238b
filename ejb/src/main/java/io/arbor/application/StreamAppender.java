package io.arbor.application;

import io.arbor.domain.Append;
import io.arbor.domain.AppendCondition;
import io.arbor.domain.AppendConditionFailedException;
import io.arbor.domain.AppendOutcome;
import io.arbor.domain.AppendResult;
import io.arbor.domain.AppendRetry;
import io.arbor.domain.ExpectedVersion;
import io.arbor.domain.HashChain;
import io.arbor.domain.LockKeys;
import io.arbor.domain.NewEvent;
import io.arbor.domain.RecordedEvent;
import io.arbor.domain.StreamAppend;
import io.arbor.domain.StreamDeletedException;
import io.arbor.domain.StreamDeletion;
import io.arbor.domain.StreamId;
import io.arbor.domain.Tenant;
import io.arbor.domain.WrongExpectedVersionException;
import io.arbor.domain.WrongExpectedVersionException.Conflict;
import io.arbor.infrastructure.jpa.ConsistencyLocks;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * One attempt at an append to one or more of a tenant's streams, in the caller's JTA transaction
 * (begun by {@link EventStore} with the append transaction timeout): every event of every stream or
 * none. The steps, in this order:
 *
 * <ol>
 *   <li>load the streams' rows, the anchors of the append: one stream's as {@link
 *       StreamRows#loadForAppend} does (locked for a loose expectation, read for a precise one),
 *       several streams' all locked, in ascending stream-id order ({@link
 *       StreamRows#lockForAppend}); refuse it when one of them is hard-deleted (410);
 *   <li>for an append with event ids: recognise a retry (the same events, by value, in every
 *       written stream: {@link AppendRetry});
 *   <li>check every stream's expectation against its loaded version, and refuse listing every one
 *       that failed ({@link WrongExpectedVersionException});
 *   <li>hash each written stream's events from its row's head hash ({@link HashChain#extend}); a
 *       soft-deleted written stream comes back ({@link StreamRows#undelete}), its numbering
 *       continued;
 *   <li>advance the written streams' rows and write them now, in ascending stream-id order ({@link
 *       StreamRows#advance}): JPA's version lock, or a new row's primary key, makes an append that
 *       lost a race fail here, having written nothing;
 *   <li>take the append's advisory locks in one statement ({@link LockKeys}: shared on the types
 *       and tags it writes, exclusive on what its condition covers), then check again the guards of
 *       streams that had no row, and the condition ({@link EventRows#firstMatch}: 409 {@code
 *       append-condition-failed});
 *   <li>reserve one block of global positions for all the events, published as in flight until
 *       commit (readers of the global log stop below them);
 *   <li>insert each written stream's events at versions {@code v+1…v+n}, at consecutive positions
 *       of the block, stream after stream in the request's order, with their hashes.
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
    @Inject ConsistencyLocks locks;

    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public AppendOutcome appendOnce(Tenant tenant, String writtenBy, Append append) {
        statementTimeout.applyToTransaction(tenant);
        Map<StreamId, StreamRows.Anchor> anchors = load(tenant, append);
        refuseTombstones(append, anchors);
        AppendOutcome replayed = replayed(tenant, append);
        if (replayed != null) {
            return replayed;
        }
        List<Conflict> conflicts = new ArrayList<>();
        for (StreamAppend part : append.streams()) {
            part.expected()
                    .conflictAt(part.streamId(), anchors.get(part.streamId()).version())
                    .ifPresent(conflicts::add);
        }
        if (!conflicts.isEmpty()) {
            throw new WrongExpectedVersionException(conflicts);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Map<StreamId, Chained> chained = new HashMap<>();
        Set<StreamId> undeleted = new HashSet<>();
        for (StreamAppend part : append.inLockOrder()) {
            if (!part.isGuard()) {
                StreamRows.Anchor anchor = anchors.get(part.streamId());
                if (anchor.deletion() == StreamDeletion.SOFT) {
                    streams.undelete(anchor);
                    undeleted.add(part.streamId());
                }
                Chained batch = Chained.of(anchor, part);
                chained.put(part.streamId(), batch);
                streams.advance(anchor, part.events().size(), now, batch.headHash());
            }
        }
        holdConsistency(tenant, append, anchors);
        long position = sequencer.reserve(append.eventCount());
        List<AppendResult> results = new ArrayList<>();
        for (StreamAppend part : append.written()) {
            long head = anchors.get(part.streamId()).version();
            List<NewEvent> batch = part.events();
            events.insert(
                    tenant,
                    writtenBy,
                    part.streamId(),
                    head + 1,
                    position,
                    batch,
                    chained.get(part.streamId()).ids(),
                    chained.get(part.streamId()).hashes(),
                    now);
            results.add(
                    new AppendResult(
                            part.streamId(),
                            head + 1,
                            head + batch.size(),
                            position,
                            position + batch.size() - 1,
                            false));
            position += batch.size();
        }
        return new AppendOutcome(results, false, undeleted);
    }

    /**
     * Refuses an append that names a hard-deleted stream, as a written stream or as a guard (410,
     * nothing written): a tombstone is never appended to, and never vouches for a guard.
     */
    private static void refuseTombstones(Append append, Map<StreamId, StreamRows.Anchor> anchors) {
        for (StreamAppend part : append.inLockOrder()) {
            if (anchors.get(part.streamId()).deletion() == StreamDeletion.HARD) {
                throw new StreamDeletedException(part.streamId());
            }
        }
    }

    /**
     * Takes the append's advisory locks ({@link LockKeys}, {@link ConsistencyLocks}), then, in
     * later statements that see everything committed before the locks were granted, checks again
     * the guards of streams that had no row, and checks the append's condition (docs/design.md,
     * "Append conditions").
     */
    private void holdConsistency(
            Tenant tenant, Append append, Map<StreamId, StreamRows.Anchor> anchors) {
        LockKeys keys = LockKeys.of(append);
        List<StreamAppend> absentGuards = new ArrayList<>();
        for (StreamAppend part : append.streams()) {
            if (anchors.get(part.streamId()).exists()) {
                continue;
            }
            if (!part.isGuard()) {
                keys.created(part.streamId());
            } else if (part.expected().kind() != ExpectedVersion.Kind.ANY) {
                keys.guardedAbsent(part.streamId());
                absentGuards.add(part);
            }
        }
        locks.lock(tenant, keys);
        List<Conflict> conflicts = new ArrayList<>();
        for (StreamAppend guard : absentGuards) {
            guard.expected()
                    .conflictAt(guard.streamId(), streams.version(tenant, guard.streamId()))
                    .ifPresent(conflicts::add);
        }
        if (!conflicts.isEmpty()) {
            throw new WrongExpectedVersionException(conflicts);
        }
        AppendCondition condition = append.condition();
        if (condition != null) {
            events.firstMatch(tenant, condition.failIfEventsMatch(), condition.after())
                    .ifPresent(
                            match -> {
                                throw new AppendConditionFailedException(
                                        match.item(), match.position());
                            });
        }
    }

    /** The anchors of every stream the append names, loaded (and locked) in ascending id order. */
    private Map<StreamId, StreamRows.Anchor> load(Tenant tenant, Append append) {
        Map<StreamId, StreamRows.Anchor> anchors = new HashMap<>();
        if (append.streams().size() == 1) {
            StreamAppend only = append.streams().get(0);
            anchors.put(
                    only.streamId(),
                    streams.loadForAppend(tenant, only.streamId(), only.expected()));
            return anchors;
        }
        List<StreamId> ids = append.inLockOrder().stream().map(StreamAppend::streamId).toList();
        List<StreamRows.Anchor> loaded = streams.lockForAppend(tenant, ids);
        for (int i = 0; i < ids.size(); i++) {
            anchors.put(ids.get(i), loaded.get(i));
        }
        return anchors;
    }

    /**
     * The original outcome when this append is a retry of one that committed (its event ids are
     * stored); null when none of its ids is.
     */
    private AppendOutcome replayed(Tenant tenant, Append append) {
        List<UUID> writerIds =
                append.written().stream()
                        .flatMap(part -> part.events().stream())
                        .map(NewEvent::eventId)
                        .filter(Objects::nonNull)
                        .toList();
        if (writerIds.isEmpty()) {
            return null;
        }
        List<RecordedEvent> stored = events.findByIds(tenant, writerIds);
        if (stored.isEmpty()) {
            return null;
        }
        return new AppendOutcome(
                append.written().stream()
                        .map(
                                part ->
                                        AppendRetry.replay(
                                                part.streamId(),
                                                part.expected(),
                                                part.events(),
                                                stored))
                        .toList(),
                true);
    }

    /**
     * A written stream's events as they will be stored: their ids (the writer's, or generated) and
     * their hashes, chained from the stream's head ({@link HashChain#extend}).
     */
    private record Chained(List<UUID> ids, byte[][] hashes) {
        static Chained of(StreamRows.Anchor anchor, StreamAppend part) {
            List<UUID> ids = idsFor(part.events());
            return new Chained(
                    ids,
                    HashChain.extend(
                            anchor.headHash(),
                            part.streamId(),
                            anchor.version() + 1,
                            part.events(),
                            ids));
        }

        /** The stream's new head hash: its last event's (null while it is not chained). */
        byte[] headHash() {
            return hashes[hashes.length - 1];
        }
    }

    private static List<UUID> idsFor(List<NewEvent> batch) {
        return batch.stream()
                .map(event -> event.eventId() != null ? event.eventId() : UUID.randomUUID())
                .toList();
    }
}
