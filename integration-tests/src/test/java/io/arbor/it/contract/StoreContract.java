package io.arbor.it.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.arbor.it.contract.Store.Appended;
import io.arbor.it.contract.Store.AppendedToStreams;
import io.arbor.it.contract.Store.Direction;
import io.arbor.it.contract.Store.DuplicateEventId;
import io.arbor.it.contract.Store.Event;
import io.arbor.it.contract.Store.Expected;
import io.arbor.it.contract.Store.InvalidInput;
import io.arbor.it.contract.Store.LogPage;
import io.arbor.it.contract.Store.Outcome;
import io.arbor.it.contract.Store.StoredEvent;
import io.arbor.it.contract.Store.StreamEvents;
import io.arbor.it.contract.Store.StreamPage;
import io.arbor.it.contract.Store.StreamVersions;
import io.arbor.it.contract.Store.WrongExpectedVersion;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every binding of the event store must show (api.md, "Append", "Read a stream",
 * "Read all events", "Tenants"), written once against {@link Store} and run by each binding's
 * subclass, the way Axon's storage-engine tests hold every engine: expected versions, idempotent
 * retries, all-or-nothing batches, contiguous versions and increasing positions, a global log that
 * a pager never sees with a hole, concurrent writers, and tenants.
 *
 * <p>Every test uses streams of its own (a fresh UUID in the id) and asserts exact values. Tests of
 * the global log read from the log's end when they begin and look only at their own events, so
 * other writers on the same store do not disturb them.
 */
public abstract class StoreContract {
    private static final int PAGE = 1000;

    /** Per store: where {@link #logEnd} last found the log's end. */
    private static final Map<Store, Long> ENDS_FOUND = new ConcurrentHashMap<>();

    /**
     * The store under test: the same instance for every test of a class (where the log ends is
     * remembered between tests, per store).
     */
    protected abstract Store store();

    private final String category = "contract" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger counter = new AtomicInteger();
    private final List<ExecutorService> pools = new ArrayList<>();

    @AfterEach
    void stopThreads() {
        pools.forEach(ExecutorService::shutdownNow);
    }

    // ------------------------------------------------------------------ expected versions

    @Test
    void anyAppendsToAMissingStreamAndToAnExistingOne() {
        String stream = newStream();
        assertEquals(appended(1, 2), versions(append(stream, Expected.ANY, 2)));
        assertEquals(appended(3, 3), versions(append(stream, Expected.ANY, 1)));
        assertEquals(OptionalLong.of(3), store().version(stream));
    }

    @Test
    void noStreamCreatesTheStreamAndIsRefusedOnceItExistsWritingNothing() {
        String stream = newStream();
        assertEquals(appended(1, 2), versions(append(stream, Expected.NO_STREAM, 2)));
        List<StoredEvent> before = readAll(stream);

        assertEquals(new WrongExpectedVersion(2), tryAppend(stream, Expected.NO_STREAM, 1));

        assertEquals(before, readAll(stream));
        assertEquals(OptionalLong.of(2), store().version(stream));
    }

    @Test
    void streamExistsIsRefusedOnAMissingStreamWithoutCreatingIt() {
        String stream = newStream();
        assertEquals(new WrongExpectedVersion(0), tryAppend(stream, Expected.STREAM_EXISTS, 1));
        assertMissing(stream);

        append(stream, Expected.NO_STREAM, 1);
        assertEquals(appended(2, 3), versions(append(stream, Expected.STREAM_EXISTS, 2)));
    }

    @Test
    void exactVersionZeroCreatesTheStreamAndAnyOtherExactVersionOnAMissingStreamIsRefused() {
        String stream = newStream();
        assertEquals(new WrongExpectedVersion(0), tryAppend(stream, Expected.exactly(1), 1));
        assertMissing(stream);

        assertEquals(appended(1, 1), versions(append(stream, Expected.exactly(0), 1)));
        assertEquals(new WrongExpectedVersion(1), tryAppend(stream, Expected.exactly(0), 1));
    }

    @Test
    void exactVersionAppendsOnlyAtThatVersionAndAnyOtherIsRefusedWithTheActualOne() {
        String stream = newStream();
        append(stream, Expected.NO_STREAM, 3);
        List<StoredEvent> before = readAll(stream);

        for (long wrong : new long[] {0, 1, 2, 4, 100}) {
            assertEquals(
                    new WrongExpectedVersion(3),
                    tryAppend(stream, Expected.exactly(wrong), 2),
                    "expected version " + wrong);
        }
        assertEquals(before, readAll(stream));

        assertEquals(appended(4, 5), versions(append(stream, Expected.exactly(3), 2)));
    }

