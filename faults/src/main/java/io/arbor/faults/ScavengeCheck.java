package io.arbor.faults;

import io.arbor.spi.EventHash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The checks of the {@code scavenge} scenario (a {@code kill -9} of the server while a scavenge
 * runs): what the seeded streams must hold once the scavenge has finished after the restart, and
 * whether the kill landed mid-scavenge at all. The writers' own events are held to {@link Checker}
 * as in every scenario; this class looks only at the streams the scenario seeded and hid.
 *
 * <p>It proves, for every seeded stream: its rows in {@code events} are exactly the versions no
 * rule hides ({@code firstKept..head}, each once), so every hidden event is gone and every visible
 * one is still there; the hash chain of what remains verifies from the stream's chain anchor
 * ({@code stream_chain_anchors}, the hash of version {@code firstKept - 1}) or from the genesis
 * hash when nothing was removed; a deleted stream's row (its tombstone) is still there. And of the
 * job: it was running and had removed some but not all hidden events when the server was killed;
 * after the restart it reached {@code done} within the bound; its {@code eventsRemoved} is the
 * number of hidden events seeded.
 */
public final class ScavengeCheck {
    private ScavengeCheck() {}

    /** How a seeded stream is hidden: each kind is one retention rule set with SQL. */
    public enum Rule {
        /** {@code deleted = 'hard'}, {@code truncate_before = head + 1}: a tombstone. */
        HARD_DELETED,
        /** {@code deleted = 'soft'}, {@code truncate_before = head + 1}. */
        SOFT_DELETED,
        /** {@code truncate_before = head / 2 + 1}: the first half hidden. */
        TRUNCATED,
        /** {@code max_count = 10}: all but the last ten hidden. */
        MAX_COUNT,
        /** No rule: nothing hidden, nothing may be removed. */
        UNTOUCHED;

        /** The first version no rule hides, for a stream at {@code head}. */
        public long firstKept(long head) {
            return switch (this) {
                case HARD_DELETED, SOFT_DELETED -> head + 1;
                case TRUNCATED -> head / 2 + 1;
                case MAX_COUNT -> Math.max(1, head - MAX_COUNT_KEPT + 1);
                case UNTOUCHED -> 1;
            };
        }

        /** Whether the stream row must survive as a deleted stream (a tombstone). */
        public boolean deleted() {
            return deletedState() != null;
        }

        /** The {@code streams.deleted} value of the rule ({@code hard}, {@code soft}), or null. */
        public String deletedState() {
            return switch (this) {
                case HARD_DELETED -> "hard";
                case SOFT_DELETED -> "soft";
                default -> null;
            };
        }
    }

    /** The {@code max_count} of {@link Rule#MAX_COUNT} streams. */
    public static final long MAX_COUNT_KEPT = 10;

    /** One seeded stream: its id, head version and rule. */
    public record Seeded(String streamId, long head, Rule rule) {
        long firstKept() {
            return rule.firstKept(head);
        }

        long hidden() {
            return firstKept() - 1;
        }
    }

    /** One row of {@code events} as the chain check needs it, read after the scavenge. */
    public record Row(
            UUID eventId,
            long version,
            String type,
            int schemaVersion,
            String data,
            String metadata,
            List<String> tags,
            byte[] hash) {}

    /**
     * What a seeded stream holds after the scavenge.
     *
     * @param streamId the stream
     * @param rows its rows in {@code events}, by version
     * @param anchorVersion the version of its {@code stream_chain_anchors} row, 0 when none
     * @param anchorHash that row's hash (null when none or unhashed)
     * @param deletedState its {@code streams.deleted} ({@code soft}, {@code hard} or null), or
     *     {@code "missing"} when its row is gone
     */
    public record Stored(
            String streamId,
            List<Row> rows,
            long anchorVersion,
            byte[] anchorHash,
            String deletedState) {}

    /**
     * The job as the suite saw it.
     *
     * @param stateAtKill the job's state in the last answer before the kill
     * @param removedAtKill its {@code eventsRemoved} then
     * @param finalState its state when the suite stopped waiting after the restart
     * @param finalRemoved its {@code eventsRemoved} then
     * @param secondsToDone from the restart command to the first answer {@code done}; NaN when none
     *     came within the bound
     */
    public record Job(
            String stateAtKill,
            long removedAtKill,
            String finalState,
            long finalRemoved,
            double secondsToDone) {}

    /** The hidden events of the seeded streams: what the scavenge must remove, no more. */
    public static long hidden(List<Seeded> seeded) {
        return seeded.stream().mapToLong(Seeded::hidden).sum();
    }

