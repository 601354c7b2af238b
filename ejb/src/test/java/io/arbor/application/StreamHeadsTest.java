package io.arbor.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.application.StreamHeads.Heads;
import io.arbor.application.TransactionEnd.Outcome;
import io.arbor.domain.AppendOutcome;
import io.arbor.domain.AppendResult;
import io.arbor.domain.ConcurrentAppendException;
import io.arbor.domain.StoreUnavailableException;
import io.arbor.domain.StreamId;
import io.arbor.domain.StreamInfo;
import io.arbor.domain.StreamLifecycle;
import io.arbor.domain.Tenant;
import io.arbor.infrastructure.cache.CommittedHeads;
import io.arbor.infrastructure.cache.CommittedHeads.ReadHeads;
import io.arbor.infrastructure.cache.HeadLeases.Lease;
import io.arbor.infrastructure.cache.HeadLeases.Lookup;
import io.arbor.infrastructure.jpa.ReadProbe;
import io.arbor.infrastructure.jpa.ReadProbe.Probe;
import jakarta.transaction.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The decisions of the committed-heads protocol: when a read asks PostgreSQL and what it offers the
 * grid, and what a write tells the grid, in which order, for each way it can end. The grid is a
 * recording stand-in that answers a lookup as told (what the grid's own rules decide is {@code
 * HeadLeasesTest}'s); PostgreSQL is a probe that answers a fixed head. Each test is one history,
 * read from the log of what the grid and the database were asked.
 */
class StreamHeadsTest {
    private static final Tenant TENANT = new Tenant("tenant-a");
    private static final StreamId STREAM = StreamId.of("orders-1");

    private final List<String> log = new ArrayList<>();
    private final Grid grid = new Grid();
    private final Database database = new Database();
    private final Ends ends = new Ends();
    private final StreamHeads heads = new StreamHeads();

    {
        heads.grid = grid;
        heads.database = database;
        heads.transactionEnd = ends;
    }

    @Test
    void aHeadTheGridVouchesForIsServedWithoutAskingTheDatabase() {
        grid.answer = Optional.of(readHeads(5, true, 2, true));
        assertEquals(new Heads(5, 2), heads.forRead(TENANT, STREAM, false));
        assertEquals(List.of("lookup"), log);
    }

    @Test
    void anUntrustedHeadIsReadFromTheDatabaseAndWhatItSaidIsOffered() {
        grid.answer = Optional.of(readHeads(5, true, -1, false)); // the registry is changing
        database.version = 7;
        database.generation = 3;
        assertEquals(new Heads(7, 3), heads.forRead(TENANT, STREAM, false));
        assertEquals(List.of("lookup", "probe", "offer 7 3"), log);
        assertSame(grid.answer.get(), grid.offered, "the offer is checked against what was seen");
    }

    @Test
    void aGridWithoutAWordSendsTheReadToTheDatabaseAndIsOfferedNothing() {
        grid.answer = Optional.empty(); // caching off, a split grid, or a failing one
        database.version = 7;
        assertEquals(new Heads(7, 0), heads.forRead(TENANT, STREAM, false));
        assertEquals(List.of("lookup", "probe"), log);
    }

    @Test
    void aStreamWithLifecycleRulesIsReadFromTheDatabaseAndItsHeadIsNeverOffered() {
        grid.answer = Optional.of(readHeads(5, false, 2, true)); // given up by a metadata change
        database.version = 7;
        database.generation = 2;
        database.lifecycle = new StreamLifecycle(null, 3L, null, null);
        Heads read = heads.forRead(TENANT, STREAM, false);
        assertEquals(7, read.version());
        assertEquals(5, read.firstVersion());
        assertEquals(database.lifecycle, read.lifecycle());
        assertEquals(List.of("lookup", "probe"), log, "no offer: the grid would drop the rules");
    }

