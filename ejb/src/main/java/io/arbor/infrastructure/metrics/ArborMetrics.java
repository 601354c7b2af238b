package io.arbor.infrastructure.metrics;

import io.arbor.domain.Tenant;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The application's own metrics, registered once; the one place their names are spelled.
 *
 * <p>Latencies are histograms in microseconds rather than MicroProfile timers: Payara 6.2025.9
 * exports a timer's quantiles in nanoseconds under a {@code _seconds} name while its sum and max
 * are in seconds (fixed upstream as FISH-13137), which would make every dashboard and alert either
 * wrong now or wrong after an upgrade. A unit-free histogram is exported as recorded.
 */
@ApplicationScoped
public class ArborMetrics {
    /** Which cache a hit or miss concerns. */
    public enum CacheName {
        EVENTS,
        SNAPSHOTS,
        SCHEMAS,
        HEADS;

        /** The value of the {@code cache} tag. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Which read a latency concerns. */
    public enum ReadKind {
        STREAM,
        GLOBAL_LOG,
        /** A query by tags and types ({@code POST /events/query}, {@code GET /events?tag=}). */
        QUERY,
        SNAPSHOT,
        /** A live subscription's catch-up, or the tailer its instance's subscriptions share. */
        SUBSCRIPTION,
        /** A consumer group's fetch, or its parked list. */
        GROUP;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a consumer group counts, per group (tag {@code group}). */
    public enum GroupCount {
        DELIVERED(
                "arbor.group.delivered",
                "Events leased to the group's consumers, redeliveries included"),
        ACKED("arbor.group.acked", "Events the group's consumers acknowledged"),
        NACKED(
                "arbor.group.nacked",
                "Events the group's consumers gave back (retry, park or skip)"),
        PARKED("arbor.group.parked", "Events the group parked (nacked, or out of retries)"),
        REDELIVERED(
                "arbor.group.redelivered",
                "Leases of the group that expired unacknowledged (each event goes out again)");

        private final Metadata metadata;

        GroupCount(String name, String description) {
            this.metadata = meta(name, description, MetricUnits.NONE);
        }
    }

    @Inject MetricRegistry registry;

    private Histogram appendLatency;
    private Counter eventsAppended;
    private Counter appendConflicts;
    private Counter appendRetries;
    // Resolved once here: a registry lookup (and a new Metadata) per read or cache lookup would sit
    // on the hot path.
    private final Map<ReadKind, Histogram> readLatency = new EnumMap<>(ReadKind.class);
    private final Map<CacheName, Counter> cacheHits = new EnumMap<>(CacheName.class);
    private final Map<CacheName, Counter> cacheMisses = new EnumMap<>(CacheName.class);
    private final AtomicLong lastServedLogPosition = new AtomicLong();
    private Counter subscriptionEventsDelivered;
    private Counter subscriptionDrops;
    private Counter gridAppendNotices;
    private Counter scavengedEvents;
    private Counter scavengedSnapshots;
    private Counter scavengeBatches;
    private Counter archivedEventsRead;

    @PostConstruct
    void register() {
        appendLatency =
                registry.histogram(
                        meta(
                                "arbor.append.latency.microseconds",
                                "Time to answer one append, conflicts included, in microseconds",
                                MetricUnits.NONE));
        eventsAppended =
                registry.counter(
                        meta(
                                "arbor.events.appended",
                                "Events written by appends",
                                MetricUnits.NONE));
        appendConflicts =
                registry.counter(
                        meta(
                                "arbor.append.conflicts",
                                "Appends refused with 409: wrong expected version or reused event ids",
                                MetricUnits.NONE));
        appendRetries =
                registry.counter(
                        meta(
                                "arbor.append.retries",
                                "Append attempts that lost a race to a concurrent append and ran again",
                                MetricUnits.NONE));
        Metadata readMeta =
                meta(
                        "arbor.read.latency.microseconds",
                        "Time to answer one read, in microseconds",
                        MetricUnits.NONE);
        for (ReadKind kind : ReadKind.values()) {
            readLatency.put(kind, registry.histogram(readMeta, new Tag("kind", kind.tag())));
        }
        Metadata hitMeta =
                meta("arbor.cache.hits", "Lookups answered by the hot cache", MetricUnits.NONE);
        Metadata missMeta =
                meta(
                        "arbor.cache.misses",
                        "Lookups the hot cache could not answer",
                        MetricUnits.NONE);
        for (CacheName cache : CacheName.values()) {
            Tag tag = new Tag("cache", cache.tag());
            cacheHits.put(cache, registry.counter(hitMeta, tag));
            cacheMisses.put(cache, registry.counter(missMeta, tag));
        }
        subscriptionEventsDelivered =
                registry.counter(
                        meta(
                                "arbor.subscriptions.events.delivered",
                                "Event frames sent to live subscribers on this instance",
                                MetricUnits.NONE));
        subscriptionDrops =
                registry.counter(
                        meta(
                                "arbor.subscriptions.drops",
                                "Live subscriptions ended with a dropped frame (a subscriber"
                                        + " too slow for its buffer, or the store unavailable)",
                                MetricUnits.NONE));
        gridAppendNotices =
                registry.counter(
                        meta(
                                "arbor.subscriptions.grid.notices",
                                "Appends on other instances that this instance heard of through"
                                        + " the data grid (each wakes its live subscriptions' tailer)",
                                MetricUnits.NONE));
        scavengedEvents =
                registry.counter(
                        meta(
                                "arbor.scavenge.events.removed",
                                "Hidden events that scavenge jobs on this instance removed",
                                MetricUnits.NONE));
        scavengedSnapshots =
                registry.counter(
                        meta(
                                "arbor.scavenge.snapshots.removed",
                                "Snapshots that scavenge jobs on this instance removed",
                                MetricUnits.NONE));
        scavengeBatches =
                registry.counter(
                        meta(
                                "arbor.scavenge.batches",
                                "Scavenge batches committed on this instance (each one short"
                                        + " transaction)",
                                MetricUnits.NONE));
        archivedEventsRead =
                registry.counter(
                        meta(
                                "arbor.archive.events.read",
                                "Events that reads on this instance took from archive segments"
                                        + " (docs/archive.md)",
                                MetricUnits.NONE));
    }

