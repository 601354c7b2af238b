package io.arbor.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.faults.ScavengeCheck.Job;
import io.arbor.faults.ScavengeCheck.Row;
import io.arbor.faults.ScavengeCheck.Rule;
import io.arbor.faults.ScavengeCheck.Seeded;
import io.arbor.faults.ScavengeCheck.Stored;
import io.arbor.spi.EventHash;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The scavenge scenario's checks must catch each way a scavenge can go wrong, and stay quiet on a
 * scavenge that removed exactly the hidden events.
 */
class ScavengeCheckTest {
    private static final long HEAD = 40;

    /** One stream of each rule, at {@link #HEAD}. */
    private final List<Seeded> seeded = new ArrayList<>();

    /** Each stream's full chain as seeded, before any scavenge. */
    private final Map<String, List<Row>> full = new LinkedHashMap<>();

    private final Map<String, Stored> stored = new LinkedHashMap<>();

    private Job job;

    ScavengeCheckTest() {
        for (Rule rule : Rule.values()) {
            String id = "seed-" + rule.name().toLowerCase(java.util.Locale.ROOT);
            seeded.add(new Seeded(id, HEAD, rule));
            List<Row> rows = new ArrayList<>();
            byte[] previous = EventHash.GENESIS;
            for (long v = 1; v <= HEAD; v++) {
                UUID eventId = UUID.randomUUID();
                String data = "{\"n\":" + v + "}";
                byte[] hash =
                        EventHash.hash(
                                previous, eventId, id, v, "Seeded", 1, data, "{}", List.of(id));
                rows.add(new Row(eventId, v, "Seeded", 1, data, "{}", List.of(id), hash));
                previous = hash;
            }
            full.put(id, rows);
        }
        // What a correct scavenge leaves: the visible versions, the anchor of the last removed.
        for (Seeded s : seeded) {
            List<Row> rows = full.get(s.streamId());
            long firstKept = s.rule().firstKept(HEAD);
            Row anchor = firstKept > 1 ? rows.get((int) firstKept - 2) : null;
            stored.put(
                    s.streamId(),
                    new Stored(
                            s.streamId(),
                            rows.subList((int) firstKept - 1, rows.size()),
                            anchor == null ? 0 : anchor.version(),
                            anchor == null ? null : anchor.hash(),
                            s.rule().deletedState()));
        }
        long hidden = ScavengeCheck.hidden(seeded);
        job = new Job("running", hidden / 3, "done", hidden, 12.5);
    }

    private List<String> check() {
        return ScavengeCheck.check(seeded, stored, job, 300);
    }

    private void change(Rule rule, UnaryOperator<Stored> how) {
        String id = "seed-" + rule.name().toLowerCase(java.util.Locale.ROOT);
        stored.put(id, how.apply(stored.get(id)));
    }

    private static Stored withRows(Stored s, List<Row> rows) {
        return new Stored(s.streamId(), rows, s.anchorVersion(), s.anchorHash(), s.deletedState());
    }

    private void assertOnly(String fragment) {
        List<String> anomalies = check();
        assertEquals(1, anomalies.size(), () -> "anomalies: " + anomalies);
        assertTrue(anomalies.get(0).contains(fragment), () -> "anomalies: " + anomalies);
    }

    @Test
    void aScavengeThatRemovedExactlyTheHiddenEventsIsClean() {
        assertEquals(List.of(), check());
        // 40 + 40 (deleted) + 20 (truncated) + 30 (max count 10) + 0 (untouched)
        assertEquals(130, ScavengeCheck.hidden(seeded));
    }

    @Test
    void aHiddenEventStillStoredIsFound() {
        change(
                Rule.TRUNCATED,
                s -> {
                    List<Row> rows = new ArrayList<>();
                    rows.add(full.get(s.streamId()).get(19)); // version 20, below firstKept 21
                    rows.addAll(s.rows());
                    return withRows(s, rows);
                });
        assertOnly("1 hidden events still stored (versions below 21)");
    }

    @Test
    void aHiddenEventOfADeletedStreamStillStoredIsFound() {
        change(Rule.HARD_DELETED, s -> withRows(s, full.get(s.streamId()).subList(39, 40)));
        assertOnly("1 hidden events still stored (versions below 41)");
    }

