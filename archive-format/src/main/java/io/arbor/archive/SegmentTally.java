package io.arbor.archive;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a manifest says of a segment's events besides its blocks (the count, tenants, recording
 * times, streams), tallied from the events in position order: the writer builds the manifest from
 * it, the verifier compares the manifest with it. One definition, so the two cannot drift.
 */
final class SegmentTally {
    private final TreeSet<String> tenants = new TreeSet<>();
    private final Map<List<String>, Stream> streams = new HashMap<>();
    private long events;
    private Instant minRecordedAt;
    private Instant maxRecordedAt;

    /** The last event of a stream tallied so far. */
    record Last(long version, String hash) {}

    private static final class Stream {
        final String tenant;
        final String streamId;
        final long firstVersion;
        final List<Integer> blocks = new ArrayList<>();
        long events;
        long lastVersion;
        Last last;

        Stream(String tenant, String streamId, long firstVersion) {
            this.tenant = tenant;
            this.streamId = streamId;
            this.firstVersion = firstVersion;
        }
    }

    /**
     * Tallies {@code event}, found in block {@code block}.
     *
     * @return the last event of its stream before it in the segment; null for the stream's first
     */
    Last add(ArchivedEvent event, int block) {
        events++;
        tenants.add(event.tenant());
        if (minRecordedAt == null || event.recordedAt().isBefore(minRecordedAt)) {
            minRecordedAt = event.recordedAt();
        }
        if (maxRecordedAt == null || event.recordedAt().isAfter(maxRecordedAt)) {
            maxRecordedAt = event.recordedAt();
        }
        Stream stream =
                streams.computeIfAbsent(
                        List.of(event.tenant(), event.streamId()),
                        key -> new Stream(event.tenant(), event.streamId(), event.version()));
        Last previous = stream.last;
        stream.events++;
        stream.last = new Last(event.version(), event.hash());
        stream.lastVersion = event.version();
        if (stream.blocks.isEmpty() || stream.blocks.get(stream.blocks.size() - 1) != block) {
            stream.blocks.add(block);
        }
        return previous;
    }

    /**
     * Forgets each stream's last event: after a block that could not be read, the next events'
     * predecessors are unknown, and a "gap" or broken link across that block would be noise.
     */
    void forgetLastEvents() {
        streams.values().forEach(stream -> stream.last = null);
    }

    long events() {
        return events;
    }

    List<String> tenants() {
        return List.copyOf(tenants);
    }

    Instant minRecordedAt() {
        return minRecordedAt;
    }

    Instant maxRecordedAt() {
        return maxRecordedAt;
    }

    /** Each stream's range, in the manifest's order (tenant, then stream id). */
    List<SegmentManifest.StreamRange> streams() {
        return streams.values().stream()
                .map(
                        stream ->
                                new SegmentManifest.StreamRange(
                                        stream.tenant,
                                        stream.streamId,
                                        stream.firstVersion,
                                        stream.lastVersion,
                                        stream.events,
                                        stream.blocks))
                .sorted(SegmentManifest.STREAM_ORDER)
                .toList();
    }
}
