package io.arbor.infrastructure.cache;

import com.hazelcast.config.CacheConfig;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import io.arbor.infrastructure.grid.DataGrid;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Opens a JCache cache on Payara's Hazelcast provider with a bound: at most {@code maxEntries}
 * entries per grid member, evicted by {@code policy} (LRU or LFU). JCache itself has no size bound,
 * so the Hazelcast {@link CacheConfig} carries it, translated by {@link #hazelcastSizeFor} so that
 * the bound holds.
 *
 * <p>A cache's configuration is fixed grid-wide by whoever creates it first, so the bound is part
 * of the cache's name ({@code arbor-event-chunks.10000.LRU}): a changed bound opens a new cache
 * instead of silently keeping the old one. Every instance of one grid must use the same {@code
 * arbor.cache.*} values; a superseded cache keeps its (bounded) entries until the grid restarts.
 */
final class BoundedCaches {
    private BoundedCaches() {}

    /**
     * Payara's own manager, bound to its data grid. {@code Caching.getCachingProvider()} would not
     * do: inside an application it bootstraps a separate Hazelcast member with default settings,
     * outside the grid (it tried to join 127.0.0.1:5701-5703 and failed the deploy).
     */
    private static CacheManager payaraCacheManager() {
        try {
            return (CacheManager) new InitialContext().lookup("payara/CacheManager");
        } catch (NamingException missing) {
            throw new IllegalStateException(
                    "Payara's data grid cache manager is not available", missing);
        }
    }

    /**
     * The Hazelcast size that keeps the cache at or under {@code bound} entries per member.
     * Hazelcast enforces ENTRY_COUNT per partition, with head-room for uneven spreading: a
     * partition may hold {@code floor(sqrt(b)·m + b)} entries, {@code b = size / partitions},
     * {@code m} 5 up to 4,000 entries and 3 above (EntryCountCacheEvictionChecker). Asked for 1,000
     * it keeps up to about 3,500. So we ask for the largest size whose worst case fits the bound;
     * no less than one entry per partition, so bounds under the partition count (271) hold 271.
     */
    static int hazelcastSizeFor(int bound, int partitions) {
        for (int size = bound; size > 1; size--) {
            int perPartition = perPartitionLimit(size, partitions);
            if (perPartition >= 1 && (long) perPartition * partitions <= bound) {
                return size;
            }
        }
        for (int size = 1; ; size++) {
            if (perPartitionLimit(size, partitions) >= 1) {
                return size;
            }
        }
    }

    private static int perPartitionLimit(int size, int partitions) {
        double balanced = (double) size / partitions;
        int multiplier = size <= 4_000 ? 5 : size <= 1_000_000 ? 3 : 0;
        return (int) (Math.sqrt(balanced) * multiplier + balanced);
    }

    private static int partitionCount() {
        return DataGrid.member().getPartitionService().getPartitions().size();
    }

    static <V> Cache<String, V> open(String baseName, int maxEntries, String policy) {
        String name = baseName + '.' + maxEntries + '.' + policy;
        CacheManager manager = payaraCacheManager();
        Cache<String, V> existing = manager.getCache(name);
        if (existing != null) {
            return existing;
        }
        CacheConfig<String, V> config = new CacheConfig<>(name);
        config.setStatisticsEnabled(true);
        config.setManagementEnabled(true);
        config.setEvictionConfig(
                new EvictionConfig()
                        .setSize(hazelcastSizeFor(maxEntries, partitionCount()))
                        .setMaxSizePolicy(MaxSizePolicy.ENTRY_COUNT)
                        .setEvictionPolicy(EvictionPolicy.valueOf(policy)));
        // After a split of the grid heals, the merging side's entries are dropped, not merged:
        // immutable entries are only missed, and committed heads from a side that missed writes
        // must not come back (CommittedHeads also clears them when a member joins).
        config.setMergePolicyConfig(new MergePolicyConfig(DiscardMergePolicy.class.getName(), 100));
        try {
            return manager.createCache(name, config);
        } catch (CacheException createdMeanwhile) {
            return manager.getCache(name);
        }
    }
}