    /** Every anomaly found, described; empty when the scavenge did exactly its job. */
    public static List<String> check(
            List<Seeded> seeded, Map<String, Stored> stored, Job job, double boundSeconds) {
        List<String> anomalies = new ArrayList<>();
        long hidden = hidden(seeded);
        if (!"running".equals(job.stateAtKill())
                || job.removedAtKill() <= 0
                || job.removedAtKill() >= hidden) {
            anomalies.add(
                    String.format(
                            Locale.ROOT,
                            "the kill did not land mid-scavenge: the job was %s with %d of %d hidden"
                                    + " events removed",
                            job.stateAtKill(),
                            job.removedAtKill(),
                            hidden));
        }
        if (!"done".equals(job.finalState()) || Double.isNaN(job.secondsToDone())) {
            anomalies.add(
                    String.format(
                            Locale.ROOT,
                            "the scavenge did not finish after the restart: %s with %d events"
                                    + " removed %.0f s after it",
                            job.finalState(),
                            job.finalRemoved(),
                            boundSeconds));
        } else if (job.finalRemoved() != hidden) {
            anomalies.add(
                    String.format(
                            Locale.ROOT,
                            "the finished job counts %d events removed, but %d were hidden",
                            job.finalRemoved(),
                            hidden));
        }
        for (Seeded s : seeded) {
            Stored st = stored.get(s.streamId());
            if (st == null) {
                anomalies.add(s.streamId() + " (" + s.rule() + "): not read back");
                continue;
            }
            anomalies.addAll(rows(s, st));
            if (s.rule().deleted() && !s.rule().deletedState().equals(st.deletedState())) {
                anomalies.add(
                        String.format(
                                "%s (%s): its stream row says deleted=%s after the scavenge",
                                s.streamId(), s.rule(), st.deletedState()));
            }
            // The chain of what must remain; hidden rows still stored are reported above.
            List<Row> kept = st.rows().stream().filter(r -> r.version() >= s.firstKept()).toList();
            if (kept.isEmpty()
                    && s.hidden() > 0
                    && (st.anchorVersion() != s.hidden() || st.anchorHash() == null)) {
                anomalies.add(
                        String.format(
                                Locale.ROOT,
                                "%s (%s): chain anchor at version %d (%s), not at %d, the last"
                                        + " version removed",
                                s.streamId(),
                                s.rule(),
                                st.anchorVersion(),
                                st.anchorHash() == null ? "no hash" : "hashed",
                                s.hidden()));
            }
            if (!kept.isEmpty()) {
                String broken = chainBreak(kept, st.anchorVersion(), st.anchorHash(), s.streamId());
                if (broken != null) {
                    anomalies.add(s.streamId() + " (" + s.rule() + "): " + broken);
                }
            }
        }
        return anomalies;
    }

    /** The stream's rows must be exactly {@code firstKept..head}, each once. */
    private static List<String> rows(Seeded s, Stored st) {
        List<String> out = new ArrayList<>();
        long stillHidden = st.rows().stream().filter(r -> r.version() < s.firstKept()).count();
        if (stillHidden > 0) {
            out.add(
                    String.format(
                            Locale.ROOT,
                            "%s (%s): %d hidden events still stored (versions below %d)",
                            s.streamId(),
                            s.rule(),
                            stillHidden,
                            s.firstKept()));
        }
        List<Long> kept =
                st.rows().stream()
                        .map(Row::version)
                        .filter(v -> v >= s.firstKept() && v <= s.head())
                        .toList();
        long expected = s.head() - s.firstKept() + 1;
        boolean exact = kept.size() == expected;
        for (int i = 0; exact && i < kept.size(); i++) {
            exact = kept.get(i) == s.firstKept() + i;
        }
        if (!exact) {
            out.add(
                    String.format(
                            Locale.ROOT,
                            "%s (%s): %d visible events stored, versions %d..%d expected once each"
                                    + " (%d)",
                            s.streamId(),
                            s.rule(),
                            kept.size(),
                            s.firstKept(),
                            s.head(),
                            expected));
        }
        long beyond = st.rows().stream().filter(r -> r.version() > s.head()).count();
        if (beyond > 0) {
            out.add(s.streamId() + ": " + beyond + " events above its seeded head " + s.head());
        }
        return out;
    }

    /**
     * Recomputes the chain of a stream's remaining rows from its anchor (the hash of the version
     * before the first row) or, when the first row is version 1, from the genesis hash; the first
     * row whose stored hash differs is the break, described; null when it verifies.
     */
    static String chainBreak(List<Row> rows, long anchorVersion, byte[] anchorHash, String stream) {
        Row first = rows.get(0);
        byte[] previous;
        if (first.version() == 1) {
            previous = EventHash.GENESIS;
        } else if (anchorVersion != first.version() - 1 || anchorHash == null) {
            return String.format(
                    Locale.ROOT,
                    "no chain anchor for version %d (anchor row: version %d, %s): the chain cannot"
                            + " be verified from version %d",
                    first.version() - 1,
                    anchorVersion,
                    anchorHash == null ? "no hash" : "a hash",
                    first.version());
        } else {
            previous = anchorHash;
        }
        long expectedVersion = first.version();
        for (Row r : rows) {
            if (r.version() != expectedVersion) {
                return "chain has a gap before version " + r.version();
            }
            byte[] computed =
                    EventHash.hash(
                            previous,
                            r.eventId(),
                            stream,
                            r.version(),
                            r.type(),
                            r.schemaVersion(),
                            r.data(),
                            r.metadata(),
                            r.tags());
            if (r.hash() == null || !Arrays.equals(computed, r.hash())) {
                return "hash chain broken at version " + r.version();
            }
            previous = computed;
            expectedVersion++;
        }
        return null;
    }
}