    @Test
    void aLifecycleChangeTakesALeaseAndGivesTheHeadUpWhateverItsOutcome() {
        assertEquals(
                "changed",
                heads.changeLifecycle(
                        TENANT,
                        STREAM,
                        () -> {
                            log.add("change");
                            return "changed";
                        }));
        assertThrows(
                IllegalStateException.class,
                () ->
                        heads.changeLifecycle(
                                TENANT,
                                STREAM,
                                () -> {
                                    log.add("refused");
                                    throw new IllegalStateException("refused");
                                }));
        assertEquals(
                List.of(
                        "open stream " + STREAM,
                        "change",
                        "failed",
                        "open stream " + STREAM,
                        "refused",
                        "failed"),
                log);
    }

    @Test
    void anAppendThatBringsBackASoftDeletedStreamGivesItsHeadUpInsteadOfReportingIt() {
        AppendOutcome outcome =
                heads.appendUnderLeases(
                        TENANT,
                        List.of(STREAM),
                        commit -> {
                            commit.begins();
                            return new AppendOutcome(
                                    List.of(appended(4, false)), false, Set.of(STREAM));
                        });
        assertEquals(4, outcome.streams().get(0).toVersion());
        assertEquals(List.of("open stream " + STREAM, "failed"), log);
    }

    @Test
    void aReadThatBypassesTheCacheAsksOnlyTheDatabase() {
        grid.answer = Optional.of(readHeads(5, true, 2, true));
        database.version = 7;
        database.generation = 2;
        assertEquals(new Heads(7, 2), heads.forRead(TENANT, STREAM, true));
        assertEquals(List.of("probe"), log);
    }

    @Test
    void aStreamTheDatabaseDoesNotHaveDoesNotExistAndOnlyTheGenerationIsWorthOffering() {
        grid.answer = Optional.of(readHeads(-1, false, -1, false));
        database.version = -1;
        database.generation = 4;
        Heads read = heads.forRead(TENANT, STREAM, false);
        assertFalse(read.streamExists());
        assertEquals(4, read.generation());
        assertEquals(List.of("lookup", "probe", "offer -1 4"), log);
    }

    @Test
    void anAppendTakesItsLeaseBeforeItBeginsAndReportsItsHeadBeforeItReturns() {
        AppendResult result =
                append(
                        commit -> {
                            log.add("begin");
                            commit.begins();
                            log.add("commit");
                            return appended(3, false);
                        });
        assertEquals(3, result.toVersion());
        assertEquals(List.of("open stream " + STREAM, "begin", "commit", "committed 3"), log);
    }

    @Test
    void anAppendWhoseLeaseTheGridCannotTakeNeverBegins() {
        grid.refuseLeases = true;
        assertThrows(
                StoreUnavailableException.class,
                () ->
                        append(
                                commit -> {
                                    log.add("begin");
                                    return appended(1, false);
                                }));
        assertEquals(List.of("open stream " + STREAM), log);
    }

    @Test
    void anAttemptRefusedBeforeItsCommitGivesTheLeaseBack() {
        ConcurrentAppendException lost = new ConcurrentAppendException(STREAM, null);
        Throwable thrown =
                assertThrows(
                        ConcurrentAppendException.class,
                        () ->
                                append(
                                        commit -> {
                                            throw lost;
                                        }));
        assertSame(lost, thrown);
        assertEquals(List.of("open stream " + STREAM, "release"), log);
    }

    @Test
    void anAttemptWhoseCommitThrewMayHaveCommittedSoItGivesTheHeadUp() {
        StoreUnavailableException commitFailed = new StoreUnavailableException("commit", null);
        Throwable thrown =
                assertThrows(
                        StoreUnavailableException.class,
                        () ->
                                append(
                                        commit -> {
                                            commit.begins();
                                            throw commitFailed;
                                        }));
        assertSame(commitFailed, thrown);
        assertEquals(List.of("open stream " + STREAM, "failed"), log);
    }

