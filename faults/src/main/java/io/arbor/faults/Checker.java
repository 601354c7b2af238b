package io.arbor.faults;

import io.arbor.faults.StoreImage.Ev;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Checks a history against what the store holds afterwards, as Jepsen's checkers do: an append
 * whose outcome the client never learned (no answer, or a 5xx) is resolved by looking its event ids
 * up in the store. It proves:
 *
 * <ul>
 *   <li>every acknowledged event is stored exactly once, at the stream, versions and global
 *       positions its 201/200 named, with its own data;
 *   <li>every append is all or nothing: all its events, at consecutive versions and positions in
 *       the order sent, or none of them;
 *   <li>a multi-stream append ({@code POST /events}) likewise over all its streams: all its events
 *       in one block of consecutive positions in the order sent, on each stream at consecutive
 *       versions from its expected version + 1, where its acknowledgement put them; its guards held
 *       (the guarded stream was at the expected version when it committed); or nothing on any
 *       stream (half-written across streams is an anomaly); a 409 names only streams of the request
 *       whose actual version differs from the expected one;
 *   <li>nothing is stored that no request sent; an append answered 4xx stored nothing;
 *   <li>each stream's versions run 1..N without gaps, and grow with global positions;
 *   <li>the global log holds every stored event once, in increasing position order, and agrees with
 *       the stream reads (the hot cache may answer them) and with the events table read over JDBC;
 *   <li>an append acknowledged before another began has lower positions (and versions on the same
 *       stream);
 *   <li>a live reader following the log saw every event exactly once, in order, and each of its
 *       reads was answered 200 (or, during an outage, 503 with {@code Retry-After}) within a bound;
 *   <li>a live subscriber (the Java client's Server-Sent Events subscription, riding out every
 *       fault) delivered every event exactly once, in order, signalled caught-up once and never
 *       gave up; and after each fault cycle it had delivered every event acknowledged until then;
 *   <li>a consumer group over the category (two competing consumers, riding out every fault) acked
 *       every event of the log at least once (an ack whose answer was lost counts when the group's
 *       final checkpoint is past its event), acked nothing else, parked nothing, and after each
 *       fault cycle had acked every event acknowledged until then; duplicates are allowed and
 *       counted;
 *   <li>every answer was one the scenario allows (201/409, and 503 or no answer during outages),
 *       and every 503 carried {@code Retry-After};
 *   <li>after each database outage Arbor acknowledged an append again within the recovery bound (10
 *       s by default) of the database accepting connections, and its readiness was UP again; during
 *       a PostgreSQL stop it was DOWN at least once.
 * </ul>
 */
public final class Checker {
    private static final int MAX_DETAILS = 40;

    /**
     * The outcome.
     *
     * @param ackedOps appends acknowledged (201, or 200 to a retry)
     * @param ackedEvents events in them
     * @param lost acknowledged events not stored
     * @param duplicates event ids stored (or seen by the reader) more than once
     * @param indeterminateOps appends never acknowledged that had an attempt without a definite
     *     answer
     * @param resolvedCommitted those of them found in the store
     * @param resolvedAbsent those of them not in the store
     * @param halfWritten appends with some but not all events stored (for a multi-stream append:
     *     over all its streams)
     * @param multiStreamOps multi-stream appends ({@code POST /events}) acknowledged
     * @param multiStreamUnknown multi-stream appends never acknowledged whose outcome was unknown
     * @param storedEvents events of the category in the store
     * @param answers answers by status ({@code -1}: none)
     * @param readsChecked reads of the live reader checked
     * @param readAnswers their answers by status ({@code -1}: none, {@code -2}: still waiting)
     * @param slowReads reads that took longer than the bound
     * @param slowRecoveries fault cycles whose recovery took longer than the bound, or never came
     * @param subscriberEvents events the live subscriber delivered, -1 when none ran
     * @param subscriberReconnections connections the live subscriber lost and made again
     * @param groupAcked events the consumer group acked (answered 200), -1 when none ran
     * @param groupAckedTwice events it acked more than once
     * @param groupRedelivered deliveries with {@code deliveryAttempt} above 1
     * @param anomalyCount all anomalies found
     * @param anomalies the first few, described
     */
    public record Verdict(
            long ackedOps,
            long ackedEvents,
            long lost,
            long duplicates,
            long indeterminateOps,
            long resolvedCommitted,
            long resolvedAbsent,
            long halfWritten,
            long multiStreamOps,
            long multiStreamUnknown,
            long storedEvents,
            Map<Integer, Long> answers,
            long readsChecked,
            Map<Integer, Long> readAnswers,
            long slowReads,
            long slowRecoveries,
            long subscriberEvents,
            long subscriberReconnections,
            long groupAcked,
            long groupAckedTwice,
            long groupRedelivered,
            long anomalyCount,
            List<String> anomalies) {
        public boolean clean() {
            return anomalyCount == 0;
        }

        /**
         * This verdict with {@code more} anomalies found by a scenario's own checks (the {@code
         * scavenge} scenario's {@link ScavengeCheck}), counted and listed after these.
         */
        public Verdict plus(List<String> more) {
            if (more.isEmpty()) {
                return this;
            }
            List<String> all = new ArrayList<>(anomalies);
            more.stream().limit(Math.max(0, MAX_DETAILS - all.size())).forEach(all::add);
            return new Verdict(
                    ackedOps,
                    ackedEvents,
                    lost,
                    duplicates,
                    indeterminateOps,
                    resolvedCommitted,
                    resolvedAbsent,
                    halfWritten,
                    multiStreamOps,
                    multiStreamUnknown,
                    storedEvents,
                    answers,
                    readsChecked,
                    readAnswers,
                    slowReads,
                    slowRecoveries,
                    subscriberEvents,
                    subscriberReconnections,
                    groupAcked,
                    groupAckedTwice,
                    groupRedelivered,
                    anomalyCount + more.size(),
                    List.copyOf(all));
        }
    }

