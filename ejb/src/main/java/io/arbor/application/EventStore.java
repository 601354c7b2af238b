package io.arbor.application;

import io.arbor.application.subscriptions.LogTailer;
import io.arbor.domain.Append;
import io.arbor.domain.AppendOutcome;
import io.arbor.domain.ConcurrentAppendException;
import io.arbor.domain.DuplicateEventIdException;
import io.arbor.domain.InvalidInputException;
import io.arbor.domain.StoreUnavailableException;
import io.arbor.domain.StreamAppend;
import io.arbor.domain.StreamId;
import io.arbor.domain.Tenant;
import io.arbor.domain.TimedOutException;
import io.arbor.domain.WrongExpectedVersionException;
import io.arbor.infrastructure.jpa.PersistenceFailures;
import io.arbor.infrastructure.metrics.ArborMetrics;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;
import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.HeuristicRollbackException;
import jakarta.transaction.NotSupportedException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.UserTransaction;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The event store's write side: append to one stream, or to several at once (reads are {@link
 * EventReader}'s).
 *
 * <p>Appends manage their transaction here (bean-managed): each attempt is one JTA transaction
 * begun with the timeout {@code arbor.append.transaction-timeout-seconds} and committed explicitly.
 * With a container-managed transaction a timeout would only mark it for rollback, and the container
 * then rolls back without an exception (EJB spec, table 15): the caller would acknowledge an append
 * that never committed. An explicit commit throws instead.
 */
@Stateless
@TransactionManagement(TransactionManagementType.BEAN)
public class EventStore {
    @EJB StreamAppender appender;
    @Resource UserTransaction transaction;
    @EJB SchemaRegistry registry;
    @Inject EventSchemas schemas;
    @EJB EventReader reader;
    @Inject StreamHeads heads;
    @Inject ArborMetrics metrics;
    @Inject LogTailer tailer;

    @Inject
    @ConfigProperty(name = "arbor.append.max-events")
    int maxEventsPerAppend;

    @Inject
    @ConfigProperty(name = "arbor.append.max-streams")
    int maxStreamsPerAppend;

    @Inject
    @ConfigProperty(name = "arbor.append.max-attempts")
    int maxAttempts;

    @Inject
    @ConfigProperty(name = "arbor.append.transaction-timeout-seconds")
    int transactionTimeoutSeconds;

    /**
     * Appends to the tenant's streams as {@code append} says, recording {@code writtenBy} (the
     * token's subject, or null) as their writer: every event of every stream or none, and only if
     * every stream's version (guards' included) meets its expectation. Each attempt is its own
     * transaction; an attempt that loses a race to a concurrent append is retried from the top,
     * where the expectations are checked against the winner's versions (so a precise expectation
     * ends in a {@link WrongExpectedVersionException}, a retry of a request that already committed
     * ends in its original result). Events whose type has a registered schema are validated first,
     * and any violation refuses the whole append before the first attempt, so nothing is written
     * (not even a stream).
     */
    public AppendOutcome append(Tenant tenant, String writtenBy, Append append) {
        return metrics.timeAppend(() -> appendWithRetries(new Writer(tenant, writtenBy), append));
    }

    /** Whose streams are appended to, and who appends. */
    private record Writer(Tenant tenant, String subject) {}

