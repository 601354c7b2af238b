package io.arbor.infrastructure.cache;

import io.arbor.domain.OutgoingEvent;
import io.arbor.domain.RecordedEvent;
import io.arbor.domain.StreamId;
import io.arbor.domain.Tenant;
import io.arbor.infrastructure.metrics.ArborMetrics;
import io.arbor.infrastructure.metrics.ArborMetrics.CacheName;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.cache.Cache;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A stream's events in chunks of {@code arbor.cache.chunk-size} versions: chunk {@code k} holds
 * versions {@code k·size+1} up to at most {@code (k+1)·size}. A cached chunk is always a prefix of
 * its versions as committed, and committed events never change, so an entry can be short (the
 * stream has grown since) but never wrong. A read takes what the chunks cover and loads the rest of
 * each chunk it touches from PostgreSQL, up to the head the caller read, and caches that when it is
 * a prefix: a load with gaps (versions hidden by a stream's retention, or removed by scavenging:
 * docs/lifecycle.md) is served and not cached. So a cached chunk may hold versions that a stream's
 * rules hide now; the reader clips every page by those rules ({@code EventReader}).
 */
@ApplicationScoped
public class EventChunkCache {
    /** Loads versions {@code from…to} of one stream, ascending, from the database. */
    @FunctionalInterface
    public interface Loader {
        List<RecordedEvent> load(long from, long to);
    }

    @Inject
    @ConfigProperty(name = "arbor.cache.chunk-size")
    int chunkSize;

    @Inject
    @ConfigProperty(name = "arbor.cache.events.max-chunks")
    int maxChunks;

    @Inject StoreEpoch epoch;
    @Inject HotCaches caches;
    @Inject ArborMetrics metrics;

    private Cache<String, byte[]> chunks;

    void openAtStartup(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // Observing start-up creates the bean then, so the cache and its gauges exist from the
        // start.
    }

    @PostConstruct
    void open() {
        // The chunk format and the chunk size are part of the name: an entry of another format, or
        // of chunks of another size (a key says "chunk k", not which versions), is never read.
        chunks =
                caches.open(
                        CacheName.EVENTS,
                        "arbor-event-chunks-v" + EventCodec.FORMAT + "-" + chunkSize,
                        maxChunks);
    }

    /**
     * Versions {@code from…to} of the tenant's {@code stream}, ascending; {@code to} must not pass
     * the head the caller read from the database. With {@code bypass}, reads the database only.
     */
    public List<OutgoingEvent> versions(
            Tenant tenant, StreamId stream, long from, long to, boolean bypass, Loader loader) {
        if (chunks == null || bypass) {
            return Collections.unmodifiableList(loader.load(from, to));
        }
        List<OutgoingEvent> result = new ArrayList<>((int) (to - from + 1));
        for (long chunk = (from - 1) / chunkSize; chunk <= (to - 1) / chunkSize; chunk++) {
            long chunkFirst = chunk * chunkSize + 1;
            long wantedFirst = Math.max(from, chunkFirst);
            long wantedLast = Math.min(to, chunkFirst + chunkSize - 1);
            int needed = (int) (wantedLast - chunkFirst + 1);
            String key = key(tenant, stream, chunk);
            byte[] cached = chunks.get(key);
            List<? extends OutgoingEvent> prefix;
            if (cached != null && EventCodec.count(cached) >= needed) {
                metrics.cacheHit(CacheName.EVENTS);
                prefix = EventCodec.events(cached, stream, chunkFirst, needed);
            } else {
                metrics.cacheMiss(CacheName.EVENTS);
                List<RecordedEvent> loaded = loader.load(chunkFirst, wantedLast);
                if (!isPrefix(loaded, chunkFirst, wantedLast)) {
                    // The database returned the chunk with gaps: versions that a stream's
                    // retention hides (the loader reads visible_events) or that scavenging removed
                    // (docs/lifecycle.md). Served, never cached: an entry is a prefix.
                    loaded.stream()
                            .filter(event -> event.version() >= wantedFirst)
                            .forEach(result::add);
                    continue;
                }
                chunks.put(key, EventCodec.encode(loaded));
                prefix = loaded;
            }
            result.addAll(prefix.subList((int) (wantedFirst - chunkFirst), prefix.size()));
        }
        return result;
    }

    /** Whether {@code loaded} is every version from {@code first} to {@code last}, ascending. */
    private static boolean isPrefix(List<RecordedEvent> loaded, long first, long last) {
        return loaded.size() == last - first + 1
                && loaded.get(0).version() == first
                && loaded.get(loaded.size() - 1).version() == last;
    }

    /** A tenant has no space in its name, so the key names one tenant's chunk unambiguously. */
    private String key(Tenant tenant, StreamId stream, long chunk) {
        return epoch.value() + ' ' + tenant.value() + ' ' + stream.value() + ' ' + chunk;
    }
}
