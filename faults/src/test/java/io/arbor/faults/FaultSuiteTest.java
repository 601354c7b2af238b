package io.arbor.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The suite's flags and its summary table. */
class FaultSuiteTest {

    @Test
    void theBoundsAreFlagsWithTheirDefaults() {
        FaultSuite.Options defaults = FaultSuite.Options.parse(new String[0]);
        FaultSuite.Options set =
                FaultSuite.Options.parse(
                        new String[] {
                            "--short", "--recovery-bound-s", "5", "--read-bound-s", "20"
                        });

        assertEquals(10L, defaults.sizes.get("recovery-bound-s"));
        assertEquals(15L, defaults.sizes.get("read-bound-s"));
        assertEquals(5L, set.sizes.get("recovery-bound-s"));
        assertEquals(20L, set.sizes.get("read-bound-s"));
    }

    @Test
    void theScavengeScenarioIsAScenarioWithItsSizes() {
        FaultSuite.Options full = FaultSuite.Options.parse(new String[] {"--only", "scavenge"});
        FaultSuite.Options small = FaultSuite.Options.parse(new String[] {"--short"});

        assertEquals(List.of("scavenge"), full.only);
        assertEquals(100L, full.sizes.get("scavenge-streams"));
        assertEquals(20L, small.sizes.get("scavenge-streams"));
        assertEquals(300L, small.sizes.get("scavenge-bound-s"));
    }

    @Test
    void aScenariosOwnAnomaliesCountInItsVerdict() {
        Checker.Verdict clean =
                Checker.check(
                        List.of(),
                        new StoreImage(Map.of(), List.of(), List.of()),
                        new Checker.ReaderRun(List.of(), true, List.of()),
                        List.of(),
                        Checker.Rules.of(Checker.Allowed.SERVER_OUTAGE));
        Checker.Verdict more = clean.plus(List.of("a", "b"));

        assertEquals(0, clean.anomalyCount(), clean.anomalies()::toString);
        assertEquals(2, more.anomalyCount());
        assertEquals(List.of("a", "b"), more.anomalies());
        assertTrue(!more.clean());
    }

    @Test
    void theTableShowsRecoveryReadinessAndReads() {
        List<LiveReader.Read> reads =
                List.of(
                        new LiveReader.Read(0, 0, 1_000_000, 200, 3, null, null),
                        new LiveReader.Read(3, 2_000_000, 3_000_000, 503, 0, "{}", "2"));
        Checker.Rules rules =
                new Checker.Rules(
                        Checker.Allowed.DATABASE_OUTAGE,
                        Checker.DEFAULT_READ_BOUND_NANOS,
                        10_000_000_000L,
                        true);
        List<Checker.Cycle> cycles =
                List.of(
                        new Checker.Cycle(1, 1.25, true, true, true),
                        new Checker.Cycle(2, 12.0, true, false, true));
        Checker.Verdict v =
                Checker.check(
                        List.of(),
                        new StoreImage(Map.of(), List.of(), List.of()),
                        new Checker.ReaderRun(List.of(), true, reads),
                        cycles,
                        rules);
        String table =
                FaultSuite.table(
                        List.of(
                                new FaultSuite.Row(
                                        "pgstop",
                                        2,
                                        v,
                                        cycles,
                                        rules.recoveryBoundNanos(),
                                        "faults/run.sh --only pgstop",
                                        1)));

        String row = table.lines().toList().get(2);
        assertTrue(row.contains("| 12.0 s / 12.0 s |"), row); // median of two is the upper one
        assertTrue(row.contains("| 1 of 2 (bound 10 s) |"), row);
        assertTrue(row.contains("| 1/2 / 2/2 |"), row);
        assertTrue(row.contains("| 2 (503: 1) |"), row);
        assertEquals(2, v.anomalyCount(), v.anomalies()::toString); // slow, never DOWN
        assertEquals(
                table.lines().toList().get(0).chars().filter(c -> c == '|').count(),
                row.chars().filter(c -> c == '|').count());
    }
}
