package io.arbor.domain;

import io.arbor.spi.EventHash;
import java.util.List;
import java.util.UUID;

/**
 * Extends a stream's hash chain by a batch of new events (docs/tamper-evidence.md; the hash itself
 * is {@link EventHash}, shared with {@code arbor verify} and the Java client).
 */
public final class HashChain {
    private HashChain() {}

    /**
     * The hashes of {@code events}, appended to {@code stream} as versions {@code firstVersion…}
     * with {@code eventIds}, after an event whose hash is {@code previousHash} ({@link
     * EventHash#GENESIS} for a new stream). A null {@code previousHash} (a stream whose older
     * events are not chained yet) gives null hashes: there is nothing to chain from until the
     * migration has chained the stream, which then chains these events too.
     *
     * @return one hash per event, in order; the last is the stream's new head hash
     */
    public static byte[][] extend(
            byte[] previousHash,
            StreamId stream,
            long firstVersion,
            List<NewEvent> events,
            List<UUID> eventIds) {
        byte[][] hashes = new byte[events.size()][];
        if (previousHash == null) {
            return hashes;
        }
        byte[] previous = previousHash;
        for (int i = 0; i < events.size(); i++) {
            NewEvent event = events.get(i);
            previous =
                    EventHash.hash(
                            previous,
                            eventIds.get(i),
                            stream.value(),
                            firstVersion + i,
                            event.type(),
                            event.schemaVersion(),
                            event.data(),
                            event.metadata(),
                            event.tags());
            hashes[i] = previous;
        }
        return hashes;
    }
}