    /**
     * What a scenario may answer.
     *
     * @param statuses HTTP statuses allowed
     * @param noAnswerAllowed whether a request may get no answer at all (the server was killed)
     */
    public record Allowed(Set<Integer> statuses, boolean noAnswerAllowed, boolean serverStarting) {
        /** Contention without faults: a write wins or loses. */
        public static final Allowed CONTENTION = new Allowed(Set.of(201, 200, 409), false, false);

        /** Database outages: also 503, which must carry Retry-After. */
        public static final Allowed DATABASE_OUTAGE =
                new Allowed(Set.of(201, 200, 409, 503), false, false);

        /**
         * The server killed: also no answer while it is down, and Payara's own error pages (404,
         * 5xx) while it starts ({@link Attempt#isServerStartingPage}); the report counts them.
         */
        public static final Allowed SERVER_OUTAGE =
                new Allowed(Set.of(201, 200, 409, 503), true, true);
    }

    /** The default bound on one read of the live reader. */
    public static final long DEFAULT_READ_BOUND_NANOS = 15_000_000_000L;

    /**
     * What a scenario requires beyond the answers it allows.
     *
     * @param allowed the answers allowed, to appends and reads alike (reads are 200 or, when the
     *     scenario allows it, 503, no answer, Payara's starting page)
     * @param readBoundNanos longest one read of the live reader may take
     * @param recoveryBoundNanos longest a fault cycle's recovery may take (0: no bound)
     * @param readinessMustGoDown whether readiness must be seen DOWN during each sampled cycle's
     *     outage (a PostgreSQL stop; a backend termination may heal before a sample sees it)
     */
    public record Rules(
            Checker.Allowed allowed,
            long readBoundNanos,
            long recoveryBoundNanos,
            boolean readinessMustGoDown) {
        public static Rules of(Checker.Allowed allowed) {
            return new Rules(allowed, DEFAULT_READ_BOUND_NANOS, 0, false);
        }
    }

    /**
     * One fault cycle as the suite saw it.
     *
     * @param number 1 to the cycles run
     * @param recoverySeconds from the database accepting connections again (for a kill -9: from the
     *     restart command) to the first acknowledged append sent after it; NaN when none was
     *     acknowledged within the suite's wait
     * @param readinessSampled whether {@code /health/ready} was sampled during the cycle
     * @param readinessDown whether a sample sent during the outage was answered DOWN (503)
     * @param readinessUpAfter whether a sample sent after recovery was answered UP (200) within the
     *     recovery bound (plus one sample's timeout)
     */
    public record Cycle(
            int number,
            double recoverySeconds,
            boolean readinessSampled,
            boolean readinessDown,
            boolean readinessUpAfter) {}

    /**
     * What the live reader saw.
     *
     * @param seen the events it saw, in order (null: no reader ran)
     * @param caughtUp whether it read to the end of the log
     * @param reads every read it sent, with its answer
     */
    public record ReaderRun(
            List<LiveReader.Seen> seen, boolean caughtUp, List<LiveReader.Read> reads) {
        public ReaderRun {
            reads = reads == null ? List.of() : List.copyOf(reads);
        }
    }

    /**
     * What the live subscriber delivered.
     *
     * @param seen the events delivered, in order
     * @param reachedEnd whether it delivered up to the end of the log before it was closed
     * @param caughtUpSignals how many times it signalled caught-up (the client promises once)
     * @param failure why the subscription ended by itself, or null when it did not
     * @param reconnections connections it lost (a drop, a kill, a refusal) and made again
     * @param deliveries what it had delivered after each fault cycle
     */
    public record SubscriberRun(
            List<LiveReader.Seen> seen,
            boolean reachedEnd,
            int caughtUpSignals,
            String failure,
            long reconnections,
            List<Delivery> deliveries) {
        public SubscriberRun {
            seen = List.copyOf(seen);
            deliveries = List.copyOf(deliveries);
        }
    }

    /**
     * The live subscriber after one fault cycle: the suite took the events acknowledged so far and
     * waited (up to its bound) for the subscriber to deliver them.
     *
     * @param cycle the fault cycle
     * @param acknowledged every event acknowledged before the wait began
     * @param seenCount how many events the subscriber had delivered when the wait ended
     * @param seconds how long the wait took
     */
    public record Delivery(int cycle, List<UUID> acknowledged, int seenCount, double seconds) {
        public Delivery {
            acknowledged = List.copyOf(acknowledged);
        }
    }

    /**
     * What the consumer group did.
     *
     * @param group its name
     * @param acked the events it acked: an ack answered 200
     * @param maybeAcked events of an ack that got no answer or a 5xx (it may have committed)
     * @param ackedTwice events acked more than once
     * @param redelivered deliveries with {@code deliveryAttempt} above 1
     * @param checkpoint its checkpoint at the end (-1: not read)
     * @param parked its parked events at the end (-1: not read)
     * @param statuses its calls' answers by status ({@code -1}: none)
     * @param calls every call not answered 200
     * @param cycles how far it had got after each fault cycle
     */
    public record GroupRun(
            String group,
            Set<UUID> acked,
            Set<UUID> maybeAcked,
            long ackedTwice,
            long redelivered,
            long checkpoint,
            long parked,
            Map<Integer, Long> statuses,
            List<GroupConsumers.Call> calls,
            List<GroupCycle> cycles) {
        public GroupRun {
            acked = Set.copyOf(acked);
            maybeAcked = Set.copyOf(maybeAcked);
            statuses = Map.copyOf(statuses);
            calls = List.copyOf(calls);
            cycles = List.copyOf(cycles);
        }
    }

