package io.arbor.application;

import io.arbor.application.StreamHeads.Heads;
import io.arbor.domain.EventNotFoundException;
import io.arbor.domain.EventQuery;
import io.arbor.domain.GlobalLogPage;
import io.arbor.domain.GlobalLogQuery;
import io.arbor.domain.LogRange;
import io.arbor.domain.OutgoingEvent;
import io.arbor.domain.ReadDirection;
import io.arbor.domain.RecordedEvent;
import io.arbor.domain.StoreLogRange;
import io.arbor.domain.StreamDetails;
import io.arbor.domain.StreamId;
import io.arbor.domain.StreamInfo;
import io.arbor.domain.StreamLifecycle;
import io.arbor.domain.StreamListQuery;
import io.arbor.domain.StreamNotFoundException;
import io.arbor.domain.StreamSlice;
import io.arbor.domain.Tenant;
import io.arbor.domain.TenantEvent;
import io.arbor.domain.schema.SchemaRegistryState;
import io.arbor.infrastructure.cache.EventChunkCache;
import io.arbor.infrastructure.cache.SchemaRegistryCache;
import io.arbor.infrastructure.jpa.EventRows;
import io.arbor.infrastructure.jpa.GlobalLogSequencer;
import io.arbor.infrastructure.jpa.ReadProbe.Probe;
import io.arbor.infrastructure.jpa.SchemaRows;
import io.arbor.infrastructure.jpa.StreamRows;
import io.arbor.infrastructure.jpa.TenantSetting;
import io.arbor.infrastructure.jpa.TranslatesStoreFailures;
import io.arbor.infrastructure.metrics.ArborMetrics;
import io.arbor.infrastructure.metrics.ArborMetrics.ReadKind;
import io.arbor.spi.EventHash;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The read side of the event store: a stream, a stream's head, the global log, the stream listing,
 * one event by id (appends are {@link EventStore}'s, one JTA transaction each), each of one tenant.
 * Every read runs in a transaction of its own (or the caller's): row-level security is set per
 * transaction ({@link TenantSetting}), and a read outside one could not be given its tenant. The
 * transaction costs a local commit, and only when the read reached the database. It is an EJB, not
 * a plain CDI bean: the EntityManager of the ejb module's persistence unit resolves only in a call
 * that runs in the ejb module, and a CDI bean called from the WAR runs in the WAR's ("Unable to
 * retrieve EntityManagerFactory for unitName arbor", tried).
 *
 * <p>Every stream read first takes the stream's head and the schema registry's generation ({@link
 * StreamHeads#forRead}: from the data grid when it vouches for them, else from PostgreSQL). The
 * page never reaches past that head, so a reader on any instance sees at least every version
 * acknowledged before its read began, and events are upcast with a registry no older than any
 * acknowledged change. The cache holds events as stored; upcasting happens after it, so a cached
 * page and a page from the database leave the server identical. A stream's lifecycle (rules and
 * deletion, docs/lifecycle.md) comes with its head: a page starts at the first visible version, and
 * a page from the cache is clipped by the same rule as the view {@code visible_events}.
 */
@Stateless
@TranslatesStoreFailures
public class EventReader {
    @Inject StreamHeads heads;
    @Inject StreamRows streams;
    @Inject EventRows events;
    @Inject GlobalLogSequencer sequencer;
    @Inject EventChunkCache cache;
    @Inject SchemaRows schemaRows;
    @Inject SchemaRegistryCache registries;
    @Inject EventSchemas schemas;
    @Inject ArborMetrics metrics;

    /**
     * The stream's head, its first visible version and the hash its chain continues from ({@link
     * StreamDetails}): 404 when it does not exist or is soft-deleted, 410 when hard-deleted.
     */
    public StreamDetails info(Tenant tenant, StreamId stream) {
        Probe probed = heads.info(tenant, stream);
        StreamInfo head = probed.stream().orElseThrow(() -> new StreamNotFoundException(stream));
        probed.lifecycle().checkReadable(stream);
        long first = probed.firstVersion();
        byte[] previous =
                first == 1 ? EventHash.GENESIS : streams.hashAt(tenant, stream, first - 1);
        return new StreamDetails(head, first, previous == null ? null : EventHash.toHex(previous));
    }

    /**
     * Refuses a live subscription to a stream that does not exist or is deleted (404, 410), before
     * it starts; its catch-up then reads the stream as {@link #read} does.
     */
    public void checkReadable(Tenant tenant, StreamId stream) {
        info(tenant, stream);
    }

    /** The tenant's stream's version; 0 when it does not exist. */
    public long version(Tenant tenant, StreamId stream) {
        return streams.version(tenant, stream);
    }

    /**
     * Reads up to {@code limit} events of one stream from version {@code from} (forward: default 1;
     * backward: default the head), never past the head taken first.
     *
     * @param bypassCache read the database only (a client's {@code Cache-Control: no-cache})
     * @param upcast bring each event's data up to its type's latest schema version ({@code false}:
     *     as stored)
     */
    public StreamSlice read(
            Tenant tenant,
            StreamId stream,
            Long from,
            int limit,
            ReadDirection direction,
            boolean bypassCache,
            boolean upcast) {
        return metrics.timeRead(
                ReadKind.STREAM,
                () -> readSlice(tenant, stream, from, limit, direction, bypassCache, upcast));
    }

    private StreamSlice readSlice(
            Tenant tenant,
            StreamId stream,
            Long from,
            int limit,
            ReadDirection direction,
            boolean bypassCache,
            boolean upcast) {
        Heads probed = heads.forRead(tenant, stream, bypassCache);
        if (!probed.streamExists()) {
            throw new StreamNotFoundException(stream);
        }
        StreamLifecycle lifecycle = probed.lifecycle();
        lifecycle.checkReadable(stream);
        long head = probed.version();
        long visible = probed.firstVersion(); // versions below it are hidden (or removed)
        long first;
        long last;
        if (direction == ReadDirection.FORWARD) {
            first = Math.max(visible, from == null ? 1 : from);
            last = Math.min(head, first + limit - 1);
        } else {
            last = Math.min(head, from == null ? head : from);
            first = Math.max(visible, last - limit + 1);
        }
        if (first > last) {
            return new StreamSlice(stream, head, List.of(), OptionalLong.empty());
        }
        List<OutgoingEvent> stored =
                cache.versions(
                        tenant,
                        stream,
                        first,
                        last,
                        bypassCache,
                        (lo, hi) -> events.versions(tenant, stream, lo, hi, false));
        if (lifecycle.isRuled()) {
            // A page from the chunk cache was not read through visible_events: the same rule,
            // by the database's clock (an event the age rule hides after the first visible one).
            stored =
                    stored.stream()
                            .filter(
                                    event ->
                                            !lifecycle.hides(
                                                    event.version(),
                                                    event.record().recordedAt(),
                                                    head,
                                                    probed.now()))
                            .toList();
        }
        List<OutgoingEvent> page = upcast ? upcast(tenant, stored, probed::generation) : stored;
        if (direction == ReadDirection.FORWARD) {
            return new StreamSlice(
                    stream,
                    head,
                    page,
                    last < head ? OptionalLong.of(last + 1) : OptionalLong.empty());
        }
        List<OutgoingEvent> descending = new ArrayList<>(page);
        Collections.reverse(descending);
        return new StreamSlice(
                stream,
                head,
                descending,
                first > visible ? OptionalLong.of(first - 1) : OptionalLong.empty());
    }

    /**
     * Reads a page of the tenant's view of the global log (its events only), in position order,
     * never past the lowest position still in flight, so a reader that continues after the page's
     * last position misses nothing; upcast unless {@code upcast} is false.
     */
    public GlobalLogPage readAll(Tenant tenant, GlobalLogQuery query, boolean upcast) {
        return metrics.timeRead(
                ReadKind.GLOBAL_LOG,
                () -> {
                    // The horizon first, then the page, in two statements: the page's snapshot
                    // must be taken after every transaction below the horizon has ended.
                    long horizon = sequencer.horizon();
                    List<RecordedEvent> stored = events.globalLog(tenant, query, horizon);
                    GlobalLogPage page = page(tenant, stored, query.after(), horizon, upcast);
                    metrics.servedLogUpTo(page.lastPosition());
                    return page;
                });
    }

    /**
     * A page of the tenant's events matching {@code query} after position {@code after} (api.md,
     * "Tags, queries, …"), in position order, at most {@code limit}; gap-safe like {@link
     * #readAll}: never past the horizon, so a reader that continues after the page's last position
     * misses no event committed late. Upcast unless {@code upcast} is false.
     */
    public GlobalLogPage query(
            Tenant tenant, EventQuery query, long after, int limit, boolean upcast) {
        return metrics.timeRead(
                ReadKind.QUERY,
                () -> {
                    // The horizon first, then the page, in later statements (see readAll).
                    long horizon = sequencer.horizon();
                    return page(
                            tenant,
                            events.matching(tenant, query, after, horizon, limit),
                            after,
                            horizon,
                            upcast);
                });
    }

    /**
     * A page of the log (or of a query over it) read after {@code after}: its events, upcast unless
     * {@code upcast} is false, and the position to continue after.
     */
    private GlobalLogPage page(
            Tenant tenant, List<RecordedEvent> stored, long after, long horizon, boolean upcast) {
        List<OutgoingEvent> events =
                upcast
                        ? upcast(tenant, stored, () -> schemaRows.generation(tenant))
                        : Collections.unmodifiableList(stored);
        long last = stored.isEmpty() ? after : stored.get(stored.size() - 1).globalPosition();
        return new GlobalLogPage(events, last, horizon);
    }

    /**
     * A range of the tenant's view of the global log for a live subscription's own catch-up: like
     * {@link #readAll}, never past the horizon, and also telling how far the log was searched
     * ({@link LogRange#scannedUpTo}), which a filtered page alone cannot.
     */
    public LogRange readRange(Tenant tenant, GlobalLogQuery query, boolean upcast) {
        return metrics.timeRead(
                ReadKind.SUBSCRIPTION,
                () -> {
                    long horizon = sequencer.horizon();
                    // A later statement than the horizon's: its snapshot sees every transaction
                    // below the horizon ended (see readAll).
                    List<RecordedEvent> stored = events.globalLog(tenant, query, horizon);
                    long scanned =
                            scannedUpTo(query, horizon, stored, RecordedEvent::globalPosition);
                    List<OutgoingEvent> page =
                            upcast
                                    ? upcastToLatest(tenant, stored)
                                    : Collections.unmodifiableList(stored);
                    return new LogRange(page, scanned, stored.size() < query.limit());
                });
    }

    /**
     * A range of the whole global log, every tenant's events as stored, for the tailer that an
     * instance's live subscriptions share (it gives each subscriber only its own tenant's events):
     * like {@link #readRange}, read in the store-wide scope, which allows reading only ({@link
     * TenantSetting#readAcrossTenants}).
     */
    public StoreLogRange readRangeAcrossTenants(GlobalLogQuery query) {
        return metrics.timeRead(
                ReadKind.SUBSCRIPTION,
                () -> {
                    long horizon = sequencer.horizon();
                    List<TenantEvent> stored = events.globalLogAcrossTenants(query, horizon);
                    long scanned =
                            scannedUpTo(
                                    query, horizon, stored, row -> row.event().globalPosition());
                    return new StoreLogRange(stored, scanned, stored.size() < query.limit());
                });
    }

    /**
     * How far a range read searched the log: to the horizon when the page came back short, else to
     * its last event.
     */
    private static <E> long scannedUpTo(
            GlobalLogQuery query, long horizon, List<E> page, ToLongFunction<E> position) {
        return page.size() < query.limit()
                ? Math.max(query.after(), horizon)
                : position.applyAsLong(page.get(page.size() - 1));
    }

    /**
     * Which of {@code positions} hold the tenant's events that no stream lifecycle rule hides now:
     * a live subscriber checks the events it holds again before it sends them late.
     */
    public Set<Long> visiblePositions(Tenant tenant, List<Long> positions) {
        return events.visiblePositions(tenant, positions);
    }

    /** The position up to which the global log is complete ({@link GlobalLogSequencer#horizon}). */
    public long horizon() {
        return sequencer.horizon();
    }

    /**
     * {@code stored} (the tenant's events) with each event brought up to its type's latest schema
     * version, by the tenant's registry as it is now (the tailer upcasts the events it read once,
     * for all its subscribers).
     */
    public List<OutgoingEvent> upcastToLatest(Tenant tenant, List<? extends OutgoingEvent> stored) {
        return upcast(tenant, stored, () -> schemaRows.generation(tenant));
    }

    /**
     * The tenant's events at {@code positions} (ascending: a consumer group's leases), in position
     * order, upcast to their types' latest schema versions.
     */
    public List<OutgoingEvent> eventsAt(Tenant tenant, List<Long> positions) {
        return metrics.timeRead(
                ReadKind.GROUP,
                () -> upcastToLatest(tenant, events.atPositions(tenant, positions)));
    }

    /** One page of the tenant's stream listing (beyond api.md; for operations tooling). */
    public List<StreamInfo> listStreams(Tenant tenant, StreamListQuery query) {
        return streams.list(tenant, query);
    }

    /**
     * The event with this id, from the database (an id says nothing about its stream's chunk);
     * upcast unless {@code upcast} is false, like every other read: no event leaves the server in
     * an older shape than the stream and global log reads give it.
     */
    public OutgoingEvent event(Tenant tenant, UUID eventId, boolean upcast) {
        RecordedEvent stored =
                events.findById(tenant, eventId)
                        .orElseThrow(() -> new EventNotFoundException(eventId));
        return upcast
                ? upcast(tenant, List.of(stored), () -> schemaRows.generation(tenant)).get(0)
                : stored;
    }

    /**
     * {@code page} with each event brought up to its type's latest schema version, by the tenant's
     * registry of the generation {@code generation} names (taken with the page's head, or read from
     * PostgreSQL after the page), or later.
     */
    private List<OutgoingEvent> upcast(
            Tenant tenant, List<? extends OutgoingEvent> page, Supplier<Long> generation) {
        if (page.isEmpty()) {
            return List.of();
        }
        SchemaRegistryState registry =
                registries.state(tenant, generation.get(), () -> schemaRows.registryJson(tenant));
        return schemas.upcast(page, registry);
    }
}