    public <T> T timeAppend(Supplier<T> append) {
        long started = System.nanoTime();
        try {
            return append.get();
        } finally {
            appendLatency.update((System.nanoTime() - started) / 1_000);
        }
    }

    public <T> T timeRead(ReadKind kind, Supplier<T> read) {
        long started = System.nanoTime();
        try {
            return read.get();
        } finally {
            readLatency.get(kind).update((System.nanoTime() - started) / 1_000);
        }
    }

    public void appended(int events) {
        eventsAppended.inc(events);
    }

    public void conflict() {
        appendConflicts.inc();
    }

    public void retried() {
        appendRetries.inc();
    }

    public void cacheHit(CacheName cache) {
        cacheHits.get(cache).inc();
    }

    public void cacheMiss(CacheName cache) {
        cacheMisses.get(cache).inc();
    }

    public void subscriptionEventDelivered() {
        subscriptionEventsDelivered.inc();
    }

    public void gridAppendNoticed() {
        gridAppendNotices.inc();
    }

    /** A scavenge batch committed, having removed these events and snapshots. */
    /** Reads took {@code events} events from archive segments. */
    public void archivedEventsRead(long events) {
        archivedEventsRead.inc(events);
    }

    public void scavenged(long events, long snapshots) {
        scavengeBatches.inc();
        scavengedEvents.inc(events);
        scavengedSnapshots.inc(snapshots);
    }

    public void subscriptionDropped() {
        subscriptionDrops.inc();
    }

    /**
     * Counts {@code n} events of the tenant's {@code group} (registering the counter at 0 when n is
     * 0).
     */
    public void groupCount(Tenant tenant, String group, GroupCount count, long n) {
        Counter counter = registry.counter(count.metadata, groupTags(tenant, group));
        if (n > 0) {
            counter.inc(n);
        }
    }

    /** Removes every counter of the tenant's {@code group} (it was deleted). */
    public void forgetGroupCounts(Tenant tenant, String group) {
        for (GroupCount count : GroupCount.values()) {
            registry.remove(new MetricID(count.metadata.getName(), groupTags(tenant, group)));
        }
    }

    /**
     * The tags of a group's metrics: its name and its tenant (two tenants' groups may share one).
     */
    public static Tag[] groupTags(Tenant tenant, String group) {
        return new Tag[] {new Tag("group", group), new Tag("tenant", tenant.value())};
    }

    /** Remembers the end of the latest global-log page served, for the reader-lag gauge. */
    public void servedLogUpTo(long lastPosition) {
        lastServedLogPosition.accumulateAndGet(lastPosition, Math::max);
    }

    public long lastServedLogPosition() {
        return lastServedLogPosition.get();
    }

    /** Registers a gauge; {@code value} is read on every scrape. */
    public void gauge(
            String name, String description, String unit, Supplier<Number> value, Tag... tags) {
        registry.gauge(meta(name, description, unit), value, Supplier::get, tags);
    }

    /** Removes a gauge registered by {@link #gauge}. */
    public void removeGauge(String name, Tag... tags) {
        registry.remove(new MetricID(name, tags));
    }

    static Metadata meta(String name, String description, String unit) {
        return Metadata.builder()
                .withName(name)
                .withDescription(description)
                .withUnit(unit)
                .build();
    }
}