    @Test
    void aReplayWroteNothingSoItGivesTheLeaseBackAndReportsNothing() {
        append(
                commit -> {
                    commit.begins();
                    return appended(3, true);
                });
        assertEquals(List.of("open stream " + STREAM, "release"), log);
    }

    @Test
    void anAppendToSeveralStreamsLeasesEachBeforeItBeginsAndReportsEachHead() {
        StreamId other = StreamId.of("orders-2");
        AppendOutcome outcome =
                heads.appendUnderLeases(
                        TENANT,
                        List.of(STREAM, other),
                        commit -> {
                            log.add("begin");
                            commit.begins();
                            return new AppendOutcome(
                                    List.of(
                                            new AppendResult(other, 1, 2, 10, 11, false),
                                            new AppendResult(STREAM, 5, 5, 12, 12, false)),
                                    false);
                        });
        assertEquals(12, outcome.toPosition());
        assertEquals(
                List.of(
                        "open stream " + STREAM,
                        "open stream orders-2",
                        "begin",
                        "committed 2",
                        "committed 5"),
                log);
    }

    @Test
    void aSecondLeaseTheGridCannotTakeGivesTheFirstBackAndNothingBegins() {
        grid.refuseAfter = 1;
        assertThrows(
                StoreUnavailableException.class,
                () ->
                        heads.appendUnderLeases(
                                TENANT,
                                List.of(STREAM, StreamId.of("orders-2")),
                                commit -> {
                                    log.add("begin");
                                    return null;
                                }));
        assertEquals(List.of("open stream " + STREAM, "open stream orders-2", "release"), log);
    }

    @Test
    void aRegistryChangeIsReportedOnlyOnceItsTransactionCommitted() {
        long generation = heads.changeRegistry(TENANT, () -> bump(8));
        assertEquals(8, generation);
        assertEquals(List.of("open registry", "bump"), log, "nothing reported before the end");
        ends.end(Outcome.COMMITTED);
        assertEquals(List.of("open registry", "bump", "committed 8"), log);
    }

    @Test
    void aRegistryChangeRolledBackGivesTheLeaseBack() {
        heads.changeRegistry(TENANT, () -> bump(8));
        ends.end(Outcome.ROLLED_BACK);
        assertEquals(List.of("open registry", "bump", "release"), log);
    }

    @Test
    void aRegistryChangeThatEndedUnknownGivesTheGenerationUp() {
        heads.changeRegistry(TENANT, () -> bump(8));
        ends.end(Outcome.UNKNOWN);
        assertEquals(List.of("open registry", "bump", "failed"), log);
    }

    @Test
    void aRegistryChangeWhoseBumpThrewGivesTheGenerationUpAndWaitsForNoEnd() {
        assertThrows(
                IllegalStateException.class,
                () ->
                        heads.changeRegistry(
                                TENANT,
                                () -> {
                                    throw new IllegalStateException("statement failed");
                                }));
        assertEquals(List.of("open registry", "failed"), log);
        assertTrue(ends.pending.isEmpty());
    }

    @Test
    void aRegistryChangeWhoseLeaseTheGridCannotTakeIsRefusedBeforeTheBump() {
        grid.refuseLeases = true;
        assertThrows(
                StoreUnavailableException.class, () -> heads.changeRegistry(TENANT, () -> bump(8)));
        assertEquals(List.of("open registry"), log);
    }

    @Test
    void afterCommitRunsOnlyWhenTheTransactionCommitted() {
        for (Outcome outcome : Outcome.values()) {
            ends.afterCommit(() -> log.add("counted after " + outcome));
            ends.end(outcome);
        }
        assertEquals(List.of("counted after COMMITTED"), log);
    }

    @Test
    void theTransactionManagersStatusesBecomeOutcomesAndAnythingUnclearMayHaveCommitted() {
        assertEquals(Outcome.COMMITTED, Outcome.of(Status.STATUS_COMMITTED));
        assertEquals(Outcome.ROLLED_BACK, Outcome.of(Status.STATUS_ROLLEDBACK));
        assertEquals(Outcome.UNKNOWN, Outcome.of(Status.STATUS_UNKNOWN));
        assertEquals(Outcome.UNKNOWN, Outcome.of(Status.STATUS_NO_TRANSACTION));
    }

