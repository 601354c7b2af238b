package io.arbor.domain.groups;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * Which live consumer a stream belongs to under the {@code pinned} strategy: rendezvous (highest
 * random weight) hashing of the stream id with each consumer's name, so that a consumer joining or
 * leaving moves only the streams it gains or held, and every instance of a grid computes the same
 * owner from the same list of live consumers.
 */
public final class PinnedStreams {
    private PinnedStreams() {}

    /** The owner of {@code streamId} among {@code liveConsumers} (not empty). */
    public static String owner(String streamId, Collection<String> liveConsumers) {
        String owner = null;
        long best = 0;
        for (String consumer : liveConsumers) {
            long weight = weight(streamId, consumer);
            if (owner == null
                    || Long.compareUnsigned(weight, best) > 0
                    || (weight == best && consumer.compareTo(owner) < 0)) {
                owner = consumer;
                best = weight;
            }
        }
        if (owner == null) {
            throw new IllegalArgumentException("no live consumer");
        }
        return owner;
    }

    /** A 64-bit FNV-1a hash of the pair, finished with a mixer (stable across JVMs). */
    static long weight(String streamId, String consumer) {
        long hash = 0xcbf29ce484222325L;
        hash = fold(hash, streamId.getBytes(StandardCharsets.UTF_8));
        hash = fold(hash, new byte[] {0});
        hash = fold(hash, consumer.getBytes(StandardCharsets.UTF_8));
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        return hash ^ (hash >>> 33);
    }

    private static long fold(long hash, byte[] bytes) {
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