    /**
     * The consumer group after one fault cycle: the suite took the events acknowledged so far and
     * waited (up to its bound) for the group to ack them.
     *
     * @param cycle the fault cycle
     * @param acknowledged how many events had been acknowledged before the wait began
     * @param notAcked those of them the group had not acked when the wait ended
     * @param seconds how long the wait took
     */
    public record GroupCycle(int cycle, int acknowledged, List<UUID> notAcked, double seconds) {
        public GroupCycle {
            notAcked = List.copyOf(notAcked);
        }
    }

    private final List<String> details = new ArrayList<>();
    private long anomalyCount;

    private Checker() {}

    private void anomaly(String what) {
        anomalyCount++;
        if (details.size() < MAX_DETAILS) {
            details.add(what);
        }
    }

    /**
     * @param readerSeen what a live reader saw, or null when none ran
     * @param readerCaughtUp whether the reader read to the end of the log
     */
    public static Verdict check(
            List<Attempt> history,
            StoreImage image,
            List<LiveReader.Seen> readerSeen,
            boolean readerCaughtUp,
            Allowed allowed) {
        return check(
                history,
                image,
                new ReaderRun(readerSeen, readerCaughtUp, List.of()),
                Rules.of(allowed));
    }

    public static Verdict check(
            List<Attempt> history, StoreImage image, ReaderRun reader, Rules rules) {
        return check(history, image, reader, List.of(), rules);
    }

    /**
     * @param cycles the fault cycles run, with their recovery and readiness
     */
    public static Verdict check(
            List<Attempt> history,
            StoreImage image,
            ReaderRun reader,
            List<Cycle> cycles,
            Rules rules) {
        return check(history, image, reader, null, cycles, rules);
    }

    /**
     * @param subscriber what the live subscriber delivered, or null when none ran
     */
    public static Verdict check(
            List<Attempt> history,
            StoreImage image,
            ReaderRun reader,
            SubscriberRun subscriber,
            List<Cycle> cycles,
            Rules rules) {
        return check(history, image, reader, subscriber, null, cycles, rules);
    }

    /**
     * @param group what the consumer group did, or null when none ran
     */
    public static Verdict check(
            List<Attempt> history,
            StoreImage image,
            ReaderRun reader,
            SubscriberRun subscriber,
            GroupRun group,
            List<Cycle> cycles,
            Rules rules) {
        return new Checker().run(history, image, reader, subscriber, group, cycles, rules);
    }

