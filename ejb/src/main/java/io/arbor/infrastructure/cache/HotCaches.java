package io.arbor.infrastructure.cache;

import com.hazelcast.cache.ICache;
import io.arbor.infrastructure.metrics.ArborMetrics;
import io.arbor.infrastructure.metrics.ArborMetrics.CacheName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import javax.cache.Cache;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Opens the hot caches: bounded per {@code arbor.cache.*}, with their size and eviction gauges
 * registered, or not at all when {@code arbor.cache.enabled=false}.
 */
@ApplicationScoped
public class HotCaches {
    @Inject
    @ConfigProperty(name = "arbor.cache.enabled")
    boolean enabled;

    @Inject
    @ConfigProperty(name = "arbor.cache.eviction-policy")
    String evictionPolicy;

    @Inject ArborMetrics metrics;

    /** A bounded cache without gauges, or {@code null} when caching is disabled. */
    <V> Cache<String, V> openUnmetered(String baseName, int maxEntries) {
        return enabled ? BoundedCaches.open(baseName, maxEntries, evictionPolicy) : null;
    }

    /** The cache, or {@code null} when caching is disabled. */
    <V> Cache<String, V> open(CacheName which, String baseName, int maxEntries) {
        Cache<String, V> cache = openUnmetered(baseName, maxEntries);
        if (cache == null) {
            return null;
        }
        ICache<String, V> hazelcast = cache.unwrap(ICache.class);
        Tag tag = new Tag("cache", which.tag());
        metrics.gauge(
                "arbor.cache.size",
                "Entries in the hot cache, grid-wide",
                MetricUnits.NONE,
                hazelcast::size,
                tag);
        metrics.gauge(
                "arbor.cache.evictions",
                "Entries evicted by the size bound, on this member",
                MetricUnits.NONE,
                () -> hazelcast.getLocalCacheStatistics().getCacheEvictions(),
                tag);
        return cache;
    }
}