    // ------------------------------------------------------------------ idempotency

    @Test
    void aRetryAnswersTheOriginalResultAndWritesNothing() {
        String stream = newStream();
        long start = logEnd();
        List<Event> batch = events(3);
        Appended original = append(stream, Expected.exactly(0), batch);
        assertFalse(original.replayed());

        assertEquals(original.asReplayed(), store().append(stream, Expected.exactly(0), batch));

        assertEquals(sentIds(batch), storedIds(readAll(stream)));
        assertEquals(sentIds(batch), storedIds(ownEvents(logAfter(start), batch)));
    }

    @Test
    void aRetryAfterTheStreamMovedOnStillAnswersTheOriginalResult() {
        String stream = newStream();
        List<Event> batch = events(2);
        Appended original = append(stream, Expected.NO_STREAM, batch);
        append(stream, Expected.ANY, 2);

        assertEquals(original.asReplayed(), store().append(stream, Expected.NO_STREAM, batch));
        assertEquals(OptionalLong.of(4), store().version(stream));
    }

    @Test
    void storedIdsSentWithOtherContentAreRefusedAndTheStoredEventsStay() {
        String stream = newStream();
        Event stored = event("Original");
        append(stream, Expected.ANY, List.of(stored));
        List<StoredEvent> before = readAll(stream);
        JsonObject other = Json.createObjectBuilder().add("other", true).build();

        List<Event> impostors =
                List.of(
                        new Event(stored.id(), "Changed", stored.data(), stored.metadata()),
                        new Event(stored.id(), stored.type(), other, stored.metadata()),
                        new Event(stored.id(), stored.type(), stored.data(), other));
        for (Event impostor : impostors) {
            assertEquals(
                    new DuplicateEventId(),
                    store().append(stream, Expected.ANY, List.of(impostor)),
                    impostor::toString);
        }
        assertEquals(before, readAll(stream));
    }

    @Test
    void aBatchReusingOnlySomeStoredIdsIsRefusedAndWritesNothing() {
        String stream = newStream();
        List<Event> stored = events(2);
        append(stream, Expected.ANY, stored);
        List<StoredEvent> before = readAll(stream);
        long start = logEnd();
        Event fresh = event("Fresh");

        List<List<Event>> overlaps =
                List.of(
                        List.of(stored.get(0), fresh),
                        List.of(fresh, stored.get(1)),
                        List.of(stored.get(1), fresh),
                        List.of(stored.get(0), stored.get(1), fresh));
        for (List<Event> overlap : overlaps) {
            assertEquals(
                    new DuplicateEventId(),
                    store().append(stream, Expected.ANY, overlap),
                    () -> "ids " + sentIds(overlap));
        }
        assertEquals(before, readAll(stream));
        assertEquals(List.of(), ownEvents(logAfter(start), List.of(fresh)));
    }

    @Test
    void storedIdsInAnotherOrderAreRefused() {
        String stream = newStream();
        List<Event> stored = events(2);
        append(stream, Expected.NO_STREAM, stored);

        assertEquals(
                new DuplicateEventId(),
                store().append(stream, Expected.ANY, List.of(stored.get(1), stored.get(0))));
        assertEquals(sentIds(stored), storedIds(readAll(stream)));
    }

    @Test
    void anIdStoredOnAnotherStreamIsRefusedAndCreatesNothing() {
        String owner = newStream();
        Event stored = event("Owned");
        append(owner, Expected.ANY, List.of(stored));
        String thief = newStream();

        assertEquals(new DuplicateEventId(), store().append(thief, Expected.ANY, List.of(stored)));
        assertMissing(thief);
        assertEquals(List.of(stored.id()), storedIds(readAll(owner)));
    }

    // ------------------------------------------------------------------ all or nothing

    @Test
    void aBatchWithOneInvalidEventWritesNothingToANewOrAnExistingStream() {
        long start = logEnd();
        List<Event> batch = new ArrayList<>(events(5));
        Event valid = batch.get(2);
        batch.set(2, new Event(valid.id(), "", valid.data(), null)); // a type is 1-200 chars

        String missing = newStream();
        assertEquals(new InvalidInput(), store().append(missing, Expected.ANY, batch));
        assertMissing(missing);

        String existing = newStream();
        append(existing, Expected.NO_STREAM, 2);
        List<StoredEvent> before = readAll(existing);
        assertEquals(new InvalidInput(), store().append(existing, Expected.exactly(2), batch));
        assertEquals(before, readAll(existing));
        assertEquals(List.of(), ownEvents(logAfter(start), batch));

        batch.set(2, valid);
        assertEquals(
                appended(3, 7),
                versions(store().append(existing, Expected.exactly(2), batch)),
                "the refused batch's versions are still free");
    }