    private Verdict run(
            List<Attempt> history,
            StoreImage image,
            ReaderRun reader,
            SubscriberRun subscriber,
            GroupRun group,
            List<Cycle> cycles,
            Rules rules) {
        Allowed allowed = rules.allowed();
        List<LiveReader.Seen> readerSeen = reader.seen();
        boolean readerCaughtUp = reader.caughtUp();
        long duplicates = 0;

        // Streams: versions 1..N, positions growing with versions, each id once.
        Map<UUID, Ev> stored = new HashMap<>();
        for (Map.Entry<String, List<Ev>> s : image.streams().entrySet()) {
            List<Ev> evs = s.getValue();
            boolean gapReported = false;
            for (int k = 0; k < evs.size(); k++) {
                Ev e = evs.get(k);
                if (!e.stream().equals(s.getKey())) {
                    anomaly("stream " + s.getKey() + " returned an event of stream " + e.stream());
                }
                if (e.version() != k + 1 && !gapReported) {
                    gapReported = true;
                    anomaly(
                            "stream "
                                    + s.getKey()
                                    + ": versions not 1..N without gaps: expected "
                                    + (k + 1)
                                    + ", found "
                                    + e.version());
                }
                if (k > 0 && e.position() <= evs.get(k - 1).position()) {
                    anomaly(
                            "stream "
                                    + s.getKey()
                                    + ": version "
                                    + e.version()
                                    + " has position "
                                    + e.position()
                                    + ", not above the previous version's "
                                    + evs.get(k - 1).position());
                }
                if (stored.put(e.eventId(), e) != null) {
                    duplicates++;
                    anomaly("event " + e.eventId() + " stored twice (stream reads)");
                }
            }
        }

        // The global log: increasing positions, each id once, the same events as the streams.
        Map<UUID, Ev> logged = new HashMap<>();
        long previous = 0;
        for (Ev e : image.globalLog()) {
            if (e.position() <= previous) {
                anomaly("global log: position " + e.position() + " after " + previous);
            }
            previous = e.position();
            if (logged.put(e.eventId(), e) != null) {
                duplicates++;
                anomaly("event " + e.eventId() + " twice in the global log");
            }
        }
        for (Ev e : stored.values()) {
            Ev l = logged.get(e.eventId());
            if (l == null) {
                anomaly("event " + describe(e) + " is in its stream but not in the global log");
            } else if (!l.equals(e)) {
                anomaly("event " + describe(e) + " appears in the global log as " + describe(l));
            }
        }
        for (Ev l : logged.values()) {
            if (!stored.containsKey(l.eventId())) {
                if (image.streams().containsKey(l.stream())) {
                    anomaly("event " + describe(l) + " is in the global log but not in its stream");
                }
                stored.put(l.eventId(), l);
            }
        }

        // The events table, read directly.
        if (image.rows() != null) {
            Map<UUID, Ev> rows = new HashMap<>();
            for (Ev r : image.rows()) {
                if (rows.put(r.eventId(), r) != null) {
                    duplicates++;
                    anomaly("event " + r.eventId() + " has two rows in the events table");
                }
            }
            if (!rows.equals(logged)) {
                long onlyRows = rows.keySet().stream().filter(k -> !logged.containsKey(k)).count();
                long onlyLog = logged.keySet().stream().filter(k -> !rows.containsKey(k)).count();
                anomaly(
                        "the events table and the REST reads disagree: "
                                + onlyRows
                                + " rows not served, "
                                + onlyLog
                                + " served events without a row, others differ in place");
                for (Ev r : rows.values()) {
                    stored.putIfAbsent(r.eventId(), r);
                }
            }
        }

        // The appends, grouped by op (a retry is a second attempt of the same op).
        Map<Long, List<Attempt>> ops = new LinkedHashMap<>();
        Map<Integer, Long> answers = new TreeMap<>();
        for (Attempt a : history) {
            ops.computeIfAbsent(a.opId(), k -> new ArrayList<>()).add(a);
            answers.merge(a.status(), 1L, Long::sum);
            if (a.status() == Attempt.UNKNOWN) {
                if (!allowed.noAnswerAllowed()) {
                    anomaly("request " + a.id() + " got no answer: " + a.body());
                }
            } else if (!allowed.statuses().contains(a.status())
                    && !startingPage(allowed, a.status(), a.body())) {
                anomaly(
                        "request "
                                + a.id()
                                + " to "
                                + a.target()
                                + " answered "
                                + a.status()
                                + ": "
                                + abbreviate(a.body()));
            } else if (a.status() == 503
                    && a.retryAfter() == null
                    && !serverPage(allowed, a.status(), a.body())) {
                anomaly(
                        "request "
                                + a.id()
                                + " to "
                                + a.target()
                                + " answered 503 without Retry-After: "
                                + abbreviate(a.body()));
            }
        }
        Set<UUID> sent = new HashSet<>();
        long ackedOps = 0;
        long ackedEvents = 0;
        long lost = 0;
        long indeterminate = 0;
        long resolvedCommitted = 0;
        long resolvedAbsent = 0;
        long halfWritten = 0;
        long multiStreamOps = 0;
        long multiStreamUnknown = 0;
        List<Acked> acked = new ArrayList<>();
        for (List<Attempt> attempts : ops.values()) {
            attempts.sort(Comparator.comparingLong(Attempt::startNanos));
            Attempt first = attempts.get(0);
            List<UUID> ids = first.eventIds();
            sent.addAll(ids);
            int n = ids.size();
            List<Ev> found = new ArrayList<>(n);
            for (UUID id : ids) {
                found.add(stored.get(id));
            }
            long present = found.stream().filter(Objects::nonNull).count();
            boolean committed = present == n;
            String op = "op " + first.opId() + " (" + n + " events to " + first.target() + ")";
            if (present > 0 && present < n) {
                halfWritten++;
                anomaly(
                        op
                                + " is half-written: "
                                + present
                                + " of "
                                + n
                                + " events stored"
                                + (first.multiStream() ? " " + perPart(first, found) : ""));
            }
            if (committed) {
                checkShape(op, first, found, image.streams());
            }
            if (first.status() == 200) {
                anomaly(op + " answered 200 (already stored) to its first attempt");
            }
            for (Attempt a : attempts) {
                checkConflict(op, a, a == first);
            }
            boolean anyAck = false;
            boolean anyIndeterminate = false;
            Attempt firstAck = null;
            for (Attempt a : attempts) {
                if (a.indeterminate()) {
                    anyIndeterminate = true;
                }
                if (!a.acknowledged()) {
                    continue;
                }
                anyAck = true;
                if (firstAck == null || a.endNanos() < firstAck.endNanos()) {
                    firstAck = a;
                }
                JsonObject body = Load.object(a.body());
                if (!committed) {
                    lost += n - present;
                    anomaly(
                            "LOST: "
                                    + op
                                    + " acknowledged "
                                    + a.status()
                                    + " "
                                    + a.body()
                                    + " but "
                                    + (n - present)
                                    + " of its events are not stored");
                } else if (body == null || !matches(body, first, found)) {
                    anomaly(
                            op
                                    + " acknowledged "
                                    + a.body()
                                    + " but stored at versions "
                                    + found.get(0).version()
                                    + ".."
                                    + found.get(n - 1).version()
                                    + ", positions "
                                    + found.get(0).position()
                                    + ".."
                                    + found.get(n - 1).position());
                }
            }
            if (anyAck) {
                ackedOps++;
                multiStreamOps += first.multiStream() ? 1 : 0;
                ackedEvents += n;
                if (committed) {
                    acked.add(
                            new Acked(
                                    first,
                                    firstAck,
                                    found.get(0),
                                    found.get(n - 1),
                                    spans(first, found)));
                }
            } else if (anyIndeterminate) {
                indeterminate++;
                multiStreamUnknown += first.multiStream() ? 1 : 0;
                if (committed) {
                    resolvedCommitted++;
                } else if (present == 0) {
                    resolvedAbsent++;
                }
            } else if (present > 0) {
                anomaly(
                        op
                                + " was answered "
                                + attempts.stream().map(a -> "" + a.status()).toList()
                                + " yet its events were written");
            }
        }
        for (Ev e : stored.values()) {
            if (!sent.contains(e.eventId())) {
                anomaly("event " + describe(e) + " was never sent by any request");
            }
        }

        checkRealTimeOrder(acked);

        // The live reader, and the live subscriber: the same promise, over paging and over SSE.
        if (readerSeen != null) {
            duplicates += checkFollower("reader", readerSeen, readerCaughtUp, logged, image);
        }
        if (subscriber != null) {
            duplicates +=
                    checkFollower(
                            "subscriber",
                            subscriber.seen(),
                            subscriber.reachedEnd(),
                            logged,
                            image);
            checkSubscriber(subscriber);
        }
        if (group != null) {
            checkGroup(group, logged, image, allowed);
        }

        // The live reader's reads: answered as the scenario allows, none hung.
        Map<Integer, Long> readAnswers = new TreeMap<>();
        long slowReads = 0;
        for (LiveReader.Read r : reader.reads()) {
            readAnswers.merge(r.status(), 1L, Long::sum);
            String read = "read of the global log after position " + r.after();
            if (r.status() == 200 || r.status() == LiveReader.Read.PENDING) {
                // a pending read is judged by its wait alone, below
            } else if (r.status() == Attempt.UNKNOWN) {
                if (!allowed.noAnswerAllowed()) {
                    anomaly(read + " got no answer: " + abbreviate(r.body()));
                }
            } else if (r.status() == 503 && allowed.statuses().contains(503)) {
                if (r.retryAfter() == null && !serverPage(allowed, r.status(), r.body())) {
                    anomaly(read + " answered 503 without Retry-After: " + abbreviate(r.body()));
                }
            } else if (!startingPage(allowed, r.status(), r.body())) {
                anomaly(read + " answered " + r.status() + ": " + abbreviate(r.body()));
            }
            // Payara holds a request that arrives while it restarts until it can answer, then
            // answers with its own page, or the request times out unanswered: where the scenario
            // kills the server, that wait is the restart's (measured as recovery), not a read
            // hung in Arbor, which is what the bound is for. A read hung in Arbor still counts:
            // it answers late with Arbor's own answer, or stays pending.
            boolean neverReachedArbor =
                    startingPage(allowed, r.status(), r.body())
                            || (r.status() == Attempt.UNKNOWN
                                    && allowed.noAnswerAllowed()
                                    && allowed.serverStarting());
            if (r.nanos() > rules.readBoundNanos() && !neverReachedArbor) {
                slowReads++;
                anomaly(
                        String.format(
                                Locale.ROOT,
                                "%s %s after %.1f s, over the bound of %.0f s",
                                read,
                                switch (r.status()) {
                                    case LiveReader.Read.PENDING -> "still unanswered";
                                    case Attempt.UNKNOWN -> "failed without an answer";
                                    default -> "answered " + r.status();
                                },
                                r.nanos() / 1e9,
                                rules.readBoundNanos() / 1e9));
            }
        }

        // Recovery and readiness, cycle by cycle.
        long slowRecoveries = 0;
        for (Cycle c : cycles) {
            String cycle = "cycle " + c.number();
            if (Double.isNaN(c.recoverySeconds())) {
                slowRecoveries++;
                anomaly(cycle + ": no append was acknowledged again (the suite stopped waiting)");
            } else if (rules.recoveryBoundNanos() > 0
                    && c.recoverySeconds() * 1e9 > rules.recoveryBoundNanos()) {
                slowRecoveries++;
                anomaly(
                        String.format(
                                Locale.ROOT,
                                "%s: recovered in %.1f s, over the bound of %.0f s from the"
                                        + " database accepting connections again",
                                cycle,
                                c.recoverySeconds(),
                                rules.recoveryBoundNanos() / 1e9));
            }
            if (c.readinessSampled()) {
                if (rules.readinessMustGoDown() && !c.readinessDown()) {
                    anomaly(cycle + ": readiness was never DOWN while PostgreSQL was stopped");
                }
                if (!c.readinessUpAfter()) {
                    anomaly(cycle + ": readiness was not UP again after recovery");
                }
            }
        }

        return new Verdict(
                ackedOps,
                ackedEvents,
                lost,
                duplicates,
                indeterminate,
                resolvedCommitted,
                resolvedAbsent,
                halfWritten,
                multiStreamOps,
                multiStreamUnknown,
                stored.size(),
                answers,
                reader.reads().size(),
                readAnswers,
                slowReads,
                slowRecoveries,
                subscriber == null ? -1 : subscriber.seen().size(),
                subscriber == null ? 0 : subscriber.reconnections(),
                group == null ? -1 : group.acked().size(),
                group == null ? 0 : group.ackedTwice(),
                group == null ? 0 : group.redelivered(),
                anomalyCount,
                List.copyOf(details));
    }

