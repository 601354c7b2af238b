package io.arbor.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.faults.StoreImage.Ev;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The checker must catch each kind of anomaly, and stay quiet on a clean history. */
class CheckerTest {
    private final List<Attempt> history = new ArrayList<>();
    private final Map<String, List<Ev>> streams = new LinkedHashMap<>();
    private final List<Ev> log = new ArrayList<>();
    private long clock = 1_000;
    private long attemptIds = 1;

    /** An append of {@code n} events to {@code stream}, answered {@code status}. */
    private Attempt send(long op, String stream, String expected, List<UUID> ids, int status) {
        long start = clock;
        clock += 10;
        String body =
                switch (status) {
                    case 201, 200 -> ack(stream, ids);
                    case 409 ->
                            String.format(
                                    "{\"type\":\"urn:arbor:problem:wrong-expected-version\",\"status\":409,"
                                            + "\"expectedVersion\":%s,\"actualVersion\":%d}",
                                    expected, streams.getOrDefault(stream, List.of()).size());
                    default -> "{\"status\":" + status + "}";
                };
        // Arbor's 503s carry Retry-After; a test that wants one without it says so.
        String retryAfter = status == 503 ? "2" : null;
        Attempt a =
                new Attempt(
                        attemptIds++,
                        op,
                        0,
                        stream,
                        expected,
                        ids,
                        start,
                        clock,
                        status,
                        body,
                        retryAfter);
        history.add(a);
        clock += 10;
        return a;
    }

    /** The acknowledgement the events would get if stored next. */
    private String ack(String stream, List<UUID> ids) {
        long v = streams.getOrDefault(stream, List.of()).size() + 1;
        long p = log.size() + 1;
        return String.format(
                "{\"streamId\":\"%s\",\"fromVersion\":%d,\"toVersion\":%d,\"fromPosition\":%d,"
                        + "\"toPosition\":%d}",
                stream, v, v + ids.size() - 1, p, p + ids.size() - 1);
    }

    /** Stores the events as the server would. */
    private void store(long op, String stream, List<UUID> ids) {
        List<Ev> s = streams.computeIfAbsent(stream, k -> new ArrayList<>());
        for (int i = 0; i < ids.size(); i++) {
            Ev e = new Ev(ids.get(i), stream, s.size() + 1, log.size() + 1, op, i);
            s.add(e);
            log.add(e);
        }
    }

