package io.arbor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The progress lines of export, import and verify: done/total, rate, ETA. */
class ProgressTest {
    private static final long SECOND = 1_000_000_000L;

    private final long[] now = {0};
    private final StringWriter err = new StringWriter();

    private Progress progress(long total, boolean terminal) {
        return new Progress(new PrintWriter(err, true), "export", total, terminal, () -> now[0]);
    }

    @Test
    void aProgressLineCarriesTheRateAndTheEta() {
        Progress progress = progress(10_000, false);
        now[0] = 4 * SECOND;
        progress.advance(1_000);
        assertEquals("", err.toString(), "not a terminal: a line every 5 s, not more often");
        now[0] = 5 * SECOND;
        progress.advance(1_500);
        assertEquals(
                "export 2500/10000 (25%)  500/s  ETA 0m15s" + System.lineSeparator(),
                err.toString());
        assertTrue(
                err.toString()
                        .strip()
                        .matches("export \\d+/\\d+ \\(\\d+%\\)  \\d+/s  ETA \\d+m\\d\\ds"),
                err.toString());
    }

    @Test
    void theLastLineGivesTheElapsedTimeAndLongEtasHaveHours() {
        Progress progress = progress(10_000_000, false);
        now[0] = 5 * SECOND;
        progress.advance(1_000);
        assertTrue(err.toString().contains("200/s  ETA 13h53m"), err.toString());
        now[0] = 20 * SECOND;
        progress.total(1_000);
        progress.finish();
        assertTrue(
                err.toString()
                        .endsWith("export 1000/1000 (100%)  50/s  0m20s" + System.lineSeparator()),
                err.toString());
    }

    @Test
    void aTerminalGetsABarRedrawnInPlace() {
        Progress progress = progress(100, true);
        now[0] = SECOND;
        progress.advance(50);
        assertEquals(
                "\rexport [###############...............] 50/100 (50%)  50/s  ETA 0m01s   ",
                err.toString());
    }

    @Test
    void anUnknownTotalShowsTheCountAndRate() {
        Progress progress = progress(0, false);
        now[0] = 10 * SECOND;
        progress.advance(70);
        assertEquals("export 70  7/s  0m10s", progress.line(false));
    }
}