    /**
     * A follower of the category's log ({@code who}: the paging reader or the SSE subscriber) saw
     * every event of the log exactly once, in increasing position, at the position the log has it.
     * Returns the events it saw twice.
     */
    private long checkFollower(
            String who,
            List<LiveReader.Seen> followed,
            boolean reachedEnd,
            Map<UUID, Ev> logged,
            StoreImage image) {
        long duplicates = 0;
        Set<UUID> seen = new HashSet<>();
        long last = 0;
        for (LiveReader.Seen s : followed) {
            if (s.position() <= last) {
                anomaly(who + " saw position " + s.position() + " after " + last);
            }
            last = s.position();
            if (!seen.add(s.eventId())) {
                duplicates++;
                anomaly(who + " saw event " + s.eventId() + " twice");
            }
            Ev l = logged.get(s.eventId());
            if (l == null || l.position() != s.position()) {
                anomaly(
                        who
                                + " saw event "
                                + s.eventId()
                                + " at position "
                                + s.position()
                                + ", the log has "
                                + (l == null ? "no such event" : describe(l)));
            }
        }
        if (!reachedEnd) {
            anomaly("the live " + who + " did not reach the end of the log");
        } else {
            List<Ev> skipped =
                    image.globalLog().stream().filter(e -> !seen.contains(e.eventId())).toList();
            if (!skipped.isEmpty()) {
                anomaly(
                        "the live "
                                + who
                                + " skipped "
                                + skipped.size()
                                + " events, first "
                                + describe(skipped.get(0)));
            }
        }
        return duplicates;
    }

