package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Consumer groups on the real server (issue 15, "Tests"; docs/consumer-groups.md): at least once
 * and never lost under consumer crashes, with a checkpoint that never passes an event not acked;
 * per-stream order under {@code pinned} while consumers join and leave; redelivery after an ack
 * timeout, parking after {@code maxRetries}, replay of parked events before new ones, resets; bad
 * input refused with nothing changed. Consumers talk raw HTTP ({@link Groups}). Each test has its
 * own category, and its groups filter on it, so no test sees another's events.
 */
class ConsumerGroupIT extends ArborIT {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /**
     * Slack for comparing a lease's deadline (PostgreSQL's clock) with the test's {@code
     * System.nanoTime()}: both on this machine.
     */
    private static final long CLOCK_SLACK = TimeUnit.MILLISECONDS.toNanos(100);

    private final Groups groups = new Groups(arbor);

    // ------------------------------------------------------------- at least once --

    /** One delivery of an event to a consumer, and what the consumer did with it. */
    private static final class Handling {
        final String consumer;
        final int attempt;
        final long fetchSent;
        final long received;
        volatile String outcome = "handling"; // acked, abandoned (crash), refused (409)

        Handling(String consumer, int attempt, long fetchSent, long received) {
            this.consumer = consumer;
            this.attempt = attempt;
            this.fetchSent = fetchSent;
            this.received = received;
        }

        @Override
        public String toString() {
            return consumer + "#" + attempt + " " + outcome;
        }
    }

    /** A read of the group's checkpoint, and when the answer arrived. */
    private record Sample(long checkpoint, long received) {}

    private static final int AT_LEAST_ONCE_STREAMS = 50;
    private static final int AT_LEAST_ONCE_EVENTS = 10_000;
    private static final int AT_LEAST_ONCE_ACK_TIMEOUT = 2;

    /**
     * Three consumers take 10,000 events of 50 streams from one round-robin group while half of
     * them are still being appended. Now and then a consumer crashes: it drops its connection with
     * a fetch's answer unread, or handles part of a batch and abandons the rest of its leases; a
     * fresh consumer (a new name) takes its place. Every event must be acked; an event is delivered
     * again only after a delivery that was not acked, and only once that delivery's lease has
     * expired (2 s), with a higher {@code deliveryAttempt}; a successful ack is final. The
     * checkpoint, sampled throughout, never moves back and never passes an event whose ack had not
     * been sent when its answer arrived.
     */
    @Test
    void everyEventIsAckedAtLeastOnceThroughConsumerCrashesAndTheCheckpointNeverPassesAnUnackedOne()
            throws Exception {
        String category = Arbor.newCategory();
        String group = Groups.newGroup();
        groups.create(
                group,
                "{\"filter\":{\"category\":\""
                        + category
                        + "\"},\"ackTimeoutSeconds\":"
                        + AT_LEAST_ONCE_ACK_TIMEOUT
                        + ",\"maxRetries\":1000}");
        List<String> streams = new ArrayList<>();
        for (int i = 0; i < AT_LEAST_ONCE_STREAMS; i++) {
            streams.add(category + "-" + i);
        }
        int perAppend = AT_LEAST_ONCE_EVENTS / AT_LEAST_ONCE_STREAMS / 2;
        Set<String> appended = ConcurrentHashMap.newKeySet();
        for (String stream : streams) {
            appended.addAll(append(stream, perAppend));
        }

        Map<String, List<Handling>> deliveries = new ConcurrentHashMap<>();
        Map<String, Long> positions = new ConcurrentHashMap<>();
        Map<String, Long> ackSent = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> anomalies = new ConcurrentLinkedQueue<>();
        AtomicInteger dropped = new AtomicInteger();
        AtomicInteger crashed = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<?>> work = new ArrayList<>();
            work.add(
                    pool.submit(
                            () -> {
                                for (String stream : streams) {
                                    appended.addAll(append(stream, perAppend));
                                }
                                return null;
                            }));
            for (int c = 0; c < 3; c++) {
                int number = c;
                work.add(
                        pool.submit(
                                () -> {
                                    new CrashingConsumer(
                                                    group,
                                                    number,
                                                    done,
                                                    deliveries,
                                                    positions,
                                                    ackSent,
                                                    anomalies,
                                                    dropped,
                                                    crashed)
                                            .run();
                                    return null;
                                }));
            }
            Future<?> sampler =
                    pool.submit(
                            () -> {
                                while (!done.get()) {
                                    long checkpoint = groups.checkpoint(group);
                                    samples.add(new Sample(checkpoint, System.nanoTime()));
                                    Thread.sleep(20);
                                }
                                return null;
                            });
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (ackSent.size() < AT_LEAST_ONCE_EVENTS && System.nanoTime() < deadline) {
                for (Future<?> f : work) {
                    if (f.isDone()) {
                        f.get(); // a failed consumer or writer fails the test at once
                    }
                }
                Thread.sleep(50);
            }
            done.set(true);
            for (Future<?> f : work) {
                f.get(1, TimeUnit.MINUTES);
            }
            sampler.get(1, TimeUnit.MINUTES);
        } finally {
            done.set(true);
            pool.shutdownNow();
        }

        assertTrue(anomalies.isEmpty(), anomalies.size() + " anomalies: " + anomalies);
        assertEquals(AT_LEAST_ONCE_EVENTS, appended.size());
        assertEquals(appended, ackSent.keySet(), "every appended event acked");
        assertTrue(dropped.get() > 0 && crashed.get() > 0, dropped + " drops, " + crashed);

        int redelivered = 0;
        int leasedUnseen = 0;
        for (Map.Entry<String, List<Handling>> entry : deliveries.entrySet()) {
            List<Handling> seen = new ArrayList<>(entry.getValue());
            seen.sort(Comparator.comparingInt(h -> h.attempt));
            String what = entry.getKey() + " " + seen;
            if (seen.get(0).attempt > 1) {
                leasedUnseen++; // its first lease went out in an answer that was dropped
            }
            for (int i = 0; i < seen.size(); i++) {
                Handling h = seen.get(i);
                if (i == seen.size() - 1) {
                    assertEquals("acked", h.outcome, "the last delivery: " + what);
                } else {
                    assertTrue(
                            h.outcome.equals("abandoned") || h.outcome.equals("refused"),
                            "delivered again after " + h.outcome + ": " + what);
                }
                if (i > 0) {
                    Handling before = seen.get(i - 1);
                    redelivered++;
                    assertTrue(h.attempt > before.attempt, "deliveryAttempt must grow: " + what);
                    // The lease of the earlier delivery ended at fetch + ackTimeoutSeconds at the
                    // earliest; only an expired lease is delivered again.
                    assertTrue(
                            h.received - before.fetchSent
                                    > AT_LEAST_ONCE_ACK_TIMEOUT * SECOND - CLOCK_SLACK,
                            "delivered again before the lease expired: " + what);
                }
            }
        }
        assertTrue(leasedUnseen == 0 || dropped.get() > 0, "first deliveries unseen");
        System.out.println(
                "ConsumerGroupIT: "
                        + AT_LEAST_ONCE_EVENTS
                        + " events acked; "
                        + crashed
                        + " crashes mid-lease, "
                        + dropped
                        + " fetch answers dropped; "
                        + redelivered
                        + " redeliveries seen, "
                        + leasedUnseen
                        + " events first leased in a dropped answer; "
                        + samples.size()
                        + " checkpoint samples");