    @Test
    void aBatchWhoseSixthEventReusesAnIdStoredElsewhereWritesNoneOfItsEvents() {
        String owner = newStream();
        Event stolen = event("Owned");
        append(owner, Expected.ANY, List.of(stolen));
        long start = logEnd();
        // The five events before the reused id are valid, and a store may well have inserted them
        // by the time it meets the sixth.
        List<Event> batch = new ArrayList<>(events(10));
        batch.set(5, stolen);

        String missing = newStream();
        assertEquals(new DuplicateEventId(), store().append(missing, Expected.ANY, batch));
        assertMissing(missing);

        String existing = newStream();
        append(existing, Expected.NO_STREAM, 2);
        List<StoredEvent> before = readAll(existing);
        assertEquals(new DuplicateEventId(), store().append(existing, Expected.exactly(2), batch));
        assertEquals(before, readAll(existing));

        List<Event> refused = new ArrayList<>(batch);
        refused.remove(stolen);
        assertEquals(List.of(), ownEvents(logAfter(start), refused));
        assertEquals(List.of(stolen.id()), storedIds(readAll(owner)));

        batch.set(5, event("Replacement"));
        assertEquals(
                appended(3, 12),
                versions(store().append(existing, Expected.exactly(2), batch)),
                "the refused batch's versions are still free");
    }

    @Test
    void aBatchCarryingOneIdTwiceWritesNothing() {
        String stream = newStream();
        long start = logEnd();
        List<Event> batch = new ArrayList<>(events(3));
        batch.add(batch.get(0));

        assertEquals(new InvalidInput(), store().append(stream, Expected.ANY, batch));
        assertMissing(stream);
        assertEquals(List.of(), ownEvents(logAfter(start), batch));
    }

    // ------------------------------------------------------------------ ordering and numbering

    @Test
    void versionsRunFromOneWithoutGapsAndEachAppendReportsWhereItsEventsLanded() {
        String stream = newStream();
        List<Event> all = new ArrayList<>();
        List<Appended> results = new ArrayList<>();
        for (int size : new int[] {1, 3, 2, 5}) {
            List<Event> batch = events(size);
            results.add(append(stream, Expected.ANY, batch));
            all.addAll(batch);
        }
        assertEquals(
                List.of(appended(1, 1), appended(2, 4), appended(5, 6), appended(7, 11)),
                results.stream().map(StoreContract::versions).toList());

        List<StoredEvent> stored = readAll(stream);
        assertEquals(sentIds(all), storedIds(stored));
        for (int i = 0; i < stored.size(); i++) {
            StoredEvent event = stored.get(i);
            Event sent = all.get(i);
            assertEquals(i + 1, event.version());
            assertEquals(stream, event.stream());
            assertEquals(sent.type(), event.type());
            assertEquals(sent.data(), event.data());
            assertEquals(sent.metadata(), event.metadata());
        }
        assertIncreasingPositions(stored);
        for (Appended result : results) {
            assertEquals(
                    result.fromPosition(), stored.get((int) result.fromVersion() - 1).position());
            assertEquals(result.toPosition(), stored.get((int) result.toVersion() - 1).position());
        }
        assertEquals(OptionalLong.of(11), store().version(stream));
    }

    @Test
    void aStreamReadsTheSameEventsForwardBackwardAndInPages() {
        String stream = newStream();
        append(stream, Expected.NO_STREAM, 7);
        List<StoredEvent> forward = readAll(stream);

        List<StoredEvent> backward = new ArrayList<>(page(stream, 7, PAGE, Direction.BACKWARD));
        assertEquals(reversed(forward), backward);

        List<StoredEvent> paged = new ArrayList<>();
        OptionalLong from = OptionalLong.of(1);
        List<OptionalLong> nexts = new ArrayList<>();
        while (from.isPresent()) {
            StreamPage page =
                    store().read(stream, from.getAsLong(), 3, Direction.FORWARD).orElseThrow();
            assertEquals(7, page.version());
            paged.addAll(page.events());
            from = page.next();
            nexts.add(from);
        }
        assertEquals(forward, paged);
        assertEquals(List.of(OptionalLong.of(4), OptionalLong.of(7), OptionalLong.empty()), nexts);

        assertEquals(
                List.of(forward.get(4), forward.get(3)), page(stream, 5, 2, Direction.BACKWARD));
        assertEquals(List.of(), page(stream, 8, 3, Direction.FORWARD));
    }