    /**
     * The subscription itself: it never gave up, said caught-up exactly once, and after each fault
     * cycle had delivered every event acknowledged before it, within the suite's wait.
     */
    private void checkSubscriber(SubscriberRun subscriber) {
        if (subscriber.failure() != null) {
            anomaly("the live subscription ended by itself: " + abbreviate(subscriber.failure()));
        }
        if (subscriber.caughtUpSignals() != 1) {
            anomaly(
                    "the live subscriber signalled caught-up "
                            + subscriber.caughtUpSignals()
                            + " times, not once");
        }
        for (Delivery d : subscriber.deliveries()) {
            Set<UUID> delivered = new HashSet<>();
            for (LiveReader.Seen s :
                    subscriber
                            .seen()
                            .subList(0, Math.min(d.seenCount(), subscriber.seen().size()))) {
                delivered.add(s.eventId());
            }
            List<UUID> missing =
                    d.acknowledged().stream().filter(id -> !delivered.contains(id)).toList();
            if (!missing.isEmpty()) {
                anomaly(
                        String.format(
                                Locale.ROOT,
                                "cycle %d: %.1f s after recovery the live subscriber had not"
                                        + " delivered %d of the %d events acknowledged so far,"
                                        + " first %s",
                                d.cycle(),
                                d.seconds(),
                                missing.size(),
                                d.acknowledged().size(),
                                missing.get(0)));
            }
        }
    }

    /**
     * The consumer group: at least once over the whole log (every event it holds acked, or in an
     * ack whose answer was lost while the group's final checkpoint is past it), nothing acked that
     * the log does not hold, nothing parked, every cycle's acknowledged events acked within the
     * wait, and every call answered as the scenario allows (plus a 409 lease-not-held to an ack
     * whose lease expired and was taken back).
     */
    private void checkGroup(
            GroupRun group, Map<UUID, Ev> logged, StoreImage image, Allowed allowed) {
        String who = "consumer group " + group.group();
        List<Ev> missing = new ArrayList<>();
        for (Ev e : image.globalLog()) {
            boolean resolved =
                    group.maybeAcked().contains(e.eventId()) && group.checkpoint() >= e.position();
            if (!group.acked().contains(e.eventId()) && !resolved) {
                missing.add(e);
            }
        }
        if (!missing.isEmpty()) {
            anomaly(
                    who
                            + " never acked "
                            + missing.size()
                            + " events of the log (checkpoint "
                            + group.checkpoint()
                            + "), first "
                            + describe(missing.get(0)));
        }
        for (UUID id : group.acked()) {
            if (!logged.containsKey(id)) {
                anomaly(who + " acked event " + id + ", which the log does not hold");
            }
        }
        if (group.parked() != 0) {
            anomaly(
                    who
                            + (group.parked() < 0
                                    ? ": its status could not be read at the end"
                                    : " parked " + group.parked() + " events, none nacked"));
        }
        for (GroupCycle c : group.cycles()) {
            if (!c.notAcked().isEmpty()) {
                anomaly(
                        String.format(
                                Locale.ROOT,
                                "cycle %d: %.1f s after recovery %s had not acked %d of the %d"
                                        + " events acknowledged so far, first %s",
                                c.cycle(),
                                c.seconds(),
                                who,
                                c.notAcked().size(),
                                c.acknowledged(),
                                c.notAcked().get(0)));
            }
        }
        for (GroupConsumers.Call c : group.calls()) {
            String call = who + " " + c.call();
            if (c.status() == Attempt.UNKNOWN) {
                if (!allowed.noAnswerAllowed()) {
                    anomaly(call + " got no answer: " + abbreviate(c.body()));
                }
            } else if (c.status() == 409
                    && c.call().equals("ack")
                    && c.body().contains("\"urn:arbor:problem:lease-not-held\"")) {
                // the lease expired while the server or database was away, and went to another
            } else if (c.status() == 503 && allowed.statuses().contains(503)) {
                if (c.retryAfter() == null && !serverPage(allowed, c.status(), c.body())) {
                    anomaly(call + " answered 503 without Retry-After: " + abbreviate(c.body()));
                }
            } else if (!startingPage(allowed, c.status(), c.body())) {
                anomaly(call + " answered " + c.status() + ": " + abbreviate(c.body()));
            }
        }
    }

    /**
     * A committed append: one block of consecutive positions holding its events in the order sent;
     * on each stream consecutive versions from the expected one + 1; its data. A multi-stream
     * append's guard held: its stream was at the expected version when the append committed.
     */
    private void checkShape(
            String op, Attempt first, List<Ev> found, Map<String, List<Ev>> streams) {
        Ev head = found.get(0);
        Ev tail = found.get(found.size() - 1);
        int i = 0;
        for (Attempt.Part p : first.parts()) {
            String on = first.multiStream() ? " on " + p.stream() : "";
            if (p.guard()) {
                checkGuard(op, p, head, tail, streams);
                continue;
            }
            Ev partHead = found.get(i);
            for (int j = 0; j < p.eventIds().size(); j++, i++) {
                Ev e = found.get(i);
                if (!e.stream().equals(p.stream())
                        || e.version() != partHead.version() + j
                        || e.position() != head.position() + i
                        || e.op() != first.opId()
                        || e.index() != i) {
                    anomaly(
                            op
                                    + ": event "
                                    + i
                                    + " stored as "
                                    + describe(e)
                                    + ", not in order after "
                                    + describe(head)
                                    + (first.multiStream()
                                            ? " (one block of positions, in the order sent)"
                                            : ""));
                    return;
                }
            }
            if (!"any".equals(p.expected())) {
                long expected = Long.parseLong(p.expected());
                if (partHead.version() != expected + 1) {
                    anomaly(
                            op
                                    + " expected version "
                                    + expected
                                    + on
                                    + " but was stored from version "
                                    + partHead.version());
                }
            }
        }
    }