        // The checkpoint: never back, never past an event whose ack was not yet sent.
        assertTrue(samples.size() > 10, samples.size() + " checkpoint samples");
        String[] byPosition =
                positions.entrySet().stream()
                        .sorted(Map.Entry.comparingByValue())
                        .map(Map.Entry::getKey)
                        .toArray(String[]::new);
        long[] sortedPositions = new long[byPosition.length];
        long[] latestAckUpTo = new long[byPosition.length];
        long latest = Long.MIN_VALUE;
        for (int i = 0; i < byPosition.length; i++) {
            sortedPositions[i] = positions.get(byPosition[i]);
            latest = Math.max(latest, ackSent.get(byPosition[i]));
            latestAckUpTo[i] = latest;
        }
        long previous = Long.MIN_VALUE;
        for (Sample sample : samples) {
            assertTrue(sample.checkpoint() >= previous, "the checkpoint moved back: " + sample);
            previous = sample.checkpoint();
            int at = Arrays.binarySearch(sortedPositions, sample.checkpoint());
            int covered = at >= 0 ? at : -at - 2; // the last event at or below the checkpoint
            if (covered >= 0) {
                assertTrue(
                        latestAckUpTo[covered] < sample.received(),
                        "checkpoint "
                                + sample.checkpoint()
                                + " passed an event not acked when it was read");
            }
        }
        JsonObject end = groups.status(group);
        assertEquals(0, end.getInt("inFlight"), end::toString);
        assertEquals(0, end.getInt("parked"), end::toString);
        assertTrue(
                end.getJsonNumber("checkpoint").longValue()
                        >= sortedPositions[sortedPositions.length - 1],
                end::toString);
    }

    /**
     * A consumer of {@link
     * #everyEventIsAckedAtLeastOnceThroughConsumerCrashesAndTheCheckpointNeverPassesAnUnackedOne}:
     * fetches, acks, and on some fetches crashes (a new name takes over).
     */
    private final class CrashingConsumer {
        private final String group;
        private final int number;
        private final AtomicBoolean done;
        private final Map<String, List<Handling>> deliveries;
        private final Map<String, Long> positions;
        private final Map<String, Long> ackSent;
        private final ConcurrentLinkedQueue<String> anomalies;
        private final AtomicInteger dropped;
        private final AtomicInteger crashed;
        private final Random random;
        private int incarnation;

        CrashingConsumer(
                String group,
                int number,
                AtomicBoolean done,
                Map<String, List<Handling>> deliveries,
                Map<String, Long> positions,
                Map<String, Long> ackSent,
                ConcurrentLinkedQueue<String> anomalies,
                AtomicInteger dropped,
                AtomicInteger crashed) {
            this.group = group;
            this.number = number;
            this.done = done;
            this.deliveries = deliveries;
            this.positions = positions;
            this.ackSent = ackSent;
            this.anomalies = anomalies;
            this.dropped = dropped;
            this.crashed = crashed;
            this.random = new Random(1500L + number);
        }

        private String name() {
            return "c" + number + "-" + incarnation;
        }

        void run() {
            while (!done.get()) {
                // About one fetch in twelve crashes with its answer unread, one batch in eight
                // mid-lease; seeded, so each consumer crashes at the same fetches in every run.
                if (random.nextInt(12) == 0) {
                    // Crash with a fetch's answer in flight: its leases expire unseen.
                    groups.fetchAndDropConnection(group, name(), 20 + random.nextInt(60));
                    dropped.incrementAndGet();
                    incarnation++;
                    continue;
                }
                long sent = System.nanoTime();
                List<JsonObject> batch = groups.fetch(group, name(), 100, 1);
                long received = System.nanoTime();
                Map<String, Handling> handled = new LinkedHashMap<>();
                for (JsonObject event : batch) {
                    String id = event.getString("eventId");
                    Handling handling =
                            new Handling(name(), event.getInt("deliveryAttempt"), sent, received);
                    deliveries
                            .computeIfAbsent(
                                    id, k -> Collections.synchronizedList(new ArrayList<>()))
                            .add(handling);
                    positions.put(id, event.getJsonNumber("globalPosition").longValue());
                    handled.put(id, handling);
                }
                if (batch.isEmpty()) {
                    continue;
                }
                if (random.nextInt(8) == 0) {
                    // Crash mid-lease: part of the batch handled and acked, the rest abandoned.
                    List<String> ids = new ArrayList<>(handled.keySet());
                    int kept = random.nextInt(ids.size());
                    Map<String, Handling> acked = new LinkedHashMap<>();
                    for (String id : ids.subList(0, kept)) {
                        acked.put(id, handled.get(id));
                    }
                    ack(acked);
                    for (String id : ids.subList(kept, ids.size())) {
                        handled.get(id).outcome = "abandoned";
                    }
                    crashed.incrementAndGet();
                    incarnation++;
                    continue;
                }
                ack(handled);
            }
        }

        /**
         * Acks {@code handled}; ids refused because their lease expired and was taken back are
         * dropped and the rest acked again.
         */
        private void ack(Map<String, Handling> handled) {
            Map<String, Handling> left = new LinkedHashMap<>(handled);
            while (!left.isEmpty()) {
                long sent = System.nanoTime();
                Reply reply = groups.ack(group, name(), left.keySet());
                if (reply.status() == 200) {
                    assertEquals(left.size(), reply.json().getInt("acked"), reply::toString);
                    for (Map.Entry<String, Handling> entry : left.entrySet()) {
                        entry.getValue().outcome = "acked";
                        if (ackSent.putIfAbsent(entry.getKey(), sent) != null) {
                            anomalies.add("acked twice: " + entry.getKey());
                        }
                    }
                    return;
                }
                assertEquals(409, reply.status(), reply::toString);
                assertEquals("urn:arbor:problem:lease-not-held", reply.json().getString("type"));
                JsonArray notHeld = reply.json().getJsonArray("eventIds");
                assertFalse(notHeld.isEmpty(), reply::toString);
                long now = System.nanoTime();
                for (JsonValue id : notHeld) {
                    Handling refused = left.remove(((jakarta.json.JsonString) id).getString());
                    assertNotNull(refused, "409 names an id not in the ack: " + reply);
                    refused.outcome = "refused";
                    if (now - refused.fetchSent
                            < AT_LEAST_ONCE_ACK_TIMEOUT * SECOND - CLOCK_SLACK) {
                        anomalies.add("ack refused before the lease could expire: " + reply);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ pinned --

    /** What a pinned consumer handled of a stream: a version, from its fetch to its ack. */
    private record Handled(
            String stream,
            long version,
            String consumer,
            long received,
            long ended,
            String outcome) {}

    /** When a consumer of the pinned test starts and leaves, and how. */
    private record Plan(String name, long startMillis, long leaveMillis, boolean crash) {}

    private static final int PINNED_STREAMS = 24;
    private static final int PINNED_EVENTS_PER_STREAM = 40;

    /**
     * Four consumers of a pinned group: p1 throughout, p2 from the start until it leaves (it stops
     * fetching after acking what it holds), p3 joins later and crashes with leases held, p4 joins
     * late. Per stream, the deliveries must come in version order, each version once after the
     * previous one was acked, and never while another consumer still handled the stream; a version
     * is seen again only after a crash abandoned it.
     */
    @Test
    void pinnedDeliversEachStreamInVersionOrderWithoutOverlapWhileConsumersJoinAndLeave()
            throws Exception {
        String category = Arbor.newCategory();
        String group = Groups.newGroup();
        groups.create(
                group,
                "{\"filter\":{\"category\":\""
                        + category
                        + "\"},\"strategy\":\"pinned\",\"ackTimeoutSeconds\":3,"
                        + "\"maxRetries\":1000}");
        for (int i = 0; i < PINNED_STREAMS; i++) {
            append(category + "-" + i, PINNED_EVENTS_PER_STREAM);
        }
        int total = PINNED_STREAMS * PINNED_EVENTS_PER_STREAM;
        List<Plan> plans =
                List.of(
                        new Plan("p1", 0, Long.MAX_VALUE, false),
                        new Plan("p2", 0, 1500, false),
                        new Plan("p3", 700, 3000, true),
                        new Plan("p4", 2000, Long.MAX_VALUE, false));
        ConcurrentLinkedQueue<Handled> handled = new ConcurrentLinkedQueue<>();
        AtomicInteger acked = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(plans.size());
        try {
            List<Future<?>> consumers = new ArrayList<>();
            for (Plan plan : plans) {
                consumers.add(
                        pool.submit(
                                () -> {
                                    pinnedConsumer(group, plan, start, done, handled, acked);
                                    return null;
                                }));
            }
            long deadline = start + TimeUnit.MINUTES.toNanos(2);
            while (acked.get() < total && System.nanoTime() < deadline) {
                for (Future<?> f : consumers) {
                    if (f.isDone()) {
                        f.get();
                    }
                }
                Thread.sleep(50);
            }
            done.set(true);
            for (Future<?> f : consumers) {
                f.get(1, TimeUnit.MINUTES);
            }
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
        assertEquals(total, acked.get(), "every event acked");

        Map<String, List<Handled>> byStream = new LinkedHashMap<>();
        for (Handled h : handled) {
            byStream.computeIfAbsent(h.stream(), s -> new ArrayList<>()).add(h);
        }
        assertEquals(PINNED_STREAMS, byStream.size());
        int movedStreams = 0;
        for (List<Handled> stream : byStream.values()) {
            stream.sort(Comparator.comparingLong(Handled::received));
            assertEquals(1, stream.get(0).version(), stream::toString);
            for (int i = 1; i < stream.size(); i++) {
                Handled before = stream.get(i - 1);
                Handled now = stream.get(i);
                boolean again = before.outcome().equals("abandoned");
                assertEquals(
                        before.version() + (again ? 0 : 1),
                        now.version(),
                        "versions out of order at " + i + ": " + stream);
                assertTrue(
                        now.received() > before.ended(),
                        "two deliveries of one stream overlap at " + i + ": " + stream);
            }
            Handled last = stream.get(stream.size() - 1);
            assertEquals(PINNED_EVENTS_PER_STREAM, last.version(), stream::toString);
            assertEquals("acked", last.outcome(), stream::toString);
            if (stream.stream().map(Handled::consumer).distinct().count() > 1) {
                movedStreams++;
            }
        }
        for (Plan plan : plans) {
            assertTrue(
                    handled.stream().anyMatch(h -> h.consumer().equals(plan.name())),
                    plan.name() + " handled nothing");
        }
        assertTrue(movedStreams > 0, "no stream changed consumers");
        assertTrue(
                handled.stream().anyMatch(h -> h.outcome().equals("abandoned")),
                "p3 crashed with nothing leased");
        JsonObject end = groups.status(group);
        assertEquals(0, end.getInt("inFlight"), end::toString);
    }

    private void pinnedConsumer(
            String group,
            Plan plan,
            long start,
            AtomicBoolean done,
            ConcurrentLinkedQueue<Handled> handled,
            AtomicInteger acked)
            throws InterruptedException {
        Thread.sleep(plan.startMillis());
        while (!done.get()) {
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            boolean leaving = elapsed >= plan.leaveMillis();
            if (leaving && !plan.crash()) {
                return; // everything it fetched is acked: it simply stops fetching
            }
            List<JsonObject> batch = groups.fetch(group, plan.name(), 100, 1);
            long received = System.nanoTime();
            if (batch.isEmpty()) {
                continue;
            }
            List<String> ids = new ArrayList<>();
            List<JsonObject> seen = new ArrayList<>();
            for (JsonObject event : batch) {
                if (leaving && seen.size() == batch.size() / 2) {
                    break; // p3 crashes halfway through the batch
                }
                Thread.sleep(8); // the handler's work
                seen.add(event);
                ids.add(event.getString("eventId"));
            }
            if (leaving) {
                long now = System.nanoTime();
                for (JsonObject event : batch) {
                    handled.add(handled(event, plan.name(), received, now, "abandoned"));
                }
                return;
            }
            long sent = System.nanoTime();
            Reply ack = groups.ack(group, plan.name(), ids);
            assertEquals(200, ack.status(), () -> plan.name() + ": " + ack);
            for (JsonObject event : seen) {
                handled.add(handled(event, plan.name(), received, sent, "acked"));
            }
            acked.addAndGet(ids.size());
        }
    }

    private static Handled handled(
            JsonObject event, String consumer, long received, long ended, String outcome) {
        return new Handled(
                event.getString("streamId"),
                event.getJsonNumber("version").longValue(),
                consumer,
                received,
                ended,
                outcome);
    }

    // ------------------------------------------------ redelivery, parking, resets --

    /**
     * A lease not acked within {@code ackTimeoutSeconds} is taken back and delivered again with
     * {@code deliveryAttempt} + 1; the first consumer's late ack is refused.
     */
    @Test
    void anExpiredLeaseIsDeliveredAgainWithTheNextDeliveryAttempt() {
        String category = Arbor.newCategory();
        String group = Groups.newGroup();
        groups.create(group, filter(category, ",\"ackTimeoutSeconds\":1"));
        String id = append(category + "-1", 1).get(0);

        List<JsonObject> first = groups.fetch(group, "slow", 10, 5);
        assertEquals(List.of(id), ids(first));
        assertEquals(1, first.get(0).getInt("deliveryAttempt"));
        long leased = System.nanoTime();

        List<JsonObject> again = groups.fetch(group, "quick", 10, 10);
        assertTrue(System.nanoTime() - leased > SECOND - CLOCK_SLACK, "before the lease expired");
        assertEquals(List.of(id), ids(again));
        assertEquals(2, again.get(0).getInt("deliveryAttempt"));

        Reply late = groups.ack(group, "slow", List.of(id));
        assertLeaseNotHeld(late, id);
        assertEquals(1, groups.status(group).getInt("inFlight"), "the late ack took nothing");
        Reply acked = groups.ack(group, "quick", List.of(id));
        assertEquals(200, acked.status(), acked::toString);
        assertEquals(1, acked.json().getInt("acked"));
        JsonObject status = groups.status(group);
        assertEquals(0, status.getInt("inFlight"), status::toString);
        assertTrue(
                status.getJsonNumber("checkpoint").longValue()
                        >= again.get(0).getJsonNumber("globalPosition").longValue(),
                status::toString);
        assertEquals(List.of(), groups.fetch(group, "quick", 10, 0));
    }

    /**
     * With {@code maxRetries} 1, an event is delivered twice at most: a second lease that expires,
     * or a second retry nack, parks it ({@code max-retries}); a park nack parks at once ({@code
     * nacked}). Parked events count as done for the checkpoint and are not delivered again.
     */
    @Test
    void anEventDeliveredMaxRetriesPlusOneTimesIsParked() {
        String category = Arbor.newCategory();
        String group = Groups.newGroup();
        groups.create(group, filter(category, ",\"ackTimeoutSeconds\":1,\"maxRetries\":1"));
        String stream = category + "-1";

        // Leases that expire: delivered twice, then parked by the fetch that takes it back.
        String expires = append(stream, 1).get(0);
        assertEquals(List.of(1), attempts(groups.fetch(group, "c", 10, 5), expires));
        assertEquals(List.of(2), attempts(groups.fetch(group, "c", 10, 10), expires));
        assertEquals(List.of(), groups.fetch(group, "c", 10, 3));

        // Retry nacks: the second one parks it.
        String retried = append(stream, 1).get(0);
        assertEquals(List.of(1), attempts(groups.fetch(group, "c", 10, 5), retried));
        assertOk(groups.nack(group, "c", List.of(retried), "retry"));
        assertEquals(List.of(2), attempts(groups.fetch(group, "c", 10, 5), retried));
        assertOk(groups.nack(group, "c", List.of(retried), "retry"));

        // A park nack parks at once.
        String nacked = append(stream, 1).get(0);
        assertEquals(List.of(1), attempts(groups.fetch(group, "c", 10, 5), nacked));
        assertOk(groups.nack(group, "c", List.of(nacked), "park"));
        assertEquals(List.of(), groups.fetch(group, "c", 10, 0));

        Reply parked = groups.parked(group, "");
        assertEquals(200, parked.status(), parked::toString);
        JsonArray events = parked.json().getJsonArray("events");
        assertEquals(List.of(expires, retried, nacked), ids(events), parked::toString);
        List<String> reasons = new ArrayList<>();
        List<Integer> deliveries = new ArrayList<>();
        for (JsonValue event : events) {
            reasons.add(event.asJsonObject().getString("parkReason"));
            deliveries.add(event.asJsonObject().getInt("deliveryAttempt"));
        }
        assertEquals(List.of("max-retries", "max-retries", "nacked"), reasons);
        assertEquals(List.of(2, 2, 1), deliveries);
        assertTrue(parked.json().isNull("next"), parked::toString);
        JsonObject status = groups.status(group);
        assertEquals(3, status.getInt("parked"), status::toString);
        assertEquals(0, status.getInt("inFlight"), status::toString);
        long lastPosition = events.getJsonObject(2).getJsonNumber("globalPosition").longValue();
        assertTrue(
                status.getJsonNumber("checkpoint").longValue() >= lastPosition, status::toString);
        JsonObject page = groups.parked(group, "limit=2").json();
        assertEquals(List.of(expires, retried), ids(page.getJsonArray("events")));
        assertEquals(
                events.getJsonObject(1).getJsonNumber("globalPosition").longValue(),
                page.getJsonNumber("next").longValue());
    }

    /** The delivery attempts of {@code eventId} in a fetch's answer, which holds nothing else. */
    private static List<Integer> attempts(List<JsonObject> fetched, String eventId) {
        assertEquals(List.of(eventId), ids(fetched));
        return fetched.stream().map(e -> e.getInt("deliveryAttempt")).toList();
    }

    /**
     * A replay makes the parked events pending again, with a fresh count, and they are delivered
     * before events the group has not delivered yet; the checkpoint drops below them until acked.
     */
    @Test
    void replayedParkedEventsAreDeliveredBeforeNewOnes() {
        String category = Arbor.newCategory();
        String group = Groups.newGroup();
        groups.create(group, filter(category, ""));
        List<String> old = append(category + "-1", 3);
        List<JsonObject> firstTwo = groups.fetch(group, "c", 2, 5);
        assertEquals(old.subList(0, 2), ids(firstTwo));
        assertOk(groups.nack(group, "c", old.subList(0, 2), "park"));
        assertEquals(List.of(old.get(2)), ids(groups.fetch(group, "c", 10, 5)));
        assertOk(groups.ack(group, "c", List.of(old.get(2))));
        List<String> fresh = append(category + "-2", 2);

        Reply replay = groups.replayParked(group);
        assertEquals(200, replay.status(), replay::toString);
        assertEquals(2, replay.json().getInt("replayed"));
        JsonObject status = groups.status(group);
        assertEquals(0, status.getInt("parked"), status::toString);
        assertEquals(
                firstTwo.get(0).getJsonNumber("globalPosition").longValue() - 1,
                status.getJsonNumber("checkpoint").longValue(),
                "the checkpoint is below the replayed events");

        List<JsonObject> replayed = groups.fetch(group, "c", 2, 5);
        assertEquals(old.subList(0, 2), ids(replayed), "parked events first");
        assertEquals(1, replayed.get(0).getInt("deliveryAttempt"));
        assertOk(groups.ack(group, "c", old.subList(0, 2)));
        assertEquals(fresh, ids(groups.fetch(group, "c", 10, 5)));
        assertEquals(0, groups.replayParked(group).json().getInt("replayed"));
    }

    /**
     * A reset to a position delivers again every event after it (leases held before it are void);
     * to {@code beginning}, all of them.
     */
    @Test
    void aResetToAPositionReplaysFromThere() {
        String category = Arbor.newCategory();
        String group = Groups.newGroup();
        groups.create(group, filter(category, ""));
        List<String> ids = append(category + "-1", 5);
        List<JsonObject> all = groups.fetch(group, "c", 10, 5);
        assertEquals(ids, ids(all));
        assertOk(groups.ack(group, "c", ids));
        long second = all.get(1).getJsonNumber("globalPosition").longValue();

        Reply reset = groups.reset(group, Long.toString(second));
        assertEquals(200, reset.status(), reset::toString);
        assertEquals(second, reset.json().getJsonNumber("checkpoint").longValue(), reset::toString);
        assertEquals(0, reset.json().getInt("inFlight"));
        List<JsonObject> replayed = groups.fetch(group, "c", 10, 5);
        assertEquals(ids.subList(2, 5), ids(replayed));
        assertEquals(1, replayed.get(0).getInt("deliveryAttempt"));

        assertEquals(200, groups.reset(group, "\"beginning\"").status());
        assertLeaseNotHeld(groups.ack(group, "c", List.of(ids.get(2))), ids.get(2));
        assertEquals(ids, ids(groups.fetch(group, "c", 10, 5)));
    }

    /**
     * A reset to {@code end} skips the history (and voids the leases); only events appended after
     * it are delivered. A group created with {@code startFrom: end} does the same.
     */
    @Test
    void aResetToEndSkipsHistory() {
        String category = Arbor.newCategory();
        String group = Groups.newGroup();
        groups.create(group, filter(category, ""));
        List<String> history = append(category + "-1", 3);
        List<JsonObject> held = groups.fetch(group, "c", 1, 5);
        assertEquals(history.subList(0, 1), ids(held));

        Reply reset = groups.reset(group, "\"end\"");
        assertEquals(200, reset.status(), reset::toString);
        JsonObject status = reset.json();
        assertEquals(0, status.getInt("inFlight"), status::toString);
        assertEquals(
                status.getJsonNumber("headPosition").longValue(),
                status.getJsonNumber("checkpoint").longValue(),
                status::toString);
        assertLeaseNotHeld(groups.ack(group, "c", history.subList(0, 1)), history.get(0));
        assertEquals(List.of(), groups.fetch(group, "c", 10, 0));

        String late = Groups.newGroup();
        JsonObject created = groups.create(late, filter(category, ",\"startFrom\":\"end\""));
        assertEquals(
                created.getJsonNumber("headPosition").longValue(),
                created.getJsonNumber("checkpoint").longValue());

        List<String> live = append(category + "-1", 2);
        assertEquals(live, ids(groups.fetch(group, "c", 10, 5)));
        assertEquals(live, ids(groups.fetch(late, "c", 10, 5)));
    }

    /**
     * A reset calls off a replay not delivered yet: the parked events at or below the new position
     * stay parked (as parked events below a reset always do) instead of holding the checkpoint
     * back; after a reset to {@code end} the checkpoint is the head and nothing is delivered.
     * (Found by CliIT once a replay left the events in the parked table until a fetch had room for
     * them.)
     */
    @Test
    void aResetCallsOffAReplayNotYetDelivered() {
        String category = Arbor.newCategory();
        String group = Groups.newGroup();
        groups.create(group, filter(category, ""));
        List<String> ids = append(category + "-1", 3);
        assertEquals(ids, ids(groups.fetch(group, "c", 10, 5)));
        assertOk(groups.nack(group, "c", ids.subList(0, 1), "park"));
        assertOk(groups.ack(group, "c", ids.subList(1, 3)));
        assertEquals(1, groups.replayParked(group).json().getInt("replayed"));

        Reply reset = groups.reset(group, "\"end\"");
        assertEquals(200, reset.status(), reset::toString);
        JsonObject status = reset.json();
        assertEquals(
                status.getJsonNumber("headPosition").longValue(),
                status.getJsonNumber("checkpoint").longValue(),
                status::toString);
        assertEquals(1, status.getInt("parked"), status::toString);
        assertEquals(List.of(), groups.fetch(group, "c", 10, 0), "the replay was called off");
    }

    // ------------------------------------------------- limits, settings, filters --

    /**
     * At most {@code maxInFlight} events of the group are leased at once, over all its consumers;
     * an ack makes room, and so does a higher limit. The status counts each consumer's leases.
     */
    @Test
    void noMoreThanMaxInFlightEventsAreLeasedAtOnce() {
        String category = Arbor.newCategory();
        String group = Groups.newGroup();
        groups.create(group, filter(category, ",\"maxInFlight\":5"));
        List<String> ids = append(category + "-1", 12);

        assertEquals(ids.subList(0, 5), ids(groups.fetch(group, "a", 100, 5)));
        assertEquals(List.of(), groups.fetch(group, "b", 100, 0), "the group is at its limit");
        JsonObject full = groups.status(group);
        assertEquals(5, full.getInt("inFlight"), full::toString);
        assertEquals(Map.of("a", 5, "b", 0), leasesByConsumer(full));

        assertOk(groups.ack(group, "a", ids.subList(0, 2)));
        assertEquals(ids.subList(5, 7), ids(groups.fetch(group, "b", 100, 5)), "room for two");
        assertEquals(Map.of("a", 3, "b", 2), leasesByConsumer(groups.status(group)));

        Reply raised = groups.put(group, filter(category, ",\"maxInFlight\":10"));
        assertEquals(200, raised.status(), raised::toString);
        assertEquals(10, raised.json().getInt("maxInFlight"));
        assertEquals(ids.subList(7, 12), ids(groups.fetch(group, "b", 100, 5)));
    }

    private static Map<String, Integer> leasesByConsumer(JsonObject status) {
        Map<String, Integer> leases = new LinkedHashMap<>();
        for (JsonValue consumer : status.getJsonArray("consumers")) {
            leases.put(
                    consumer.asJsonObject().getString("consumer"),
                    consumer.asJsonObject().getInt("inFlight"));
        }
        return leases;
    }

    /**
     * New settings keep the group's position, leases and parked events ({@code startFrom} is
     * ignored); a skip nack counts as done like an ack; the list shows the group as GET does; a
     * deleted group is gone with its leases and parked events, and one created again under its name
     * starts afresh.
     */
    @Test
    void newSettingsKeepThePositionAndADeletedGroupIsGone() {
        String category = Arbor.newCategory();
        String group = Groups.newGroup();
        JsonObject created = groups.create(group, filter(category, ",\"maxRetries\":3"));
        assertEquals("round-robin", created.getString("strategy"));
        List<String> ids = append(category + "-1", 4);
        List<JsonObject> leased = groups.fetch(group, "c", 4, 5);
        assertEquals(ids, ids(leased));
        assertOk(groups.ack(group, "c", ids.subList(0, 1)));
        assertOk(groups.nack(group, "c", ids.subList(1, 2), "skip"));
        assertOk(groups.nack(group, "c", ids.subList(2, 3), "park"));
        JsonObject before = groups.status(group);
        long fourth = leased.get(3).getJsonNumber("globalPosition").longValue();
        assertEquals(fourth - 1, before.getJsonNumber("checkpoint").longValue(), before::toString);
        assertEquals(1, before.getInt("inFlight"));
        assertEquals(1, before.getInt("parked"));

        Reply changed =
                groups.put(
                        group,
                        filter(
                                category,
                                ",\"strategy\":\"pinned\",\"maxRetries\":7,\"startFrom\":\"end\""));
        assertEquals(200, changed.status(), changed::toString);
        JsonObject after = changed.json();
        assertEquals("pinned", after.getString("strategy"));
        assertEquals(7, after.getInt("maxRetries"));
        for (String kept : List.of("checkpoint", "inFlight", "parked", "createdAt", "filter")) {
            assertEquals(before.get(kept), after.get(kept), kept + " changed: " + after);
        }
        JsonObject listed =
                groups.list().json().getJsonArray("groups").stream()
                        .map(JsonValue::asJsonObject)
                        .filter(g -> g.getString("group").equals(group))
                        .findFirst()
                        .orElseThrow();
        assertEquals(after.get("checkpoint"), listed.get("checkpoint"), listed::toString);
        assertEquals(after.get("consumers"), listed.get("consumers"), listed::toString);

        Reply deleted = groups.delete(group);
        assertEquals(204, deleted.status(), deleted::toString);
        assertEquals(404, groups.get(group).status());
        assertEquals(404, groups.fetchReply(group, "c", 1, 0).status());
        assertEquals(404, groups.ack(group, "c", ids.subList(3, 4)).status());
        assertEquals(404, groups.delete(group).status());

        JsonObject again = groups.create(group, filter(category, ""));
        assertEquals(0, again.getInt("parked"), again::toString);
        assertEquals(0, again.getInt("inFlight"), again::toString);
        assertEquals("round-robin", again.getString("strategy"));
        List<JsonObject> fresh = groups.fetch(group, "c", 10, 5);
        assertEquals(ids, ids(fresh), "from the beginning again");
        assertEquals(1, fresh.get(3).getInt("deliveryAttempt"));
    }

    /** A group filtered by type, or on one stream, delivers only the events its filter matches. */
    @Test
    void aGroupDeliversOnlyWhatItsFilterMatches() {
        String category = Arbor.newCategory();
        String one = category + "-1";
        String two = category + "-2";
        assertEquals(201, arbor.append(one, "\"any\"", "A", "B", "A").status());
        assertEquals(201, arbor.append(two, "\"any\"", "A", "B").status());

        String byType = Groups.newGroup();
        groups.create(byType, "{\"filter\":{\"category\":\"" + category + "\",\"type\":\"A\"}}");
        List<JsonObject> typed = groups.fetch(byType, "c", 10, 5);
        assertEquals(
                List.of(one + " 1 A", one + " 3 A", two + " 1 A"),
                typed.stream().map(ConsumerGroupIT::describe).toList());

        String byStream = Groups.newGroup();
        JsonObject created = groups.create(byStream, "{\"filter\":{\"streamId\":\"" + two + "\"}}");
        JsonObject filter = created.getJsonObject("filter");
        assertEquals(two, filter.getString("streamId"), created::toString);
        assertTrue(filter.isNull("category") && filter.isNull("type"), created::toString);
        List<JsonObject> streamed = groups.fetch(byStream, "c", 10, 5);
        assertEquals(
                List.of(two + " 1 A", two + " 2 B"),
                streamed.stream().map(ConsumerGroupIT::describe).toList());
    }

    private static String describe(JsonObject event) {
        return event.getString("streamId")
                + " "
                + event.getJsonNumber("version").longValue()
                + " "
                + event.getString("type");
    }

    // --------------------------------------------------------------- bad input --

    /**
     * Unknown groups, bad strategies and limits, negative and oversized numbers, acks and nacks of
     * events not leased to the consumer, malformed JSON, bad group and consumer names, a changed
     * filter, a reset past the head: each is a 4xx problem+json, and the group, its leases and its
     * parked list are exactly as before.
     */
    @Test
    void badInputIsA4xxProblemAndChangesNothing() {
        String category = Arbor.newCategory();
        String group = Groups.newGroup();
        groups.create(group, filter(category, ",\"ackTimeoutSeconds\":3600,\"maxRetries\":3"));
        List<String> ids = append(category + "-1", 3);
        String leased = ids.get(0);
        String parkedAlready = ids.get(1);
        String pending = ids.get(2);
        assertEquals(List.of(leased), ids(groups.fetch(group, "holder", 1, 5)));
        assertEquals(List.of(parkedAlready), ids(groups.fetch(group, "parker", 1, 5)));
        assertOk(groups.nack(group, "parker", List.of(parkedAlready), "park"));
        Supplier<String> state = () -> state(group);
        String before = state.get();

        String missing = Groups.newGroup();
        List<String> unstorable = List.of(Groups.newGroup(), Groups.newGroup(), Groups.newGroup());
        String a = "\"" + leased + "\"";
        List<BadRequest> bad =
                List.of(
                        // unknown group, on every endpoint that names one
                        bad(404, "group-not-found", () -> groups.get(missing)),
                        bad(404, "group-not-found", () -> groups.delete(missing)),
                        bad(404, "group-not-found", () -> groups.fetchReply(missing, "c", 1, 0)),
                        bad(
                                404,
                                "group-not-found",
                                () -> groups.ack(missing, "c", List.of(leased))),
                        bad(
                                404,
                                "group-not-found",
                                () -> groups.nack(missing, "c", List.of(leased), "skip")),
                        bad(404, "group-not-found", () -> groups.parked(missing, "")),
                        bad(404, "group-not-found", () -> groups.replayParked(missing)),
                        bad(404, "group-not-found", () -> groups.reset(missing, "\"end\"")),
                        // settings
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        groups.put(
                                                group,
                                                filterBody(category, ",\"strategy\":\"fifo\""))),
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        groups.put(
                                                group,
                                                filterBody(category, ",\"strategy\":\"PINNED\""))),
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        groups.put(
                                                group, filterBody(category, ",\"maxRetries\":-1"))),
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        groups.put(
                                                group,
                                                filterBody(category, ",\"maxRetries\":1001"))),
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        groups.put(
                                                group,
                                                filterBody(category, ",\"ackTimeoutSeconds\":0"))),
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        groups.put(
                                                group,
                                                filterBody(
                                                        category,
                                                        ",\"ackTimeoutSeconds\":\"30\""))),
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        groups.put(
                                                group,
                                                filterBody(category, ",\"maxInFlight\":10001"))),
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        groups.put(
                                                group,
                                                filterBody(category, ",\"maxInFlight\":1.5"))),
                        bad(
                                400,
                                "invalid-request",
                                () -> groups.put(group, filterBody(category, ",\"startFrom\":-1"))),
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        groups.put(
                                                group,
                                                filterBody(category, ",\"startFrom\":\"middle\""))),
                        bad(
                                400,
                                "invalid-request",
                                () -> groups.put(group, filterBody(category, ",\"extra\":1"))),
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        groups.put(
                                                group,
                                                "{\"filter\":{\"category\":\""
                                                        + category
                                                        + "\",\"tags\":[\"x\"]}}")),
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        groups.put(
                                                group,
                                                "{\"filter\":{\"category\":\""
                                                        + category
                                                        + "\",\"streamId\":\"x-1\"}}")),
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        groups.put(
                                                group,
                                                "{\"filter\":{\"category\":\""
                                                        + category
                                                        + "\",\"category\":\"other\"}}")),
                        bad(400, "invalid-request", () -> groups.put(group, "{\"filter\":[]}")),
                        bad(
                                409,
                                "group-filter-changed",
                                () -> groups.put(group, filterBody(Arbor.newCategory(), ""))),
                        bad(409, "group-filter-changed", () -> groups.put(group, "{}")),
                        // fetch
                        bad(400, "invalid-request", () -> groups.fetchReply(group, "c", -1, 0)),
                        bad(400, "invalid-request", () -> groups.fetchReply(group, "c", 0, 0)),
                        bad(400, "invalid-request", () -> groups.fetchReply(group, "c", 1001, 0)),
                        bad(400, "invalid-request", () -> groups.fetchReply(group, "c", 1, -1)),
                        bad(400, "invalid-request", () -> groups.fetchReply(group, "c", 1, 61)),
                        bad(400, "invalid-request", () -> post(group, "/fetch", "{\"max\":1}")),
                        bad(
                                400,
                                "invalid-request",
                                () -> post(group, "/fetch", "{\"consumer\":\"\"}")),
                        bad(
                                400,
                                "invalid-request",
                                () -> post(group, "/fetch", "{\"consumer\":\"tab\\there\"}")),
                        // text PostgreSQL cannot store: a lone surrogate, U+0000
                        bad(
                                400,
                                "invalid-request",
                                () -> post(group, "/fetch", "{\"consumer\":\"\\ud800\"}")),
                        bad(
                                400,
                                "invalid-request",
                                () -> post(group, "/fetch", "{\"consumer\":\"a\\u0000b\"}")),
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        groups.put(
                                                unstorable.get(0),
                                                filterText("category", "a\\u0000b"))),
                        bad(
                                400,
                                "invalid-request",
                                () -> groups.put(unstorable.get(1), filterText("type", "\\ud800"))),
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        groups.put(
                                                unstorable.get(2),
                                                filterText("category", "x\\udfff"))),
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        post(
                                                group,
                                                "/fetch",
                                                "{\"consumer\":\"" + "c".repeat(101) + "\"}")),
                        bad(
                                400,
                                "invalid-request",
                                () -> post(group, "/fetch", "{\"consumer\":5}")),
                        bad(
                                400,
                                "invalid-request",
                                () -> post(group, "/fetch", "{\"consumer\":\"c\",\"max\":\"5\"}")),
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        post(
                                                group,
                                                "/fetch",
                                                "{\"consumer\":\"c\",\"consumer\":\"d\"}")),
                        bad(
                                400,
                                "invalid-request",
                                () -> post(group, "/fetch", "{\"consumer\":\"c\"")),
                        bad(400, "invalid-request", () -> post(group, "/fetch", "[]")),
                        bad(400, "invalid-request", () -> post(group, "/fetch", "")),
                        bad(
                                415,
                                "unsupported-media-type",
                                () ->
                                        arbor.send(
                                                "POST",
                                                groups.path(group) + "/fetch",
                                                "text/plain",
                                                Groups.fetchBody("c", 1, 0)
                                                        .getBytes(
                                                                java.nio.charset.StandardCharsets
                                                                        .UTF_8))),
                        // acks and nacks of events not leased to this consumer
                        bad(
                                409,
                                "lease-not-held",
                                () -> groups.ack(group, "other", List.of(leased))),
                        bad(
                                409,
                                "lease-not-held",
                                () -> groups.ack(group, "holder", List.of(leased, pending))),
                        bad(
                                409,
                                "lease-not-held",
                                () ->
                                        groups.ack(
                                                group,
                                                "holder",
                                                List.of(UUID.randomUUID().toString()))),
                        bad(
                                409,
                                "lease-not-held",
                                () -> groups.ack(group, "holder", List.of(parkedAlready))),
                        bad(
                                409,
                                "lease-not-held",
                                () -> groups.nack(group, "other", List.of(leased), "skip")),
                        bad(
                                409,
                                "lease-not-held",
                                () ->
                                        groups.nack(
                                                group, "holder", List.of(leased, pending), "park")),
                        // malformed acks and nacks
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        post(
                                                group,
                                                "/ack",
                                                "{\"consumer\":\"holder\",\"eventIds\":[]}")),
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        post(
                                                group,
                                                "/ack",
                                                "{\"consumer\":\"holder\",\"eventIds\":["
                                                        + a
                                                        + ","
                                                        + a
                                                        + "]}")),
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        post(
                                                group,
                                                "/ack",
                                                "{\"consumer\":\"holder\",\"eventIds\":[\"not-a-uuid\"]}")),
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        post(
                                                group,
                                                "/ack",
                                                "{\"consumer\":\"holder\",\"eventIds\":"
                                                        + a
                                                        + "}")),
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        post(
                                                group,
                                                "/ack",
                                                "{\"consumer\":\"holder\",\"eventIds\":"
                                                        + thousandAndOneIds()
                                                        + "}")),
                        bad(
                                400,
                                "invalid-request",
                                () -> post(group, "/ack", "{\"eventIds\":[" + a + "]}")),
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        post(
                                                group,
                                                "/ack",
                                                "{\"consumer\":\"holder\",\"eventIds\":["
                                                        + a
                                                        + "],\"action\":\"skip\"}")),
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        post(
                                                group,
                                                "/ack",
                                                "{\"consumer\":\"holder\",\"eventIds\":["
                                                        + a
                                                        + "]")),
                        bad(
                                400,
                                "invalid-request",
                                () -> groups.nack(group, "holder", List.of(leased), "drop")),
                        bad(
                                400,
                                "invalid-request",
                                () ->
                                        post(
                                                group,
                                                "/nack",
                                                "{\"consumer\":\"holder\",\"eventIds\":["
                                                        + a
                                                        + "]}")),
                        // resets
                        bad(400, "invalid-request", () -> groups.reset(group, "\"middle\"")),
                        bad(400, "invalid-request", () -> groups.reset(group, "-1")),
                        bad(400, "invalid-request", () -> groups.reset(group, "1.5")),
                        bad(400, "invalid-request", () -> groups.reset(group, "null")),
                        bad(
                                400,
                                "invalid-request",
                                () -> groups.reset(group, "9223372036854775807")),
                        bad(
                                400,
                                "invalid-request",
                                () -> groups.reset(group, "99999999999999999999")),
                        bad(400, "invalid-request", () -> post(group, "/reset", "{}")),
                        bad(
                                400,
                                "invalid-request",
                                () -> post(group, "/reset", "{\"to\":\"end\",\"from\":0}")),
                        // the parked list's parameters
                        bad(400, "invalid-request", () -> groups.parked(group, "after=-1")),
                        bad(400, "invalid-request", () -> groups.parked(group, "limit=0")),
                        bad(400, "invalid-request", () -> groups.parked(group, "limit=abc")),
                        // bad group names
                        bad(400, "invalid-request", () -> groups.put("-leading-dash", "{}")),
                        bad(400, "invalid-request", () -> groups.put(".hidden", "{}")),
                        bad(400, "invalid-request", () -> groups.put("with%20space", "{}")),
                        bad(400, "invalid-request", () -> groups.put("caf%C3%A9", "{}")),
                        bad(400, "invalid-request", () -> groups.put("g".repeat(101), "{}")),
                        bad(400, "invalid-request", () -> groups.get("star*")),
                        bad(400, "invalid-request", () -> groups.fetchReply("-x", "c", 1, 0)),
                        bad(400, "invalid-request", () -> groups.reset("a:b", "\"end\"")));
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < bad.size(); i++) {
            BadRequest request = bad.get(i);
            Reply reply = request.send().get();
            if (reply.status() != request.status()
                    || !reply.isProblem()
                    || !reply.json().getString("type").equals("urn:arbor:problem:" + request.type())
                    || (reply.status() == 400
                            && !reply.json().containsKey("pointer")
                            && !reply.json().containsKey("parameter"))) {
                failures.add(
                        "request #"
                                + i
                                + " ("
                                + request.status()
                                + " "
                                + request.type()
                                + ") -> "
                                + reply);
            }
        }
        assertEquals(List.of(), failures, "expected problems");
        assertEquals(before, state.get(), "a refused request changed the group");
        assertEquals(404, groups.get(missing).status(), "a refused request created a group");
        for (String name : unstorable) {
            assertEquals(404, groups.get(name).status(), "a refused request created " + name);
        }
        // A fetch from a group that is not there registered its lag gauge, one more series on
        // /metrics for every name a client tried.
        assertFalse(
                arbor.get(Arbor.HOST + "/metrics").body().contains("group=\"" + missing + "\""),
                "a gauge for a group that does not exist");
        JsonObject notHeld = groups.ack(group, "holder", List.of(leased, pending)).json();
        assertEquals(List.of(pending), strings(notHeld.getJsonArray("eventIds")));
        assertOk(groups.ack(group, "holder", List.of(leased))); // the lease survived all of it
    }

    private record BadRequest(int status, String type, Supplier<Reply> send) {}

    private static BadRequest bad(int status, String type, Supplier<Reply> send) {
        return new BadRequest(status, type, send);
    }

    /** The group as GET answers it (but the log's head and lag), with its parked list. */
    private String state(String group) {
        JsonObjectBuilder status = Json.createObjectBuilder(groups.status(group));
        status.remove("headPosition");
        status.remove("lag");
        return status.build() + " parked " + groups.parked(group, "limit=1000").body();
    }

    private Reply post(String group, String endpoint, String body) {
        return arbor.post(groups.path(group) + endpoint, body);
    }

    private static String thousandAndOneIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        return Groups.ids(ids);
    }

    // ----------------------------------------------------------------- helpers --

    private static String filter(String category, String more) {
        return filterBody(category, more);
    }

    /** A filter on one field, {@code text} as written in JSON (escapes and all). */
    private static String filterText(String field, String text) {
        return "{\"filter\":{\"" + field + "\":\"" + text + "\"}}";
    }

    private static String filterBody(String category, String more) {
        return "{\"filter\":{\"category\":\"" + category + "\"}" + more + "}";
    }

    /** Appends {@code count} events to {@code stream} in one request; their ids, in order. */
    private List<String> append(String stream, int count) {
        List<String> ids = new ArrayList<>();
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < count; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id.toString());
            events.append(i == 0 ? "" : ",")
                    .append(Arbor.event(id, "Counted", "{\"i\":" + i + "}"));
        }
        Reply appended =
                arbor.post("/streams/" + stream + "/events", "{\"events\":[" + events + "]}");
        assertEquals(201, appended.status(), appended::toString);
        return ids;
    }

    private static List<String> ids(List<? extends JsonValue> events) {
        return events.stream().map(e -> e.asJsonObject().getString("eventId")).toList();
    }

    private static List<String> strings(JsonArray array) {
        return array.getValuesAs(jakarta.json.JsonString.class).stream()
                .map(jakarta.json.JsonString::getString)
                .toList();
    }

    private static void assertOk(Reply reply) {
        assertEquals(200, reply.status(), reply::toString);
    }

    private static void assertLeaseNotHeld(Reply reply, String... eventIds) {
        assertEquals(409, reply.status(), reply::toString);
        assertTrue(reply.isProblem(), reply::toString);
        assertEquals("urn:arbor:problem:lease-not-held", reply.json().getString("type"));
        assertEquals(List.of(eventIds), strings(reply.json().getJsonArray("eventIds")));
    }
}