    private static List<UUID> ids(int n) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(UUID.randomUUID());
        }
        return ids;
    }

    private Checker.Verdict check(Checker.Allowed allowed) {
        Map<String, List<Ev>> copy = new LinkedHashMap<>();
        streams.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        StoreImage image = new StoreImage(copy, List.copyOf(log), List.copyOf(log));
        List<LiveReader.Seen> seen =
                log.stream().map(e -> new LiveReader.Seen(e.position(), e.eventId())).toList();
        return Checker.check(history, image, seen, true, allowed);
    }

    /** The checker's verdict with the live reader's reads and the default read bound. */
    private Checker.Verdict checkReads(Checker.Allowed allowed, List<LiveReader.Read> reads) {
        Map<String, List<Ev>> copy = new LinkedHashMap<>();
        streams.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        StoreImage image = new StoreImage(copy, List.copyOf(log), List.copyOf(log));
        List<LiveReader.Seen> seen =
                log.stream().map(e -> new LiveReader.Seen(e.position(), e.eventId())).toList();
        return Checker.check(
                history,
                image,
                new Checker.ReaderRun(seen, true, reads),
                Checker.Rules.of(allowed));
    }

    /** A read of the global log that took {@code millis} and was answered {@code status}. */
    private LiveReader.Read read(int status, long millis, String retryAfter) {
        long start = clock;
        clock += millis * 1_000_000;
        String body = status == 200 ? null : "{\"status\":" + status + "}";
        return new LiveReader.Read(0, start, clock, status, 0, body, retryAfter);
    }

    private void appendAndStore(long op, String stream, String expected, int n) {
        List<UUID> ids = ids(n);
        send(op, stream, expected, ids, 201);
        store(op, stream, ids);
    }

    @Test
    void aCleanHistoryHasNoAnomalies() {
        appendAndStore(1, "c-a", "0", 3);
        appendAndStore(2, "c-b", "any", 1);
        appendAndStore(3, "c-a", "3", 2);
        send(4, "c-a", "3", ids(2), 409);

        Checker.Verdict v = check(Checker.Allowed.CONTENTION);

        assertTrue(v.clean(), v.anomalies()::toString);
        assertEquals(6, v.ackedEvents());
        assertEquals(3, v.ackedOps());
    }

    @Test
    void anAcknowledgedAppendThatIsNotStoredIsLost() {
        appendAndStore(1, "c-a", "0", 2);
        send(2, "c-a", "2", ids(3), 201);

        Checker.Verdict v = check(Checker.Allowed.CONTENTION);

        assertEquals(3, v.lost());
        assertTrue(v.anomalies().get(0).startsWith("LOST"), v.anomalies()::toString);
    }

    @Test
    void anAppendWithSomeEventsStoredIsHalfWritten() {
        List<UUID> ids = ids(3);
        send(1, "c-a", "any", ids, Attempt.UNKNOWN);
        store(1, "c-a", ids.subList(0, 2));

        Checker.Verdict v = check(Checker.Allowed.SERVER_OUTAGE);

        assertEquals(1, v.halfWritten());
        assertEquals(1, v.indeterminateOps());
    }

    @Test
    void anUnknownOutcomeIsResolvedByReadingBack() {
        List<UUID> committed = ids(2);
        send(1, "c-a", "any", committed, Attempt.UNKNOWN);
        store(1, "c-a", committed);
        send(2, "c-a", "any", ids(2), 503);

        Checker.Verdict v = check(Checker.Allowed.SERVER_OUTAGE);

        assertTrue(v.clean(), v.anomalies()::toString);
        assertEquals(2, v.indeterminateOps());
        assertEquals(1, v.resolvedCommitted());
        assertEquals(1, v.resolvedAbsent());
    }

    @Test
    void aRetryAnswered200WithTheOriginalResultIsNotADuplicate() {
        List<UUID> ids = ids(2);
        send(1, "c-a", "0", ids, Attempt.UNKNOWN);
        String original = ack("c-a", ids);
        store(1, "c-a", ids);
        history.add(new Attempt(9, 1, 0, "c-a", "0", ids, clock, clock + 5, 200, original, null));

        Checker.Verdict v = check(Checker.Allowed.SERVER_OUTAGE);

        assertTrue(v.clean(), v.anomalies()::toString);
        assertEquals(2, v.ackedEvents());
    }

    @Test
    void anEventStoredTwiceInTheGlobalLogIsADuplicate() {
        appendAndStore(1, "c-a", "0", 1);
        Ev e = log.get(0);
        log.add(new Ev(e.eventId(), e.stream(), e.version(), 2, e.op(), e.index()));
        StoreImage image = new StoreImage(streams, List.copyOf(log), null);

        Checker.Verdict v = Checker.check(history, image, null, false, Checker.Allowed.CONTENTION);

        assertEquals(1, v.duplicates());
    }

    @Test
    void aGapInAStreamsVersionsIsFound() {
        appendAndStore(1, "c-a", "any", 1);
        appendAndStore(2, "c-a", "any", 1);
        List<Ev> s = streams.get("c-a");
        Ev second = s.get(1);
        s.set(1, new Ev(second.eventId(), "c-a", 3, second.position(), 2, 0));

        Checker.Verdict v = check(Checker.Allowed.CONTENTION);

        assertTrue(
                v.anomalies().stream().anyMatch(a -> a.contains("without gaps")),
                v.anomalies()::toString);
    }

    @Test
    void aConflictThatWroteItsEventsIsAnAnomaly() {
        List<UUID> ids = ids(1);
        send(1, "c-a", "5", ids, 409);
        store(1, "c-a", ids);

        Checker.Verdict v = check(Checker.Allowed.CONTENTION);

        assertTrue(
                v.anomalies().stream().anyMatch(a -> a.contains("yet its events were written")),
                v.anomalies()::toString);
    }

    @Test
    void anAnswerTheScenarioDoesNotAllowIsAnAnomaly() {
        send(1, "c-a", "any", ids(1), 500);
        send(2, "c-a", "any", ids(1), Attempt.UNKNOWN);

        Checker.Verdict v = check(Checker.Allowed.CONTENTION);

        assertEquals(2, v.anomalyCount(), v.anomalies()::toString);
    }

    @Test
    void a503WithoutRetryAfterIsAnAnomaly() {
        appendAndStore(1, "c-a", "0", 1);
        send(2, "c-a", "1", ids(1), 503); // with Retry-After: allowed during an outage
        Attempt bare = send(3, "c-a", "1", ids(1), 503);
        history.set(history.size() - 1, withRetryAfter(bare, null));

        Checker.Verdict v = check(Checker.Allowed.DATABASE_OUTAGE);

        assertEquals(1, v.anomalyCount(), v.anomalies()::toString);
        assertTrue(
                v.anomalies().get(0).contains("answered 503 without Retry-After"),
                v.anomalies()::toString);
    }

    @Test
    void readsAnswered200Or503WithRetryAfterDuringAnOutageAreClean() {
        appendAndStore(1, "c-a", "0", 1);

        Checker.Verdict v =
                checkReads(
                        Checker.Allowed.DATABASE_OUTAGE,
                        List.of(read(200, 5, null), read(503, 40, "2"), read(200, 5, null)));

        assertTrue(v.clean(), v.anomalies()::toString);
        assertEquals(3, v.readsChecked());
        assertEquals(Map.of(200, 2L, 503, 1L), v.readAnswers());
    }

    @Test
    void aReadAnswered500IsAnAnomaly() {
        appendAndStore(1, "c-a", "0", 1);

        Checker.Verdict v =
                checkReads(
                        Checker.Allowed.DATABASE_OUTAGE,
                        List.of(read(200, 5, null), read(500, 5, null)));

        assertEquals(1, v.anomalyCount(), v.anomalies()::toString);
        assertTrue(v.anomalies().get(0).contains("answered 500"), v.anomalies()::toString);
    }

    @Test
    void aRead503IsAnAnomalyWithoutRetryAfterOrWithoutAFault() {
        appendAndStore(1, "c-a", "0", 1);
        List<LiveReader.Read> reads = List.of(read(503, 5, null));

        Checker.Verdict outage = checkReads(Checker.Allowed.DATABASE_OUTAGE, reads);
        Checker.Verdict noFault =
                checkReads(Checker.Allowed.CONTENTION, List.of(read(503, 5, "2")));

        assertEquals(1, outage.anomalyCount(), outage.anomalies()::toString);
        assertTrue(outage.anomalies().get(0).contains("503 without Retry-After"));
        assertEquals(1, noFault.anomalyCount(), noFault.anomalies()::toString);
        assertTrue(noFault.anomalies().get(0).contains("answered 503"));
    }

    @Test
    void aReadWithoutAnswerIsAnAnomalyUnlessTheServerWasKilled() {
        appendAndStore(1, "c-a", "0", 1);

        Checker.Verdict db =
                checkReads(Checker.Allowed.DATABASE_OUTAGE, List.of(read(-1, 5, null)));
        Checker.Verdict kill =
                checkReads(Checker.Allowed.SERVER_OUTAGE, List.of(read(-1, 5, null)));

        assertEquals(1, db.anomalyCount(), db.anomalies()::toString);
        assertTrue(kill.clean(), kill.anomalies()::toString);
    }

    @Test
    void aReadThatHangsPastTheBoundIsAnAnomaly() {
        appendAndStore(1, "c-a", "0", 1);

        Checker.Verdict answeredLate =
                checkReads(Checker.Allowed.DATABASE_OUTAGE, List.of(read(200, 16_000, null)));
        Checker.Verdict stillWaiting =
                checkReads(
                        Checker.Allowed.DATABASE_OUTAGE,
                        List.of(read(LiveReader.Read.PENDING, 20_000, null)));
        Checker.Verdict justSent =
                checkReads(
                        Checker.Allowed.DATABASE_OUTAGE,
                        List.of(read(LiveReader.Read.PENDING, 1, null)));

        assertEquals(1, answeredLate.slowReads());
        assertTrue(
                answeredLate.anomalies().get(0).contains("over the bound of 15 s"),
                answeredLate.anomalies()::toString);
        assertEquals(1, stillWaiting.anomalyCount(), stillWaiting.anomalies()::toString);
        assertTrue(stillWaiting.anomalies().get(0).contains("still unanswered"));
        assertTrue(justSent.clean(), justSent.anomalies()::toString);
    }

    /** The rules of the PostgreSQL stop: 10 s recovery bound, readiness must go DOWN. */
    private static final Checker.Rules PG_STOP =
            new Checker.Rules(
                    Checker.Allowed.DATABASE_OUTAGE,
                    Checker.DEFAULT_READ_BOUND_NANOS,
                    10_000_000_000L,
                    true);

    private Checker.Verdict checkCycles(Checker.Rules rules, Checker.Cycle... cycles) {
        appendAndStore(1, "c-a", "0", 1);
        StoreImage image = new StoreImage(streams, List.copyOf(log), List.copyOf(log));
        return Checker.check(
                history,
                image,
                new Checker.ReaderRun(null, false, List.of()),
                List.of(cycles),
                rules);
    }

    @Test
    void aRecoveryWithinTheBoundWithReadinessDownThenUpIsClean() {
        Checker.Verdict v =
                checkCycles(
                        PG_STOP,
                        new Checker.Cycle(1, 0.8, true, true, true),
                        new Checker.Cycle(2, 9.9, true, true, true));

        assertTrue(v.clean(), v.anomalies()::toString);
        assertEquals(0, v.slowRecoveries());
    }

    @Test
    void aSlowRecoveryIsFlagged() {
        Checker.Verdict v =
                checkCycles(
                        PG_STOP,
                        new Checker.Cycle(1, 0.8, true, true, true),
                        new Checker.Cycle(2, 12.5, true, true, true));

        assertEquals(1, v.slowRecoveries());
        assertEquals(1, v.anomalyCount(), v.anomalies()::toString);
        assertTrue(
                v.anomalies()
                        .get(0)
                        .contains("cycle 2: recovered in 12.5 s, over the bound of 10 s"),
                v.anomalies()::toString);
    }

    @Test
    void aRecoveryThatNeverCameIsFlagged() {
        Checker.Verdict v =
                checkCycles(PG_STOP, new Checker.Cycle(1, Double.NaN, true, true, false));

        assertEquals(1, v.slowRecoveries());
        assertTrue(
                v.anomalies().stream().anyMatch(a -> a.contains("no append was acknowledged")),
                v.anomalies()::toString);
    }

    @Test
    void aKill9RecoveryIsNotBounded() {
        Checker.Rules kill9 =
                new Checker.Rules(
                        Checker.Allowed.SERVER_OUTAGE, Checker.DEFAULT_READ_BOUND_NANOS, 0, false);

        Checker.Verdict v = checkCycles(kill9, new Checker.Cycle(1, 45.0, false, false, false));

        assertTrue(v.clean(), v.anomalies()::toString);
    }

    @Test
    void readinessNeverDownDuringAPostgresStopIsAnAnomaly() {
        Checker.Verdict stop = checkCycles(PG_STOP, new Checker.Cycle(1, 1.0, true, false, true));
        Checker.Rules terminate =
                new Checker.Rules(
                        Checker.Allowed.DATABASE_OUTAGE,
                        Checker.DEFAULT_READ_BOUND_NANOS,
                        10_000_000_000L,
                        false);
        history.clear();
        streams.clear();
        log.clear();
        Checker.Verdict term = checkCycles(terminate, new Checker.Cycle(1, 0.1, true, false, true));

        assertEquals(1, stop.anomalyCount(), stop.anomalies()::toString);
        assertTrue(stop.anomalies().get(0).contains("never DOWN"), stop.anomalies()::toString);
        assertTrue(term.clean(), term.anomalies()::toString);
    }

    @Test
    void readinessNotUpAgainAfterRecoveryIsAnAnomaly() {
        Checker.Verdict v = checkCycles(PG_STOP, new Checker.Cycle(1, 1.0, true, true, false));

        assertEquals(1, v.anomalyCount(), v.anomalies()::toString);
        assertTrue(v.anomalies().get(0).contains("not UP again"), v.anomalies()::toString);
    }

    @Test
    void payarasOwn503PageWhileItStartsNeedsNoRetryAfter() {
        appendAndStore(1, "c-a", "0", 1);
        String page = payaraPage(503, "Service Unavailable");
        Attempt a = send(2, "c-a", "1", ids(1), 503);
        history.set(history.size() - 1, withRetryAfter(withBodyText(a, page), null));
        List<LiveReader.Read> reads = List.of(answeredRead(503, page));

        Checker.Verdict kill = checkReads(Checker.Allowed.SERVER_OUTAGE, reads);
        Checker.Verdict db = checkReads(Checker.Allowed.DATABASE_OUTAGE, reads);

        assertTrue(kill.clean(), kill.anomalies()::toString);
        assertEquals(2, db.anomalyCount(), db.anomalies()::toString);
    }

    @Test
    void payarasOwn500PageWhileItStartsIsStartUpNoiseButArbors500IsAnAnomaly() {
        appendAndStore(1, "c-a", "0", 1);
        String page = payaraPage(500, "Error report");
        String arbors =
                "{\"type\":\"urn:arbor:problem:internal-error\",\"status\":500,"
                        + "\"incident\":\"1\"}";
        Attempt a = send(2, "c-a", "1", ids(1), 500);
        history.set(history.size() - 1, withBodyText(a, page));
        List<LiveReader.Read> pages = List.of(answeredRead(500, page));
        List<LiveReader.Read> faults = List.of(answeredRead(500, arbors));

        Checker.Verdict starting = checkReads(Checker.Allowed.SERVER_OUTAGE, pages);
        Checker.Verdict arborFailed = checkReads(Checker.Allowed.SERVER_OUTAGE, faults);
        Checker.Verdict noKill = checkReads(Checker.Allowed.DATABASE_OUTAGE, pages);

        assertTrue(starting.clean(), starting.anomalies()::toString);
        assertEquals(1, arborFailed.anomalyCount(), arborFailed.anomalies()::toString);
        assertEquals(2, noKill.anomalyCount(), noKill.anomalies()::toString);
    }

    @Test
    void aPageThatPayaraHeldWhileItRestartedIsNotAHungRead() {
        appendAndStore(1, "c-a", "0", 1);
        String page = payaraPage(404, "Not Found");
        String arbors = "{\"type\":\"urn:arbor:problem:stream-not-found\",\"status\":404}";
        List<LiveReader.Read> heldByTheRestart =
                List.of(new LiveReader.Read(0, 0, 20_000_000_000L, 404, 0, page, null));
        List<LiveReader.Read> hungInArbor =
                List.of(new LiveReader.Read(0, 0, 20_000_000_000L, 404, 0, arbors, null));

        List<LiveReader.Read> timedOutInTheRestart =
                List.of(new LiveReader.Read(0, 0, 30_000_000_000L, -1, 0, null, null));
        Checker.Verdict restart = checkReads(Checker.Allowed.SERVER_OUTAGE, heldByTheRestart);
        Checker.Verdict unanswered =
                checkReads(Checker.Allowed.SERVER_OUTAGE, timedOutInTheRestart);
        Checker.Verdict unansweredWithoutAKill =
                checkReads(Checker.Allowed.DATABASE_OUTAGE, timedOutInTheRestart);
        Checker.Verdict hung = checkReads(Checker.Allowed.SERVER_OUTAGE, hungInArbor);

        assertTrue(restart.clean(), restart.anomalies()::toString);
        assertEquals(0, restart.slowReads());
        assertTrue(unanswered.clean(), unanswered.anomalies()::toString);
        assertEquals(1, unansweredWithoutAKill.slowReads());
        assertEquals(1, hung.slowReads());
        assertTrue(
                hung.anomalies().stream().anyMatch(a -> a.contains("over the bound of 15 s")),
                hung.anomalies()::toString);
    }

    @Test
    void aLaterAppendWithAnEarlierPositionBreaksRealTimeOrder() {
        List<UUID> first = ids(1);
        List<UUID> second = ids(1);
        send(1, "c-a", "any", first, 201);
        send(2, "c-b", "any", second, 201);
        store(2, "c-b", second); // the later request got the lower position
        store(1, "c-a", first);
        history.set(0, withBody(history.get(0), "c-a", 1, 2));
        history.set(1, withBody(history.get(1), "c-b", 1, 1));

        Checker.Verdict v = check(Checker.Allowed.CONTENTION);

        assertTrue(
                v.anomalies().stream().anyMatch(a -> a.contains("was sent after op 1")),
                v.anomalies()::toString);
    }

    @Test
    void aReaderThatSkipsAnEventIsCaught() {
        appendAndStore(1, "c-a", "any", 2);
        Map<String, List<Ev>> copy = new LinkedHashMap<>(streams);
        StoreImage image = new StoreImage(copy, List.copyOf(log), null);
        List<LiveReader.Seen> seen = List.of(new LiveReader.Seen(2, log.get(1).eventId()));

        Checker.Verdict v = Checker.check(history, image, seen, true, Checker.Allowed.CONTENTION);

        assertTrue(
                v.anomalies().stream().anyMatch(a -> a.contains("skipped 1 events")),
                v.anomalies()::toString);
    }

    @Test
    void aFirstAttemptTold409ForReusingStoredIdsIsAnAnomaly() {
        List<UUID> ids = ids(1);
        send(1, "c-a", "any", ids, 201);
        store(1, "c-a", ids);
        history.add(
                new Attempt(
                        9,
                        2,
                        0,
                        "c-b",
                        "any",
                        ids(1),
                        clock,
                        clock + 5,
                        409,
                        "{\"type\":\"urn:arbor:problem:duplicate-event-id\",\"status\":409}",
                        null));

        Checker.Verdict v = check(Checker.Allowed.CONTENTION);

        assertTrue(
                v.anomalies().stream().anyMatch(a -> a.contains("unexpected 409")),
                v.anomalies()::toString);
    }

    @Test
    void anEventNoRequestSentIsAPhantom() {
        store(99, "c-a", ids(1));

        Checker.Verdict v = check(Checker.Allowed.CONTENTION);

        assertTrue(
                v.anomalies().stream().anyMatch(a -> a.contains("never sent")),
                v.anomalies()::toString);
    }

    private static Attempt withBodyText(Attempt a, String body) {
        return a.answered(a.status(), body, a.retryAfter());
    }

    private static Attempt withRetryAfter(Attempt a, String retryAfter) {
        return a.answered(a.status(), a.body(), retryAfter);
    }

    @Test
    void aServerPageIsReportedByTheExceptionItNames() {
        String page =
                "{\"type\":\"urn:arbor:problem:http-500\",\"status\":500,\"detail\":\""
                        + "<!DOCTYPE html><html><head><title>Payara Server - Error report</title>"
                        + "<style type=\\\"text/css\\\"><!--H1 {font-family:Tahoma}--></style>"
                        + "</head><body><h1>HTTP Status 500 - Internal Server Error</h1>\\n"
                        + "<p><b>exception</b></p><pre>jakarta.servlet.ServletException: boom</pre>"
                        + "</body></html>\"}";

        String shown = Checker.abbreviate(page);

        assertEquals(
                "server page: Payara Server - Error report HTTP Status 500 - Internal Server Error"
                        + " exception jakarta.servlet.ServletException: boom",
                shown);
        assertEquals("{\"status\":500}", Checker.abbreviate("{\"status\":500}"));
    }

    /** Payara's own HTML error page, as the client wraps a body that is not problem+json. */
    private static String payaraPage(int status, String html) {
        return String.format(
                "{\"type\":\"urn:arbor:problem:http-%d\",\"title\":\"HTTP %d\","
                        + "\"status\":%d,\"detail\":\"<html>%s</html>\"}",
                status, status, status, html);
    }

    /** A read of the global log answered {@code status} with {@code body}, without Retry-After. */
    private static LiveReader.Read answeredRead(int status, String body) {
        return new LiveReader.Read(0, 0, 1, status, 0, body, null);
    }

    private static Attempt withBody(Attempt a, String stream, long version, long position) {
        String body =
                String.format(
                        "{\"streamId\":\"%s\",\"fromVersion\":%d,\"toVersion\":%d,"
                                + "\"fromPosition\":%d,\"toPosition\":%d}",
                        stream, version, version, position, position);
        return a.answered(a.status(), body, a.retryAfter());
    }

    // ------------------------------------------------------------ the live subscriber

    private List<LiveReader.Seen> wholeLog() {
        return log.stream().map(e -> new LiveReader.Seen(e.position(), e.eventId())).toList();
    }

    private List<UUID> acknowledgedSoFar() {
        return history.stream()
                .filter(Attempt::acknowledged)
                .flatMap(a -> a.eventIds().stream())
                .toList();
    }

    /** The verdict with a clean reader and this subscriber run. */
    private Checker.Verdict checkSubscriber(Checker.SubscriberRun subscriber) {
        StoreImage image =
                new StoreImage(new LinkedHashMap<>(streams), List.copyOf(log), List.copyOf(log));
        return Checker.check(
                history,
                image,
                new Checker.ReaderRun(wholeLog(), true, List.of()),
                subscriber,
                List.of(),
                Checker.Rules.of(Checker.Allowed.CONTENTION));
    }

    @Test
    void aSubscriberThatDeliveredEverythingOnceAfterEachCycleHasNoAnomalies() {
        appendAndStore(1, "c-a", "0", 2);
        Checker.Delivery first = new Checker.Delivery(1, acknowledgedSoFar(), 2, 0.3);
        appendAndStore(2, "c-b", "0", 3);
        Checker.Delivery second = new Checker.Delivery(2, acknowledgedSoFar(), 5, 1.2);

        Checker.Verdict v =
                checkSubscriber(
                        new Checker.SubscriberRun(
                                wholeLog(), true, 1, null, 2, List.of(first, second)));

        assertTrue(v.clean(), v.anomalies()::toString);
        assertEquals(5, v.subscriberEvents());
        assertEquals(2, v.subscriberReconnections());
    }

    @Test
    void aSubscriberThatRepeatsReordersOrSkipsAnEventIsCaught() {
        appendAndStore(1, "c-a", "0", 3);
        List<LiveReader.Seen> all = wholeLog();
        List<LiveReader.Seen> repeated = new ArrayList<>(all);
        repeated.add(all.get(2)); // delivered again after a reconnection
        List<LiveReader.Seen> skipped = List.of(all.get(0), all.get(2));
        List<LiveReader.Seen> reordered = List.of(all.get(1), all.get(0), all.get(2));

        Checker.Verdict twice =
                checkSubscriber(new Checker.SubscriberRun(repeated, true, 1, null, 1, List.of()));
        Checker.Verdict gap =
                checkSubscriber(new Checker.SubscriberRun(skipped, true, 1, null, 1, List.of()));
        Checker.Verdict order =
                checkSubscriber(new Checker.SubscriberRun(reordered, true, 1, null, 0, List.of()));

        assertEquals(1, twice.duplicates());
        assertTrue(
                twice.anomalies().stream().anyMatch(a -> a.startsWith("subscriber saw event")),
                twice.anomalies()::toString);
        assertTrue(
                gap.anomalies().stream()
                        .anyMatch(a -> a.startsWith("the live subscriber skipped 1 events")),
                gap.anomalies()::toString);
        assertTrue(
                order.anomalies().stream()
                        .anyMatch(a -> a.startsWith("subscriber saw position 1 after 2")),
                order.anomalies()::toString);
    }

    @Test
    void aSubscriberBehindAnAcknowledgedEventAfterACycleIsCaughtThoughItCaughtUpLater() {
        appendAndStore(1, "c-a", "0", 2);
        appendAndStore(2, "c-a", "2", 1);
        // After cycle 1 it had delivered 2 of the 3 acknowledged events; by the end, all of them.
        Checker.Delivery late = new Checker.Delivery(1, acknowledgedSoFar(), 2, 60.0);

        Checker.Verdict v =
                checkSubscriber(
                        new Checker.SubscriberRun(wholeLog(), true, 1, null, 1, List.of(late)));

        assertEquals(1, v.anomalyCount(), v.anomalies()::toString);
        assertTrue(
                v.anomalies()
                        .get(0)
                        .startsWith(
                                "cycle 1: 60.0 s after recovery the live subscriber had not"
                                        + " delivered 1 of the 3 events"),
                v.anomalies()::toString);
    }

    @Test
    void aSubscriptionThatGaveUpOrSaidCaughtUpOtherThanOnceIsCaught() {
        appendAndStore(1, "c-a", "0", 1);

        Checker.Verdict gaveUp =
                checkSubscriber(
                        new Checker.SubscriberRun(
                                List.of(),
                                false,
                                1,
                                "BadRequestException: 400 invalid-request",
                                0,
                                List.of()));
        Checker.Verdict twice =
                checkSubscriber(new Checker.SubscriberRun(wholeLog(), true, 2, null, 1, List.of()));
        Checker.Verdict never =
                checkSubscriber(new Checker.SubscriberRun(wholeLog(), true, 0, null, 0, List.of()));

        assertTrue(
                gaveUp.anomalies().contains("the live subscriber did not reach the end of the log"),
                gaveUp.anomalies()::toString);
        assertTrue(
                gaveUp.anomalies().stream()
                        .anyMatch(a -> a.startsWith("the live subscription ended by itself")),
                gaveUp.anomalies()::toString);
        assertEquals(
                List.of("the live subscriber signalled caught-up 2 times, not once"),
                twice.anomalies());
        assertEquals(
                List.of("the live subscriber signalled caught-up 0 times, not once"),
                never.anomalies());
    }

    // ------------------------------------------------------------ the consumer group

    private Set<UUID> logIds() {
        return log.stream().map(Ev::eventId).collect(Collectors.toSet());
    }

    /**
     * A group run that acked {@code acked} (200), with nothing parked and checkpoint at the end.
     */
    private Checker.GroupRun group(
            Set<UUID> acked,
            Set<UUID> maybeAcked,
            long checkpoint,
            long parked,
            List<GroupConsumers.Call> calls,
            List<Checker.GroupCycle> cycles) {
        return new Checker.GroupRun(
                "faults-c",
                acked,
                maybeAcked,
                1,
                2,
                checkpoint,
                parked,
                Map.of(200, 9L),
                calls,
                cycles);
    }

    /** The verdict with a clean reader, no subscriber and this group run. */
    private Checker.Verdict checkGroup(Checker.GroupRun group, Checker.Allowed allowed) {
        StoreImage image =
                new StoreImage(new LinkedHashMap<>(streams), List.copyOf(log), List.copyOf(log));
        return Checker.check(
                history,
                image,
                new Checker.ReaderRun(wholeLog(), true, List.of()),
                null,
                group,
                List.of(),
                Checker.Rules.of(allowed));
    }

    @Test
    void aGroupThatAckedEveryEventAtLeastOnceHasNoAnomalies() {
        appendAndStore(1, "c-a", "0", 2);
        Checker.GroupCycle first = new Checker.GroupCycle(1, 2, List.of(), 0.4);
        appendAndStore(2, "c-b", "0", 3);

        Checker.Verdict v =
                checkGroup(
                        group(logIds(), Set.of(), log.size(), 0, List.of(), List.of(first)),
                        Checker.Allowed.CONTENTION);

        assertTrue(v.clean(), v.anomalies()::toString);
        assertEquals(5, v.groupAcked());
        assertEquals(1, v.groupAckedTwice());
        assertEquals(2, v.groupRedelivered());
    }

    @Test
    void aGroupThatNeverAckedAnAcknowledgedEventIsCaught() {
        appendAndStore(1, "c-a", "0", 3);
        Set<UUID> acked = new HashSet<>(logIds());
        acked.remove(log.get(1).eventId());

        Checker.Verdict v =
                checkGroup(
                        group(acked, Set.of(), log.size(), 0, List.of(), List.of()),
                        Checker.Allowed.CONTENTION);

        assertEquals(1, v.anomalyCount(), v.anomalies()::toString);
        assertTrue(
                v.anomalies()
                        .get(0)
                        .startsWith(
                                "consumer group faults-c never acked 1 events of the log"
                                        + " (checkpoint 3), first "
                                        + log.get(1).eventId()),
                v.anomalies()::toString);
    }

    @Test
    void anAckWhoseAnswerWasLostCountsOnlyWhenTheCheckpointIsPastItsEvent() {
        appendAndStore(1, "c-a", "0", 3);
        UUID lostAnswer = log.get(2).eventId();
        Set<UUID> acked = new HashSet<>(logIds());
        acked.remove(lostAnswer);

        Checker.Verdict past =
                checkGroup(
                        group(acked, Set.of(lostAnswer), 3, 0, List.of(), List.of()),
                        Checker.Allowed.SERVER_OUTAGE);
        Checker.Verdict short_ =
                checkGroup(
                        group(acked, Set.of(lostAnswer), 2, 0, List.of(), List.of()),
                        Checker.Allowed.SERVER_OUTAGE);

        assertTrue(past.clean(), past.anomalies()::toString);
        assertEquals(1, short_.anomalyCount(), short_.anomalies()::toString);
    }

    @Test
    void aGroupThatAckedAnEventNotInTheLogOrParkedOneIsCaught() {
        appendAndStore(1, "c-a", "0", 2);
        Set<UUID> acked = new HashSet<>(logIds());
        UUID phantom = UUID.randomUUID();
        acked.add(phantom);

        Checker.Verdict v =
                checkGroup(
                        group(acked, Set.of(), log.size(), 1, List.of(), List.of()),
                        Checker.Allowed.CONTENTION);

        assertEquals(
                List.of(
                        "consumer group faults-c acked event "
                                + phantom
                                + ", which the log does not hold",
                        "consumer group faults-c parked 1 events, none nacked"),
                v.anomalies());
    }

    @Test
    void aGroupBehindAnAcknowledgedEventAfterACycleIsCaughtThoughItAckedItLater() {
        appendAndStore(1, "c-a", "0", 2);
        UUID late = log.get(1).eventId();
        Checker.GroupCycle cycle = new Checker.GroupCycle(1, 2, List.of(late), 60.0);

        Checker.Verdict v =
                checkGroup(
                        group(logIds(), Set.of(), log.size(), 0, List.of(), List.of(cycle)),
                        Checker.Allowed.CONTENTION);

        assertEquals(
                List.of(
                        "cycle 1: 60.0 s after recovery consumer group faults-c had not acked 1 of"
                                + " the 2 events acknowledged so far, first "
                                + late),
                v.anomalies());
    }

    @Test
    void theGroupsCallsAreHeldToTheScenariosAnswers() {
        appendAndStore(1, "c-a", "0", 1);
        String leaseNotHeld = "{\"type\":\"urn:arbor:problem:lease-not-held\",\"status\":409}";
        List<GroupConsumers.Call> outage =
                List.of(
                        new GroupConsumers.Call("fetch", Attempt.UNKNOWN, "unknown: refused", null),
                        new GroupConsumers.Call("ack", 409, leaseNotHeld, null),
                        new GroupConsumers.Call("fetch", 503, "{\"status\":503}", "2"),
                        new GroupConsumers.Call("fetch", 404, "<html>starting</html>", null));
        List<GroupConsumers.Call> wrong =
                List.of(
                        new GroupConsumers.Call("fetch", 503, "{\"status\":503}", null),
                        new GroupConsumers.Call(
                                "ack",
                                500,
                                "{\"type\":\"urn:arbor:problem:internal-error\"}",
                                null),
                        new GroupConsumers.Call("fetch", 409, leaseNotHeld, null));

        Checker.Verdict allowed =
                checkGroup(
                        group(logIds(), Set.of(), 1, 0, outage, List.of()),
                        Checker.Allowed.SERVER_OUTAGE);
        Checker.Verdict refused =
                checkGroup(
                        group(logIds(), Set.of(), 1, 0, wrong, List.of()),
                        Checker.Allowed.SERVER_OUTAGE);
        Checker.Verdict noFaults =
                checkGroup(
                        group(logIds(), Set.of(), 1, 0, outage.subList(0, 1), List.of()),
                        Checker.Allowed.CONTENTION);

        assertTrue(allowed.clean(), allowed.anomalies()::toString);
        assertEquals(3, refused.anomalyCount(), refused.anomalies()::toString);
        assertTrue(
                refused.anomalies().get(0).contains("fetch answered 503 without Retry-After"),
                refused.anomalies()::toString);
        assertEquals(
                List.of("consumer group faults-c fetch got no answer: unknown: refused"),
                noFaults.anomalies());
    }

    // ------------------------------------------------------------ multi-stream appends

    private static Attempt.Part part(String stream, String expected, int n) {
        return new Attempt.Part(stream, expected, ids(n));
    }

    /** A multi-stream append ({@code POST /events}) answered {@code status} as Arbor would. */
    private Attempt sendMulti(long op, List<Attempt.Part> parts, int status) {
        long start = clock;
        clock += 10;
        String body =
                switch (status) {
                    case 201, 200 -> multiAck(parts);
                    case 409 -> conflicts(parts);
                    default -> "{\"status\":" + status + "}";
                };
        Attempt a =
                new Attempt(
                        attemptIds++,
                        op,
                        0,
                        parts,
                        true,
                        start,
                        clock,
                        status,
                        body,
                        status == 503 ? "2" : null);
        history.add(a);
        clock += 10;
        return a;
    }

    /** The answer the parts would get if stored next, in the order sent. */
    private String multiAck(List<Attempt.Part> parts) {
        long p = log.size() + 1;
        int n = 0;
        StringBuilder streamsJson = new StringBuilder();
        for (Attempt.Part part : parts) {
            n += part.eventIds().size();
            if (part.guard()) {
                continue;
            }
            long v = streams.getOrDefault(part.stream(), List.of()).size() + 1;
            streamsJson
                    .append(streamsJson.length() == 0 ? "" : ",")
                    .append(
                            String.format(
                                    "{\"streamId\":\"%s\",\"fromVersion\":%d,\"toVersion\":%d}",
                                    part.stream(), v, v + part.eventIds().size() - 1));
        }
        return String.format(
                "{\"streams\":[%s],\"fromPosition\":%d,\"toPosition\":%d}",
                streamsJson, p, p + n - 1);
    }

    /** A 409 naming every part whose expected version does not hold now. */
    private String conflicts(List<Attempt.Part> parts) {
        StringBuilder c = new StringBuilder();
        for (Attempt.Part part : parts) {
            int actual = streams.getOrDefault(part.stream(), List.of()).size();
            if (!"any".equals(part.expected()) && Long.parseLong(part.expected()) != actual) {
                c.append(c.length() == 0 ? "" : ",")
                        .append(
                                String.format(
                                        "{\"streamId\":\"%s\",\"expectedVersion\":%s,"
                                                + "\"actualVersion\":%d}",
                                        part.stream(), part.expected(), actual));
            }
        }
        return "{\"type\":\"urn:arbor:problem:wrong-expected-version\",\"status\":409,"
                + "\"conflicts\":["
                + c
                + "]}";
    }

    /** Stores the parts' events as the server would: one block of positions, in the order sent. */
    private void storeMulti(long op, List<Attempt.Part> parts) {
        int i = 0;
        for (Attempt.Part part : parts) {
            List<Ev> s = streams.computeIfAbsent(part.stream(), k -> new ArrayList<>());
            for (UUID id : part.eventIds()) {
                Ev e = new Ev(id, part.stream(), s.size() + 1, log.size() + 1, op, i++);
                s.add(e);
                log.add(e);
            }
        }
    }

    @Test
    void aCleanMultiStreamHistoryHasNoAnomalies() {
        appendAndStore(1, "c-a", "0", 2);
        List<Attempt.Part> transfer =
                List.of(part("c-a", "2", 2), part("c-b", "0", 1), part("c-shared", "any", 3));
        sendMulti(2, transfer, 201);
        storeMulti(2, transfer);
        // a guard: c-a must still be at version 4
        List<Attempt.Part> guarded = List.of(part("c-a", "4", 0), part("c-b", "1", 2));
        sendMulti(3, guarded, 201);
        storeMulti(3, guarded);
        // an unknown outcome, wholly stored, and its retry answered 200 with the same body
        List<Attempt.Part> retried = List.of(part("c-b", "3", 1), part("c-shared", "any", 1));
        Attempt first = sendMulti(4, retried, Attempt.UNKNOWN);
        String original = multiAck(retried);
        storeMulti(4, retried);
        history.add(
                new Attempt(
                        attemptIds++, 4, 0, retried, true, clock, clock + 5, 200, original, null));
        // a lost race on c-a, listed with what was expected and what was there
        sendMulti(5, List.of(part("c-a", "2", 1), part("c-b", "4", 1)), 409);
        // an unknown outcome that wrote nothing
        sendMulti(6, List.of(part("c-a", "4", 1), part("c-b", "4", 1)), Attempt.UNKNOWN);
        appendAndStore(7, "c-a", "4", 1);

        Checker.Verdict v = check(Checker.Allowed.SERVER_OUTAGE);

        assertTrue(v.clean(), v.anomalies()::toString);
        assertEquals(3, v.multiStreamOps());
        assertEquals(1, v.multiStreamUnknown());
        assertEquals(2 + 6 + 2 + 2 + 1, v.ackedEvents());
        assertTrue(first.multiStream());
    }

    @Test
    void anAcknowledgedMultiStreamAppendMissingOnePartIsLost() {
        List<Attempt.Part> parts = List.of(part("c-a", "0", 2), part("c-b", "0", 3));
        sendMulti(1, parts, 201);
        storeMulti(1, List.of(parts.get(0)));

        Checker.Verdict v = check(Checker.Allowed.CONTENTION);

        assertEquals(3, v.lost(), v.anomalies()::toString);
        assertTrue(
                v.anomalies().stream().anyMatch(a -> a.startsWith("LOST: op 1")),
                v.anomalies()::toString);
    }

    @Test
    void aMultiStreamAppendHalfWrittenAcrossTwoStreamsIsAnAnomaly() {
        List<Attempt.Part> parts = List.of(part("c-a", "0", 2), part("c-b", "any", 3));
        sendMulti(1, parts, Attempt.UNKNOWN);
        storeMulti(1, List.of(parts.get(0)));

        Checker.Verdict v = check(Checker.Allowed.SERVER_OUTAGE);

        assertEquals(1, v.halfWritten(), v.anomalies()::toString);
        assertEquals(
                List.of(
                        "op 1 (5 events to POST /events [c-a, c-b]) is half-written: 2 of 5"
                                + " events stored (c-a: 2 of 2, c-b: 0 of 3)"),
                v.anomalies());
    }

    @Test
    void aMultiStreamAppendNotInOneBlockOfPositionsIsAnAnomaly() {
        List<Attempt.Part> parts = List.of(part("c-a", "0", 1), part("c-b", "0", 1));
        sendMulti(1, parts, Attempt.UNKNOWN);
        storeMulti(1, List.of(parts.get(0)));
        appendAndStore(2, "c-c", "0", 1); // stored between the two parts
        List<Ev> b = streams.computeIfAbsent("c-b", k -> new ArrayList<>());
        Ev e = new Ev(parts.get(1).eventIds().get(0), "c-b", 1, log.size() + 1, 1, 1);
        b.add(e);
        log.add(e);

        Checker.Verdict v = check(Checker.Allowed.SERVER_OUTAGE);

        assertTrue(
                v.anomalies().stream().anyMatch(a -> a.contains("one block of positions")),
                v.anomalies()::toString);
    }

    @Test
    void aMultiStreamAppendStoredInAnotherOrderThanSentIsAnAnomaly() {
        List<Attempt.Part> parts = List.of(part("c-a", "0", 1), part("c-b", "0", 1));
        sendMulti(1, parts, Attempt.UNKNOWN);
        storeMulti(1, List.of(parts.get(1), parts.get(0)));

        Checker.Verdict v = check(Checker.Allowed.SERVER_OUTAGE);

        assertTrue(
                v.anomalies().stream().anyMatch(a -> a.contains("one block of positions")),
                v.anomalies()::toString);
    }

    @Test
    void aGuardThatDidNotHoldIsAnAnomaly() {
        appendAndStore(1, "c-a", "0", 1);
        // guard: c-a at version 0, but it was at 1 when the append committed
        List<Attempt.Part> parts = List.of(part("c-a", "0", 0), part("c-b", "0", 1));
        sendMulti(2, parts, 201);
        storeMulti(2, parts);

        Checker.Verdict v = check(Checker.Allowed.CONTENTION);

        assertEquals(
                List.of(
                        "op 2 (1 events to POST /events [c-a (guard), c-b]) committed with its"
                                + " guard on c-a at version 0, but that stream's version 1 is"
                                + " stored before it: "
                                + describe(streams.get("c-a").get(0))),
                v.anomalies());
    }

    @Test
    void aMultiStreamAcknowledgementNamingOtherVersionsIsAnAnomaly() {
        List<Attempt.Part> parts = List.of(part("c-a", "0", 1), part("c-b", "0", 2));
        Attempt a = sendMulti(1, parts, 201);
        storeMulti(1, parts);
        history.set(
                history.indexOf(a),
                a.answered(201, a.body().replace("\"toVersion\":2", "\"toVersion\":3"), null));

        Checker.Verdict v = check(Checker.Allowed.CONTENTION);

        assertEquals(1, v.anomalyCount(), v.anomalies()::toString);
        assertTrue(v.anomalies().get(0).contains("but stored at"), v.anomalies()::toString);
    }

    @Test
    void aMultiStreamConflictThatIsNoConflictIsAnAnomaly() {
        appendAndStore(1, "c-a", "0", 1);
        List<Attempt.Part> parts = List.of(part("c-a", "1", 1), part("c-b", "0", 1));
        Attempt a = sendMulti(2, parts, 409);
        String noConflict =
                "{\"type\":\"urn:arbor:problem:wrong-expected-version\",\"status\":409,"
                        + "\"conflicts\":[{\"streamId\":\"c-a\",\"expectedVersion\":1,"
                        + "\"actualVersion\":1}]}";
        String none =
                "{\"type\":\"urn:arbor:problem:wrong-expected-version\",\"status\":409,"
                        + "\"conflicts\":[]}";
        history.set(history.indexOf(a), a.answered(409, noConflict, null));
        Checker.Verdict matching = check(Checker.Allowed.CONTENTION);
        history.set(
                history.indexOf(a.answered(409, noConflict, null)), a.answered(409, none, null));
        Checker.Verdict empty = check(Checker.Allowed.CONTENTION);

        assertEquals(1, matching.anomalyCount(), matching.anomalies()::toString);
        assertTrue(
                matching.anomalies().get(0).contains("conflict"), matching.anomalies()::toString);
        assertEquals(
                List.of(
                        "op 2 (2 events to POST /events [c-a, c-b]) got a 409"
                                + " wrong-expected-version naming no conflict: "
                                + none),
                empty.anomalies());
    }

    @Test
    void anAppendSentAfterAMultiStreamAcknowledgementGotLowerVersionsOnOneOfItsStreams() {
        List<Attempt.Part> parts = List.of(part("c-a", "any", 1), part("c-b", "any", 1));
        sendMulti(1, parts, 201);
        List<UUID> later = ids(1);
        send(2, "c-b", "any", later, 201);
        // stored the other way round on c-b: the later append at version 1, position 1
        store(2, "c-b", later);
        storeMulti(1, parts);

        Checker.Verdict v = check(Checker.Allowed.CONTENTION);

        assertTrue(
                v.anomalies().stream()
                        .anyMatch(a -> a.contains("was acknowledged on c-b, yet got version")),
                v.anomalies()::toString);
    }

    private static String describe(Ev e) {
        return e.eventId() + " (" + e.stream() + " v" + e.version() + " @" + e.position() + ")";
    }
}