    /**
     * A guard of a committed multi-stream append: its stream held exactly the expected version v
     * when the append committed, so version v is stored before the append's positions and v + 1, if
     * any, after them.
     */
    private void checkGuard(
            String op, Attempt.Part guard, Ev head, Ev tail, Map<String, List<Ev>> streams) {
        List<Ev> stream = streams.get(guard.stream());
        if (stream == null || "any".equals(guard.expected())) {
            return; // not read back, or a guard that requires nothing
        }
        long v = Long.parseLong(guard.expected());
        Ev at = null;
        Ev next = null;
        for (Ev e : stream) {
            if (e.version() == v) {
                at = e;
            } else if (e.version() == v + 1) {
                next = e;
            }
        }
        boolean held =
                (v == 0 || (at != null && at.position() < head.position()))
                        && (next == null || next.position() > tail.position());
        if (!held) {
            anomaly(
                    op
                            + " committed with its guard on "
                            + guard.stream()
                            + " at version "
                            + v
                            + ", but that stream's version "
                            + (v == 0 || (at != null && at.position() < head.position())
                                    ? (v + 1) + " is stored before it: " + describe(next)
                                    : v
                                            + " is "
                                            + (at == null
                                                    ? "not stored"
                                                    : "stored after it: " + describe(at))));
        }
    }