    @Test
    void aMissingStreamHasNoVersionAndNoEvents() {
        assertMissing(newStream());
    }

    @Test
    void theLogHoldsEachCommittedEventOnceInCommitOrderWithIncreasingPositions() {
        long start = logEnd();
        List<String> streams = List.of(newStream(), newStream(), newStream());
        List<Event> committed = new ArrayList<>();
        // One append after another, across three streams: the commit order is the call order.
        for (int round = 0; round < 3; round++) {
            for (String stream : streams) {
                List<Event> batch = events(round + 1);
                append(stream, Expected.ANY, batch);
                committed.addAll(batch);
            }
        }

        List<StoredEvent> log = ownEvents(logAfter(start), committed);
        assertEquals(sentIds(committed), storedIds(log));
        assertIncreasingPositions(log);
        for (String stream : streams) {
            assertEquals(
                    readAll(stream),
                    log.stream().filter(event -> event.stream().equals(stream)).toList(),
                    "the log and the stream disagree on " + stream);
        }
    }

    @Test
    void pagingTheLogInSmallPagesGivesWhatOneLargePageGives() {
        long start = logEnd();
        List<Event> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            List<Event> batch = events(3);
            append(newStream(), Expected.NO_STREAM, batch);
            sent.addAll(batch);
        }
        List<StoredEvent> small = new ArrayList<>();
        long position = start;
        while (true) {
            LogPage page = store().readLog(position, 2);
            if (page.events().isEmpty()) {
                break;
            }
            assertTrue(page.events().size() <= 2, "a page of 2 held " + page.events().size());
            small.addAll(page.events());
            position = page.lastPosition();
        }
        assertEquals(logAfter(start), small);
        assertEquals(sentIds(sent), storedIds(ownEvents(small, sent)));
    }

    // ------------------------------------------------------------------ gap safety

    /**
     * Writers on many streams commit in an order of their own while a reader pages the log, each
     * page's {@code lastPosition} its next {@code after}: the reader must see every event exactly
     * once and in increasing positions, and what it saw must be the log as it stands afterwards
     * (nothing turned up later below a position it had passed).
     */
    @Test
    void aLogReaderPagingWhileWritersAppendSeesEveryEventOnceInOrder() throws Exception {
        long start = logEnd();
        int writers = 8;
        int appendsEach = 8;
        AtomicReference<Set<UUID>> awaited = new AtomicReference<>();
        Future<List<StoredEvent>> reader = threads(1).submit(() -> follow(start, awaited));

        Set<UUID> acknowledged = new HashSet<>();
        concurrently(
                        writers,
                        writer -> {
                            String stream = newStream();
                            List<UUID> ids = new ArrayList<>();
                            for (int i = 0; i < appendsEach; i++) {
                                List<Event> batch = events(2);
                                Outcome outcome =
                                        store().append(stream, Expected.exactly(2L * i), batch);
                                assertEquals(appended(2 * i + 1, 2 * i + 2), versions(outcome));
                                ids.addAll(sentIds(batch));
                            }
                            return ids;
                        })
                .forEach(acknowledged::addAll);
        assertEquals(writers * appendsEach * 2, acknowledged.size());
        awaited.set(acknowledged);
        List<StoredEvent> seen = reader.get(2, TimeUnit.MINUTES);

        assertIncreasingPositions(seen);
        Set<UUID> seenIds = new HashSet<>();
        for (StoredEvent event : seen) {
            assertTrue(seenIds.add(event.id()), "seen twice: " + event);
        }
        Set<UUID> missed = new HashSet<>(acknowledged);
        missed.removeAll(seenIds);
        assertEquals(Set.of(), missed, "acknowledged events the reader never saw");
        long last = seen.get(seen.size() - 1).position();
        assertEquals(
                logAfter(start).stream().filter(event -> event.position() <= last).toList(),
                seen,
                "the log changed below positions the reader had passed");
    }

    /**
     * Pages the log from {@code after} in pages of 7 until a page comes back empty after every id
     * of {@code awaited} has been seen (it is set once the writers are done), or a minute has
     * passed; every event seen, in the order seen.
     */
    private List<StoredEvent> follow(long after, AtomicReference<Set<UUID>> awaited)
            throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        List<StoredEvent> seen = new ArrayList<>();
        Set<UUID> seenIds = new HashSet<>();
        long position = after;
        while (System.nanoTime() < giveUp) {
            LogPage page = store().readLog(position, 7);
            seen.addAll(page.events());
            page.events().forEach(event -> seenIds.add(event.id()));
            position = page.lastPosition();
            if (page.events().isEmpty()) {
                Set<UUID> all = awaited.get();
                if (all != null && seenIds.containsAll(all)) {
                    break;
                }
                Thread.sleep(10);
            }
        }
        return seen;
    }

    // ------------------------------------------------------------------ concurrency

    /**
     * Six writers meet at a barrier before each of five rounds and append at the round's version:
     * exactly one wins each version, and every other is refused with the winner's version, never
     * with the version it expected (which would say the store refused a true expectation).
     */
    @Test
    void exactVersionWritersRacingForOneVersionLetExactlyOneWinIt() throws Exception {
        String stream = newStream();
        int writers = 6;
        int rounds = 5;
        CyclicBarrier barrier = new CyclicBarrier(writers);
        List<List<Event>> sent = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            sent.add(events(rounds));
        }
        List<List<Outcome>> perWriter =
                concurrently(
                        writers,
                        writer -> {
                            List<Outcome> outcomes = new ArrayList<>();
                            for (int round = 0; round < rounds; round++) {
                                barrier.await(1, TimeUnit.MINUTES);
                                Event mine = sent.get(writer).get(round);
                                outcomes.add(
                                        store().append(
                                                        stream,
                                                        Expected.exactly(round),
                                                        List.of(mine)));
                            }
                            return outcomes;
                        });
        List<UUID> winners = Arrays.asList(new UUID[rounds]);
        Map<Integer, List<Outcome>> byRound = new HashMap<>();
        for (int w = 0; w < writers; w++) {
            List<Outcome> outcomes = perWriter.get(w);
            for (int round = 0; round < rounds; round++) {
                Outcome outcome = outcomes.get(round);
                byRound.computeIfAbsent(round, r -> new ArrayList<>()).add(versions(outcome));
                if (outcome instanceof Appended) {
                    winners.set(round, sent.get(w).get(round).id());
                }
            }
        }
        for (int round = 0; round < rounds; round++) {
            List<Outcome> expected = new ArrayList<>();
            expected.add(appended(round + 1, round + 1));
            for (int loser = 1; loser < writers; loser++) {
                expected.add(new WrongExpectedVersion(round + 1));
            }
            assertEquals(
                    sortedByKind(expected),
                    sortedByKind(byRound.get(round)),
                    "round " + round + " (expected version " + round + ")");
        }
        assertEquals(winners, storedIds(readAll(stream)));
    }

    /**
     * Five writers each append four events one at a time with exact expected versions, and after
     * each refusal retry from the version the refusal reported, as a client of the contract would:
     * the stream ends with all twenty events, each once, each writer's in its own order.
     */
    @Test
    void writersRetryingFromTheReportedVersionNeitherLoseNorDoubleAnEvent() throws Exception {
        String stream = newStream();
        int writers = 5;
        int eventsEach = 4;
        List<List<UUID>> perWriter = concurrently(writers, writer -> catchUp(stream, eventsEach));

        List<UUID> stored = storedIds(readAll(stream));
        assertEquals(writers * eventsEach, stored.size());
        assertEquals(stored.size(), new HashSet<>(stored).size(), "an event stored twice");
        for (List<UUID> mine : perWriter) {
            assertEquals(mine, stored.stream().filter(mine::contains).toList());
        }
    }

    /**
     * Appends {@code count} events one at a time at exact versions, from 0 and after a refusal from
     * the version it reported; the ids appended, in order.
     */
    private List<UUID> catchUp(String stream, int count) {
        List<UUID> mine = new ArrayList<>();
        long expected = 0;
        while (mine.size() < count) {
            Event event = event("CaughtUp");
            Outcome outcome = store().append(stream, Expected.exactly(expected), List.of(event));
            if (outcome instanceof Appended written) {
                assertEquals(appended(expected + 1, expected + 1), versions(written));
                mine.add(event.id());
                expected = written.toVersion();
            } else if (outcome instanceof WrongExpectedVersion refused) {
                assertTrue(
                        refused.actualVersion() > expected,
                        "refused at " + expected + " with actual " + refused.actualVersion());
                expected = refused.actualVersion();
            } else {
                fail("an exact-version append answered " + outcome);
            }
        }
        return mine;
    }

    /**
     * Six writers append batches of three with {@code any} at once: every append succeeds, and each
     * batch takes three consecutive versions of its own (batches never interleave), together
     * versions 1 to 108.
     */
    @Test
    void concurrentAnyWritersAllSucceedAndEachBatchTakesConsecutiveVersions() throws Exception {
        String stream = newStream();
        int writers = 6;
        int appendsEach = 6;
        Map<List<UUID>, Appended> batches = new HashMap<>();
        concurrently(
                        writers,
                        writer -> {
                            Map<List<UUID>, Appended> mine = new HashMap<>();
                            for (int i = 0; i < appendsEach; i++) {
                                List<Event> batch = events(3);
                                mine.put(sentIds(batch), append(stream, Expected.ANY, batch));
                            }
                            return mine;
                        })
                .forEach(batches::putAll);

        int total = writers * appendsEach * 3;
        List<StoredEvent> stored = readAll(stream);
        assertEquals(total, stored.size());
        assertEquals(OptionalLong.of(total), store().version(stream));
        for (Map.Entry<List<UUID>, Appended> batch : batches.entrySet()) {
            Appended result = batch.getValue();
            assertFalse(result.replayed());
            assertEquals(2, result.toVersion() - result.fromVersion(), result::toString);
            List<StoredEvent> landed =
                    stored.subList((int) result.fromVersion() - 1, (int) result.toVersion());
            assertEquals(batch.getKey(), storedIds(landed), "the batch reported at " + result);
            assertEquals(result.fromPosition(), landed.get(0).position());
            assertEquals(result.toPosition(), landed.get(2).position());
        }
        assertIncreasingPositions(stored);
    }

    // ------------------------------------------------------------------ several streams

    @Test
    void anAppendToSeveralStreamsStoresEachAtConsecutiveVersionsInOneBlockOfPositions() {
        String a = newStream();
        String b = newStream();
        append(b, Expected.NO_STREAM, events(1));
        List<Event> toA = events(2);
        List<Event> toB = events(3);
        List<StreamEvents> request =
                List.of(
                        new StreamEvents(a, Expected.NO_STREAM, toA),
                        new StreamEvents(b, Expected.exactly(1), toB));
        AppendedToStreams written =
                assertInstanceOf(AppendedToStreams.class, store().appendToStreams(request));
        assertEquals(
                List.of(new StreamVersions(a, 1, 2), new StreamVersions(b, 2, 4)),
                written.streams());
        assertEquals(4, written.toPosition() - written.fromPosition());
        List<StoredEvent> ofA = readAll(a);
        List<StoredEvent> ofB = readAll(b).subList(1, 4);
        assertEquals(sentIds(toA), storedIds(ofA));
        assertEquals(sentIds(toB), storedIds(ofB));
        assertEquals(written.fromPosition(), ofA.get(0).position());
        assertEquals(written.fromPosition() + 2, ofB.get(0).position());
        assertEquals(written.toPosition(), ofB.get(2).position());
        assertEquals(
                new AppendedToStreams(
                        written.streams(), written.fromPosition(), written.toPosition(), true),
                store().appendToStreams(request),
                "a retry is answered with the original block and writes nothing");
        assertEquals(OptionalLong.of(4), store().version(b));
    }

    @Test
    void oneFailingStreamRefusesTheWholeAppendListingEveryFailingStream() {
        String held = newStream();
        String behind = newStream();
        String taken = newStream();
        String absent = newStream();
        append(held, Expected.NO_STREAM, events(1));
        append(behind, Expected.NO_STREAM, events(3));
        append(taken, Expected.NO_STREAM, events(1));
        Outcome refused =
                store().appendToStreams(
                                List.of(
                                        new StreamEvents(held, Expected.exactly(1), events(1)),
                                        new StreamEvents(behind, Expected.exactly(2), events(1)),
                                        new StreamEvents(absent, Expected.ANY, events(1)),
                                        new StreamEvents(taken, Expected.NO_STREAM, List.of())));
        assertEquals(
                new WrongExpectedVersion(3, Map.of(behind, 3L, taken, 1L)), refused, "every one");
        assertEquals(OptionalLong.of(1), store().version(held));
        assertEquals(OptionalLong.of(3), store().version(behind));
        assertEquals(OptionalLong.empty(), store().version(absent), "no stream created");
    }

    @Test
    void aGuardHoldsWithoutBeingWritten() {
        String guarded = newStream();
        String written = newStream();
        append(guarded, Expected.NO_STREAM, events(2));
        AppendedToStreams held =
                assertInstanceOf(
                        AppendedToStreams.class,
                        store().appendToStreams(
                                        List.of(
                                                new StreamEvents(
                                                        guarded, Expected.exactly(2), List.of()),
                                                new StreamEvents(
                                                        written, Expected.ANY, events(1)))));
        assertEquals(List.of(new StreamVersions(written, 1, 1)), held.streams());
        assertEquals(OptionalLong.of(2), store().version(guarded));
        assertInstanceOf(
                WrongExpectedVersion.class,
                store().appendToStreams(
                                List.of(
                                        new StreamEvents(guarded, Expected.exactly(1), List.of()),
                                        new StreamEvents(written, Expected.ANY, events(1)))));
        assertEquals(OptionalLong.of(1), store().version(written));
    }

    /**
     * Six writers append to the same two streams at once, half listing them in one order and half
     * in the other: none waits for another in a cycle (a deadlock would be a 500 or a lost append),
     * every append succeeds, and each one's events are consecutive in both streams.
     */
    @Test
    void writersListingTheSameStreamsInOppositeOrdersAllSucceed() throws Exception {
        String a = newStream();
        String b = newStream();
        int writers = 6;
        int appendsEach = 5;
        List<List<AppendedToStreams>> results =
                concurrently(
                        writers,
                        writer -> {
                            List<AppendedToStreams> mine = new ArrayList<>();
                            for (int i = 0; i < appendsEach; i++) {
                                List<StreamEvents> entries =
                                        new ArrayList<>(
                                                List.of(
                                                        new StreamEvents(
                                                                a, Expected.ANY, events(2)),
                                                        new StreamEvents(
                                                                b, Expected.ANY, events(2))));
                                if (writer % 2 == 1) {
                                    Collections.reverse(entries);
                                }
                                mine.add(
                                        assertInstanceOf(
                                                AppendedToStreams.class,
                                                store().appendToStreams(entries)));
                            }
                            return mine;
                        });
        assertEquals(OptionalLong.of(writers * appendsEach * 2L), store().version(a));
        assertEquals(OptionalLong.of(writers * appendsEach * 2L), store().version(b));
        Set<Long> blocks = new HashSet<>();
        for (List<AppendedToStreams> mine : results) {
            for (AppendedToStreams written : mine) {
                assertEquals(3, written.toPosition() - written.fromPosition());
                assertTrue(blocks.add(written.fromPosition()));
                for (StreamVersions stream : written.streams()) {
                    assertEquals(1, stream.toVersion() - stream.fromVersion());
                }
            }
        }
    }

    // ------------------------------------------------------------------ tenants

    @Test
    void theSameStreamIdInTwoTenantsIsTwoIndependentStreams() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Store a = store().asTenant("contract-a-" + suffix);
        Store b = store().asTenant("contract-b-" + suffix);
        long start = logEnd(a);
        String stream = newStream();
        List<Event> ofA = events(2);
        List<Event> ofB = events(2);

        assertEquals(appended(1, 2), versions(a.append(stream, Expected.NO_STREAM, ofA)));
        assertEquals(
                appended(1, 1), versions(b.append(stream, Expected.NO_STREAM, ofB.subList(0, 1))));
        assertEquals(new WrongExpectedVersion(2), a.append(stream, Expected.exactly(1), ofB));
        assertEquals(
                appended(2, 2), versions(b.append(stream, Expected.exactly(1), ofB.subList(1, 2))));
        // An id stored in one tenant is free in another: refusing it would reveal it.
        assertEquals(
                appended(1, 1), versions(b.append(newStream(), Expected.ANY, List.of(ofA.get(0)))));

        assertEquals(sentIds(ofA), storedIds(readAll(a, stream)));
        assertEquals(sentIds(ofB), storedIds(readAll(b, stream)));
        List<StoredEvent> logOfA = logAfter(a, start);
        assertEquals(sentIds(ofA), storedIds(ownEvents(logOfA, ofA)));
        assertEquals(List.of(), ownEvents(logOfA, ofB), "A's log shows B's events");
    }

    // ------------------------------------------------------------------ helpers

    /** A pool of {@code count} threads, stopped when the test ends. */
    private ExecutorService threads(int count) {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        pools.add(pool);
        return pool;
    }

    /** A task of one of {@link #concurrently}'s threads, given its index. */
    private interface Task<T> {
        T run(int index) throws Exception;
    }

    /**
     * Runs {@code task} on {@code count} threads at once; their results, in index order. An
     * assertion that fails in a thread fails the test (through its future).
     */
    private <T> List<T> concurrently(int count, Task<T> task) throws Exception {
        ExecutorService pool = threads(count);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            futures.add(pool.submit(() -> task.run(index)));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get(2, TimeUnit.MINUTES));
        }
        return results;
    }

    private String newStream() {
        return category + "-" + UUID.randomUUID();
    }

    private Event event(String type) {
        int n = counter.incrementAndGet();
        return new Event(
                UUID.randomUUID(),
                type,
                Json.createObjectBuilder().add("n", n).build(),
                Json.createObjectBuilder().add("test", "contract").build());
    }

    private List<Event> events(int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(event("ContractEvent"));
        }
        return events;
    }

    /** Appends {@code count} fresh events. */
    private Outcome tryAppend(String stream, Expected expected, int count) {
        return store().append(stream, expected, events(count));
    }

    /** Appends {@code count} fresh events and requires that it succeeded. */
    private Appended append(String stream, Expected expected, int count) {
        return written(tryAppend(stream, expected, count));
    }

    /** Appends {@code events} and requires that it succeeded. */
    private Appended append(String stream, Expected expected, List<Event> events) {
        return written(store().append(stream, expected, events));
    }

    private static Appended written(Outcome outcome) {
        return assertInstanceOf(Appended.class, outcome, () -> "append answered " + outcome);
    }

    /** An append of versions {@code from..to}, its positions not compared. */
    private static Outcome appended(long from, long to) {
        return new Appended(from, to, 0, 0, false);
    }

    /** {@code outcome} with its positions blanked, to compare with {@link #appended}. */
    private static Outcome versions(Outcome outcome) {
        if (outcome instanceof Appended a) {
            return new Appended(a.fromVersion(), a.toVersion(), 0, 0, a.replayed());
        }
        return outcome;
    }

    private static List<Outcome> sortedByKind(List<Outcome> outcomes) {
        return outcomes.stream().sorted((x, y) -> x.toString().compareTo(y.toString())).toList();
    }

    private void assertMissing(String stream) {
        assertEquals(OptionalLong.empty(), store().version(stream), stream);
        assertEquals(Optional.empty(), store().read(stream, 1, PAGE, Direction.FORWARD), stream);
    }

    private List<StoredEvent> page(String stream, long from, int limit, Direction direction) {
        return store().read(stream, from, limit, direction).orElseThrow().events();
    }

    private List<StoredEvent> readAll(String stream) {
        return readAll(store(), stream);
    }

    /** Every event of {@code stream}, forward. */
    private static List<StoredEvent> readAll(Store store, String stream) {
        List<StoredEvent> all = new ArrayList<>();
        OptionalLong from = OptionalLong.of(1);
        while (from.isPresent()) {
            StreamPage page =
                    store.read(stream, from.getAsLong(), PAGE, Direction.FORWARD).orElseThrow();
            all.addAll(page.events());
            from = page.next();
        }
        return all;
    }

    private long logEnd() {
        return logEnd(store());
    }

    /**
     * The global log's current end, found by paging it from the end last found for this store (a
     * log only grows), so that each test does not read the whole log of a long-used store.
     */
    private static long logEnd(Store store) {
        long position = ENDS_FOUND.getOrDefault(store, 0L);
        while (true) {
            LogPage page = store.readLog(position, PAGE);
            if (page.events().isEmpty()) {
                ENDS_FOUND.put(store, position);
                return position;
            }
            position = page.lastPosition();
        }
    }

    private List<StoredEvent> logAfter(long after) {
        return logAfter(store(), after);
    }

    private static List<StoredEvent> logAfter(Store store, long after) {
        List<StoredEvent> all = new ArrayList<>();
        long position = after;
        while (true) {
            LogPage page = store.readLog(position, PAGE);
            if (page.events().isEmpty()) {
                return all;
            }
            all.addAll(page.events());
            position = page.lastPosition();
        }
    }

    /** The events of {@code log} that are among {@code sent}, in log order. */
    private static List<StoredEvent> ownEvents(List<StoredEvent> log, List<Event> sent) {
        Set<UUID> ids = new HashSet<>(sentIds(sent));
        return log.stream().filter(event -> ids.contains(event.id())).toList();
    }

    private static void assertIncreasingPositions(List<StoredEvent> events) {
        for (int i = 1; i < events.size(); i++) {
            assertTrue(
                    events.get(i).position() > events.get(i - 1).position(),
                    "positions not increasing at "
                            + i
                            + ": "
                            + events.get(i - 1).position()
                            + " then "
                            + events.get(i).position());
        }
    }

    private static List<UUID> sentIds(List<Event> events) {
        return events.stream().map(Event::id).toList();
    }

    private static List<UUID> storedIds(List<StoredEvent> events) {
        return events.stream().map(StoredEvent::id).toList();
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        Collections.reverse(copy);
        return copy;
    }
}