    private AppendResult append(Function<StreamHeads.Commit, AppendResult> attempt) {
        return heads.appendUnderLeases(
                        TENANT,
                        List.of(STREAM),
                        commit -> {
                            AppendResult result = attempt.apply(commit);
                            return new AppendOutcome(List.of(result), result.replayed());
                        })
                .streams()
                .get(0);
    }

    private long bump(long generation) {
        log.add("bump");
        return generation;
    }

    private static AppendResult appended(long toVersion, boolean replayed) {
        return new AppendResult(STREAM, toVersion, toVersion, 10, 10, replayed);
    }

    private static ReadHeads readHeads(
            long stream, boolean streamTrusted, long registry, boolean registryTrusted) {
        return new ReadHeads(
                new Lookup("db s tenant-a orders-1", stream, !streamTrusted, stream + ":a", 0),
                new Lookup("db r tenant-a", registry, !registryTrusted, registry + ":b", 0));
    }

    /** The data grid's committed heads: answers lookups as told, logs what it is asked. */
    private final class Grid extends CommittedHeads {
        Optional<ReadHeads> answer = Optional.empty();
        ReadHeads offered;
        boolean refuseLeases;
        int refuseAfter = -1; // the stream leases taken before the grid refuses; -1: never

        @Override
        public Optional<ReadHeads> lookup(Tenant tenant, StreamId stream) {
            log.add("lookup");
            return answer;
        }

        @Override
        public void offer(ReadHeads before, long version, long generation) {
            offered = before;
            log.add("offer " + version + " " + generation);
        }

        @Override
        public Optional<Lease> openStream(Tenant tenant, StreamId stream) {
            if (refuseAfter == 0) {
                refuseLeases = true;
            }
            refuseAfter--;
            return open("open stream " + stream);
        }

        @Override
        public Optional<Lease> openRegistry(Tenant tenant) {
            return open("open registry");
        }

        private Optional<Lease> open(String what) {
            log.add(what);
            if (refuseLeases) {
                throw new StoreUnavailableException("The data grid cannot take the lease", null);
            }
            return Optional.of(new Lease("key", 1, Long.MAX_VALUE));
        }

        @Override
        public void committed(Optional<Lease> lease, long head) {
            log.add("committed " + head);
        }

        @Override
        public void failed(Optional<Lease> lease) {
            log.add("failed");
        }

        @Override
        public void release(Optional<Lease> lease) {
            log.add("release");
        }
    }

    /**
     * PostgreSQL's answer to the probe: a fixed head (-1: no stream), lifecycle (none unless told)
     * and generation.
     */
    private final class Database extends ReadProbe {
        long version = -1;
        long generation;
        StreamLifecycle lifecycle = StreamLifecycle.NONE;

        @Override
        public Probe probe(Tenant tenant, StreamId stream) {
            log.add("probe");
            return new Probe(
                    version < 0
                            ? Optional.empty()
                            : Optional.of(
                                    new StreamInfo(stream, version, Instant.EPOCH, Instant.EPOCH)),
                    lifecycle,
                    lifecycle.firstVersionByPosition(Math.max(0, version)),
                    Instant.EPOCH,
                    generation);
        }
    }

    /** The transaction's end, played by the test: the callbacks wait until {@link #end}. */
    private static final class Ends extends TransactionEnd {
        final List<Consumer<Outcome>> pending = new ArrayList<>();

        @Override
        public void afterCompletion(Consumer<Outcome> action) {
            pending.add(action);
        }

        void end(Outcome outcome) {
            List<Consumer<Outcome>> due = List.copyOf(pending);
            pending.clear();
            due.forEach(action -> action.accept(outcome));
        }
    }
}