    /** How many of each part's events are stored: {@code (a: 2 of 2, b: 0 of 3)}. */
    private static String perPart(Attempt first, List<Ev> found) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        for (Attempt.Part p : first.parts()) {
            int n = p.eventIds().size();
            long stored = found.subList(i, i + n).stream().filter(Objects::nonNull).count();
            i += n;
            if (!p.guard()) {
                parts.add(p.stream() + ": " + stored + " of " + n);
            }
        }
        return "(" + String.join(", ", parts) + ")";
    }

    /**
     * A 409 is either a lost race (wrong expected version: the body names an actual version other
     * than the expected one) or a reuse of stored event ids, which only a retry may cause: every op
     * sends fresh ids.
     */
    private void checkConflict(String op, Attempt a, boolean firstAttempt) {
        if (a.status() != 409) {
            return;
        }
        JsonObject body = Load.object(a.body());
        String type = body == null ? "" : body.getString("type", "");
        if (type.equals("urn:arbor:problem:wrong-expected-version") && a.multiStream()) {
            checkConflicts(op, a, body);
        } else if (type.equals("urn:arbor:problem:wrong-expected-version")) {
            JsonNumber actual = body.get("actualVersion") instanceof JsonNumber n ? n : null;
            if ("any".equals(a.parts().get(0).expected())
                    || actual == null
                    || Long.toString(actual.longValue()).equals(a.parts().get(0).expected())) {
                anomaly(
                        op
                                + " got a 409 whose actual version matches what it expected: "
                                + a.body());
            }
        } else if (!type.equals("urn:arbor:problem:duplicate-event-id") || firstAttempt) {
            anomaly(op + " got an unexpected 409: " + a.body());
        }
    }

    /**
     * A multi-stream append's 409 {@code wrong-expected-version} lists every stream that failed: at
     * least one, each a part of the request with an exact expected version, named with that version
     * and an actual version other than it.
     */
    private void checkConflicts(String op, Attempt a, JsonObject body) {
        if (!(body.get("conflicts") instanceof JsonArray conflicts) || conflicts.isEmpty()) {
            anomaly(op + " got a 409 wrong-expected-version naming no conflict: " + a.body());
            return;
        }
        for (JsonValue c : conflicts) {
            Attempt.Part part = null;
            Long expected = null;
            Long actual = null;
            if (c instanceof JsonObject conflict) {
                String stream = conflict.getString("streamId", null);
                part =
                        a.parts().stream()
                                .filter(p -> p.stream().equals(stream))
                                .findFirst()
                                .orElse(null);
                expected =
                        conflict.get("expectedVersion") instanceof JsonNumber n
                                ? n.longValue()
                                : null;
                actual =
                        conflict.get("actualVersion") instanceof JsonNumber n
                                ? n.longValue()
                                : null;
            }
            if (part == null
                    || "any".equals(part.expected())
                    || expected == null
                    || expected != Long.parseLong(part.expected())
                    || actual == null
                    || actual.equals(expected)) {
                anomaly(
                        op
                                + " got a 409 whose conflict "
                                + c
                                + " is not a stream of the request whose actual version differs"
                                + " from the one it expected: "
                                + a.body());
            }
        }
    }

    /** An acknowledgement names where the events are: the versions and positions found. */
    private static boolean matches(JsonObject body, Attempt first, List<Ev> found) {
        try {
            if (body.getJsonNumber("fromPosition").longValue() != found.get(0).position()
                    || body.getJsonNumber("toPosition").longValue()
                            != found.get(found.size() - 1).position()) {
                return false;
            }
            if (!first.multiStream()) {
                return first.parts().get(0).stream().equals(body.getString("streamId"))
                        && body.getJsonNumber("fromVersion").longValue() == found.get(0).version()
                        && body.getJsonNumber("toVersion").longValue()
                                == found.get(found.size() - 1).version();
            }
            // POST /events: one entry per stream with events, with the versions stored there
            Map<String, JsonObject> entries = new HashMap<>();
            for (JsonValue v : body.getJsonArray("streams")) {
                JsonObject entry = v.asJsonObject();
                entries.put(entry.getString("streamId"), entry);
            }
            for (Span span : spans(first, found)) {
                JsonObject entry = entries.get(span.stream());
                if (entry == null
                        || entry.getJsonNumber("fromVersion").longValue() != span.from()
                        || entry.getJsonNumber("toVersion").longValue() != span.to()) {
                    return false;
                }
            }
            return first.parts().stream()
                    .map(Attempt.Part::stream)
                    .collect(Collectors.toSet())
                    .containsAll(entries.keySet());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The versions a committed append's events took on one stream. */
    private record Span(String stream, long from, long to) {}

    /** Each part with events of a committed append, with the versions its events took. */
    private static List<Span> spans(Attempt first, List<Ev> found) {
        List<Span> spans = new ArrayList<>();
        int i = 0;
        for (Attempt.Part p : first.parts()) {
            int n = p.eventIds().size();
            if (n > 0) {
                spans.add(
                        new Span(
                                p.stream(),
                                found.get(i).version(),
                                found.get(i + n - 1).version()));
            }
            i += n;
        }
        return spans;
    }

    /**
     * An acknowledged, stored append: it committed between its first start and first ack, at
     * positions head..tail and, on each of its streams, the versions of its span there.
     */
    private record Acked(Attempt first, Attempt ack, Ev head, Ev tail, List<Span> spans) {
        long start() {
            return first.startNanos();
        }

        long end() {
            return ack.endNanos();
        }
    }

    /**
     * If A was acknowledged before B was first sent, A committed before B: A's positions must be
     * lower, and on each stream they share A's versions too.
     */
    private void checkRealTimeOrder(List<Acked> acked) {
        List<Acked> byEnd = new ArrayList<>(acked);
        byEnd.sort(Comparator.comparingLong(Acked::end));
        List<Acked> byStart = new ArrayList<>(acked);
        byStart.sort(Comparator.comparingLong(Acked::start));
        Acked maxDone = null;
        Map<String, Acked> maxDoneOnStream = new HashMap<>();
        Map<String, Long> maxVersionOnStream = new HashMap<>();
        int j = 0;
        for (Acked b : byStart) {
            while (j < byEnd.size() && byEnd.get(j).end() < b.start()) {
                Acked a = byEnd.get(j++);
                if (maxDone == null || a.tail().position() > maxDone.tail().position()) {
                    maxDone = a;
                }
                for (Span s : a.spans()) {
                    if (s.to() > maxVersionOnStream.getOrDefault(s.stream(), 0L)) {
                        maxVersionOnStream.put(s.stream(), s.to());
                        maxDoneOnStream.put(s.stream(), a);
                    }
                }
            }
            if (maxDone != null && maxDone.tail().position() >= b.head().position()) {
                anomaly(
                        "op "
                                + b.first().opId()
                                + " was sent after op "
                                + maxDone.first().opId()
                                + " was acknowledged, yet got position "
                                + b.head().position()
                                + " <= "
                                + maxDone.tail().position());
            }
            for (Span span : b.spans()) {
                Acked s = maxDoneOnStream.get(span.stream());
                long done = maxVersionOnStream.getOrDefault(span.stream(), 0L);
                if (s != null && done >= span.from()) {
                    anomaly(
                            "op "
                                    + b.first().opId()
                                    + " was sent after op "
                                    + s.first().opId()
                                    + " was acknowledged on "
                                    + span.stream()
                                    + ", yet got version "
                                    + span.from()
                                    + " <= "
                                    + done);
                }
            }
        }
    }

    /**
     * While Payara starts after a kill, its own 503 page (not Arbor's problem+json) may answer
     * before the application is loaded: Arbor never saw the request, so its Retry-After rule does
     * not apply.
     */
    private static boolean serverPage(Allowed allowed, int status, String body) {
        return allowed.serverStarting() && Attempt.isServerPage(status, body);
    }

    /**
     * While Payara starts after a kill, its own 404 or 5xx page answers a request that never
     * reached Arbor ({@link Attempt#isServerStartingPage}): allowed whatever the scenario's
     * statuses.
     */
    private static boolean startingPage(Allowed allowed, int status, String body) {
        return allowed.serverStarting() && Attempt.isServerStartingPage(status, body);
    }

    private static String describe(Ev e) {
        return e.eventId() + " (" + e.stream() + " v" + e.version() + " @" + e.position() + ")";
    }

    /**
     * A body short enough for the report. A server's own error page (HTML, which the client wraps
     * in a problem's detail) is cut to its text, so the exception it names is in the report.
     */
    static String abbreviate(String s) {
        if (s == null) {
            return null;
        }
        int html = s.indexOf("<html");
        int end = s.lastIndexOf("</html>");
        String text =
                html < 0
                        ? s
                        : "server page: "
                                + s.substring(html, end < html ? s.length() : end)
                                        .replace("\\n", " ")
                                        .replace("\\\"", "\"")
                                        .replaceAll("(?s)<(style|script)[^>]*>.*?</\\1>", " ")
                                        .replaceAll("<[^>]*>", " ")
                                        .replaceAll("\\s+", " ")
                                        .trim();
        int max = html < 0 ? 300 : 800;
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