    @Test
    void aVisibleEventRemovedIsFound() {
        change(
                Rule.UNTOUCHED,
                s -> {
                    List<Row> rows = new ArrayList<>(s.rows());
                    rows.remove(rows.size() - 1);
                    return withRows(s, rows);
                });
        assertOnly("39 visible events stored, versions 1..40 expected once each (40)");
    }

    @Test
    void aVisibleEventStoredTwiceIsFound() {
        change(
                Rule.MAX_COUNT,
                s -> {
                    List<Row> rows = new ArrayList<>(s.rows());
                    rows.add(5, rows.get(5));
                    return withRows(s, rows);
                });
        List<String> anomalies = check();
        assertTrue(
                anomalies.stream().anyMatch(a -> a.contains("11 visible events stored")),
                () -> "anomalies: " + anomalies);
    }

    @Test
    void aKillThatDidNotLandMidScavengeIsFound() {
        job = new Job("done", job.finalRemoved(), "done", job.finalRemoved(), 1);
        assertOnly("the kill did not land mid-scavenge: the job was done with 130 of 130");
        job = new Job("running", 0, "done", 130, 1);
        assertOnly("the kill did not land mid-scavenge: the job was running with 0 of 130");
    }

    @Test
    void aJobThatDidNotFinishAfterTheRestartIsFound() {
        job = new Job("running", 40, "running", 60, Double.NaN);
        assertOnly("the scavenge did not finish after the restart: running with 60 events removed");
        job = new Job("running", 40, "failed", 60, Double.NaN);
        assertOnly("the scavenge did not finish after the restart: failed");
    }

    @Test
    void aWrongCountOfEventsRemovedIsFound() {
        job = new Job("running", 40, "done", 129, 3);
        assertOnly("the finished job counts 129 events removed, but 130 were hidden");
    }

    @Test
    void aBrokenChainIsFound() {
        change(
                Rule.UNTOUCHED,
                s -> {
                    List<Row> rows = new ArrayList<>(s.rows());
                    Row r = rows.get(7);
                    rows.set(
                            7,
                            new Row(
                                    r.eventId(),
                                    r.version(),
                                    r.type(),
                                    r.schemaVersion(),
                                    "{\"n\":-1}",
                                    r.metadata(),
                                    r.tags(),
                                    r.hash()));
                    return withRows(s, rows);
                });
        assertOnly("hash chain broken at version 8");
    }

    @Test
    void aWrongOrMissingChainAnchorIsFound() {
        change(
                Rule.TRUNCATED,
                s ->
                        new Stored(
                                s.streamId(),
                                s.rows(),
                                s.anchorVersion(),
                                full.get(s.streamId()).get(0).hash(),
                                s.deletedState()));
        assertOnly("hash chain broken at version 21");
        change(Rule.TRUNCATED, s -> new Stored(s.streamId(), s.rows(), 0, null, s.deletedState()));
        assertOnly("no chain anchor for version 20");
    }

    @Test
    void aDeletedStreamsLostAnchorIsFound() {
        change(Rule.HARD_DELETED, s -> new Stored(s.streamId(), s.rows(), 0, null, "hard"));
        assertOnly("chain anchor at version 0 (no hash), not at 40");
        change(
                Rule.HARD_DELETED,
                s ->
                        new Stored(
                                s.streamId(),
                                s.rows(),
                                39,
                                full.get(s.streamId()).get(38).hash(),
                                "hard"));
        assertOnly("chain anchor at version 39 (hashed), not at 40");
    }

    @Test
    void aLostTombstoneIsFound() {
        change(Rule.HARD_DELETED, s -> withDeleted(s, "missing"));
        assertOnly("its stream row says deleted=missing");
        change(Rule.HARD_DELETED, s -> withDeleted(s, "hard"));
        change(Rule.SOFT_DELETED, s -> withDeleted(s, null));
        assertOnly("seed-soft_deleted (SOFT_DELETED): its stream row says deleted=null");
    }

    private static Stored withDeleted(Stored s, String deleted) {
        return new Stored(s.streamId(), s.rows(), s.anchorVersion(), s.anchorHash(), deleted);
    }
}