    private AppendOutcome appendWithRetries(Writer writer, Append append) {
        checkLimits(append);
        Append settled = schemas.validate(append, registry.current(writer.tenant()));
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    AppendOutcome outcome = appendInOneTransaction(writer, settled);
                    if (!outcome.replayed()) {
                        metrics.appended(settled.eventCount());
                    }
                    return outcome;
                } catch (EJBException failed) {
                    throw transactionFailure(failed);
                } catch (ConcurrentAppendException lostRace) {
                    // At least two attempts, whatever is configured: the attempt after a lost
                    // race sees the winner's heads, so a precise expectation is refused there (or
                    // replayed), and a loose one holds the rows' locks and cannot lose again.
                    if (attempt >= Math.max(2, maxAttempts)) {
                        for (StreamAppend part : settled.streams()) {
                            part.expected()
                                    .check(
                                            part.streamId(),
                                            reader.version(writer.tenant(), part.streamId()));
                        }
                        throw new IllegalStateException(
                                "The append lost " + attempt + " races", lostRace);
                    }
                    metrics.retried();
                }
            }
        } catch (WrongExpectedVersionException | DuplicateEventIdException refused) {
            metrics.conflict();
            throw refused;
        }
    }

    /**
     * One attempt in its own transaction, under a lease on the head of every stream it writes
     * ({@link StreamHeads#appendUnderLeases}): the new versions are reported to the data grid after
     * the commit and before the append is acknowledged, so a read on any instance sees them. A
     * commit that throws leaves the outcome unknown to us only when the connection died mid-commit;
     * that is answered 503 like any outage, and the client's retry with the same event ids then
     * finds out (idempotent replay).
     */
    private AppendOutcome appendInOneTransaction(Writer writer, Append append) {
        List<StreamId> written =
                append.inLockOrder().stream()
                        .filter(part -> !part.isGuard())
                        .map(StreamAppend::streamId)
                        .toList();
        AppendOutcome committed =
                heads.appendUnderLeases(
                        writer.tenant(), written, commit -> commitOnce(writer, append, commit));
        if (!committed.replayed()) {
            tailer.logGrew(committed.toPosition()); // live subscribers hear of it now (no throw)
        }
        return committed;
    }

    private AppendOutcome commitOnce(Writer writer, Append append, StreamHeads.Commit commit) {
        long began = System.nanoTime();
        try {
            transaction.setTransactionTimeout(transactionTimeoutSeconds);
            transaction.begin();
        } catch (NotSupportedException | SystemException cannotBegin) {
            throw new IllegalStateException("Cannot begin an append transaction", cannotBegin);
        }
        try {
            AppendOutcome outcome = appender.appendOnce(writer.tenant(), writer.subject(), append);
            commit.begins();
            transaction.commit();
            return outcome;
        } catch (RollbackException rolledBack) {
            // appendOnce returned normally, so the transaction manager rolled back: the timeout
            // marked the transaction, or the commit itself failed (a lost connection).
            if (System.nanoTime() - began >= TimeUnit.SECONDS.toNanos(transactionTimeoutSeconds)) {
                throw new TimedOutException(
                        "The append ran past the transaction timeout of "
                                + transactionTimeoutSeconds
                                + " s and was rolled back",
                        rolledBack);
            }
            throw new StoreUnavailableException("The append's commit failed", rolledBack);
        } catch (HeuristicMixedException | HeuristicRollbackException | SystemException failed) {
            throw new StoreUnavailableException("The append's commit failed", failed);
        } finally {
            rollbackIfActive();
        }
    }

    /**
     * The container could not enlist the attempt's connection or complete its transaction work
     * because the connection died (found by the fault suite's pg_terminate_backend and immediate
     * stops, as a 500). This happens around the attempt, outside the translation its interceptor
     * gives it ({@link io.arbor.infrastructure.jpa.TranslatesStoreFailures}), so the same
     * translation is applied here: the outcome is unknown to us, so it is answered 503 like any
     * outage, and the client's retry with the same event ids finds out (idempotent replay).
     * Anything else stays an unexpected failure.
     */
    private static RuntimeException transactionFailure(EJBException failed) {
        return PersistenceFailures.translate(failed);
    }

    /**
     * Ends a transaction whose attempt threw (after a commit there is none left); the attempt's own
     * exception is what the caller sees.
     */
    private void rollbackIfActive() {
        try {
            if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transaction.rollback();
            }
        } catch (SystemException | IllegalStateException alreadyEnded) {
            // The transaction is gone either way; nothing was committed.
        }
    }

    /**
     * Refuses an append beyond the limits before anything runs: 1 to {@code
     * arbor.append.max-events} events in all, at most {@code arbor.append.max-streams} streams, and
     * no event id twice (in any of its streams).
     */
    private void checkLimits(Append append) {
        List<StreamAppend> parts = append.streams();
        if (parts.size() > maxStreamsPerAppend) {
            throw new InvalidInputException(
                    "/streams",
                    "An append names at most "
                            + maxStreamsPerAppend
                            + " streams, not "
                            + parts.size());
        }
        int events = append.eventCount();
        if (events == 0 || events > maxEventsPerAppend) {
            String pointer = parts.size() == 1 ? parts.get(0).at() + "/events" : "/streams";
            throw new InvalidInputException(
                    pointer,
                    "An append carries 1 to " + maxEventsPerAppend + " events, not " + events);
        }
        Set<UUID> seen = new HashSet<>();
        for (StreamAppend part : parts) {
            for (int i = 0; i < part.events().size(); i++) {
                UUID id = part.events().get(i).eventId();
                if (id != null && !seen.add(id)) {
                    throw new InvalidInputException(
                            part.at() + "/events/" + i + "/eventId",
                            "Event id " + id + " appears twice in this append");
                }
            }
        }
    }
}
