package io.arbor.infrastructure.archive;

import io.arbor.archive.ArchiveCorruptedException;
import io.arbor.archive.ArchiveReader;
import io.arbor.archive.ArchivedEvent;
import io.arbor.archive.SegmentManifest;
import io.arbor.archive.SegmentName;
import io.arbor.domain.ArchiveUnavailableException;
import io.arbor.domain.EventQuery;
import io.arbor.domain.QueryMatch;
import io.arbor.domain.RecordedEvent;
import io.arbor.domain.StreamId;
import io.arbor.infrastructure.jpa.StatementFailedException;
import io.arbor.infrastructure.metrics.ArborMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Reads of the archived ranges of the global log (docs/archive.md, "What reads do"), for the
 * infrastructure's readers of event rows: the same filters as their statements (tenant, stream,
 * category, type, positions, query items) and the same lifecycle visibility as the view {@code
 * visible_events}: the candidates' (tenant, stream, version, recorded_at) go to PostgreSQL, where
 * {@link #VISIBLE} applies the view's own predicate (changeset 2026-12-09-01) in the caller's
 * transaction, so {@code now()} is the same clock the view uses.
 *
 * <p>A segment that cannot be read (corrupted, missing, not in the directory) makes the read throw
 * {@link ArchiveUnavailableException} naming its range, never answer without it.
 */
@ApplicationScoped
public class ArchivedEvents {
    /**
     * Which candidates no stream lifecycle rule hides: the predicate of {@code visible_events},
     * word for word, over the candidates' columns ({@code ArchiveReadsIT} reads a ruled stream
     * through both and compares).
     */
    static final String VISIBLE =
            "SELECT u.i FROM unnest(?::text[], ?::text[], ?::bigint[], ?::timestamptz[])"
                    + " WITH ORDINALITY AS u(tenant, stream_id, version, recorded_at, i)"
                    + " WHERE NOT EXISTS (SELECT 1 FROM streams s"
                    + " WHERE s.has_lifecycle AND s.tenant = u.tenant AND s.stream_id = u.stream_id"
                    + " AND (u.version < s.truncate_before"
                    + " OR u.version <= s.version - s.max_count"
                    + " OR u.recorded_at < now() - make_interval(secs => s.max_age_seconds)))"
                    + " ORDER BY u.i";

    /**
     * How many archived events one call of a consumer group's window fill decodes at most: a group
     * with a rare filter over a large archive records partial progress ({@code scanned_to}) instead
     * of scanning millions of events in one transaction.
     */
    public static final long SCAN_BUDGET = 100_000;

    @Inject ArchivedRanges ranges;

    @Inject ArborMetrics metrics;

    /** The current view of archived ranges (see {@link ArchivedRanges#view}). */
    public ArchiveView view(Connection connection) {
        return ranges.view(connection);
    }

    /**
     * What a log read keeps: one tenant's events (null: every tenant's), of one stream, category,
     * type (null: any).
     */
    public record Filter(String tenant, String streamId, String category, String type) {
        boolean test(ArchivedEvent event) {
            return (tenant == null || tenant.equals(event.tenant()))
                    && (streamId == null || streamId.equals(event.streamId()))
                    && (category == null || category.equals(event.category()))
                    && (type == null || type.equals(event.type()));
        }
    }

    /**
     * What a scan of an archived region found: the events kept, and how far it read ({@code
     * scannedTo}: the last position it covered, the region's last when it read it all), having
     * decoded {@code scanned} events.
     */
    public record Scan(List<ArchivedEvent> events, long scannedTo, long scanned) {}

    /**
     * Up to {@code limit} visible events of {@code region} (an archived one) that {@code filter}
     * keeps, in position order; fewer only when the region holds no more, or when {@code budget}
     * events were decoded first ({@link Scan#scannedTo} then says where the scan stopped). A
     * segment whose manifest names neither the filter's tenant nor its stream is not read at all.
     */
    public Scan log(
            Connection connection,
            ArchiveView view,
            ArchiveView.Region region,
            Filter filter,
            int limit,
            long budget) {
        List<ArchivedEvent> found = new ArrayList<>();
        ArchiveReader reader = reader(view, region.range());
        if (!mayHold(reader, view, region.range(), filter.tenant(), filter.streamId())) {
            return new Scan(found, region.last(), 0);
        }
        long scanned = 0;
        long scannedTo = region.first() - 1;
        try (ArchiveReader.EventCursor cursor = reader.cursor(region.first(), region.last() + 1)) {
            while (found.size() < limit && scanned < budget && cursor.hasNext()) {
                List<ArchivedEvent> candidates = new ArrayList<>();
                while (candidates.size() < limit - found.size()
                        && scanned < budget
                        && cursor.hasNext()) {
                    ArchivedEvent event = cursor.next();
                    scanned++;
                    scannedTo = event.globalPosition();
                    if (filter.test(event)) {
                        candidates.add(event);
                    }
                }
                found.addAll(visible(connection, candidates));
            }
            if (found.size() < limit && !cursor.hasNext()) {
                scannedTo = region.last();
            } else if (found.size() == limit) {
                scannedTo = found.get(found.size() - 1).globalPosition();
            }
        } catch (ArchiveCorruptedException | IOException | UncheckedIOException unreadable) {
            throw unavailable(view, region.range(), unreadable);
        }
        metrics.archivedEventsRead(found.size());
        return new Scan(found, scannedTo, scanned);
    }

    /**
     * Up to {@code limit} matches of {@code query} among the tenant's visible events of {@code
     * region} (an archived one), lowest position first, each with the first item it matches.
     *
     * <p>When every item names a tag, the candidates come from {@code event_tags} (kept in
     * PostgreSQL for archived events): only their blocks are read. An item with types only has no
     * index outside the partition, so its region is scanned (docs/tags-and-queries.md, "Queries
     * over archived ranges"): every event of the segment is decoded, unless its manifest says the
     * tenant has none there.
     */
    public List<QueryMatch> matches(
            Connection connection,
            ArchiveView view,
            ArchiveView.Region region,
            String tenant,
            EventQuery query,
            int limit) {
        ArchiveReader reader = reader(view, region.range());
        if (!mayHold(reader, view, region.range(), tenant, null)) {
            return List.of();
        }
        boolean tagged = query.items().stream().noneMatch(item -> item.tags().isEmpty());
        List<QueryMatch> found =
                tagged
                        ? taggedMatches(connection, view, region, tenant, query, limit)
                        : scannedMatches(connection, reader, view, region, tenant, query, limit);
        metrics.archivedEventsRead(found.size());
        return found;
    }

    /**
     * Candidate positions of a query whose every item names a tag: the positions of the tenant's
     * events in {@code (after, last]} carrying one of the items' first tags, lowest first; an index
     * range scan of {@code event_tags} per tag, as {@code MatchingStatement} walks it.
     */
    static final String TAGGED_CANDIDATES =
            "SELECT DISTINCT x.p FROM unnest(?::text[]) AS ty(tag) CROSS JOIN LATERAL"
                    + " (SELECT t.global_position AS p FROM event_tags t WHERE t.tenant = ?"
                    + " AND t.tag = ty.tag AND t.global_position > ? AND t.global_position <= ?"
                    + " ORDER BY t.global_position LIMIT ?) x ORDER BY x.p LIMIT ?";

    /** How many candidate positions a tagged match reads from the segment at a time. */
    private static final int CANDIDATES = 256;

    private List<QueryMatch> taggedMatches(
            Connection connection,
            ArchiveView view,
            ArchiveView.Region region,
            String tenant,
            EventQuery query,
            int limit) {
        String[] firstTags =
                query.items().stream()
                        .map(item -> item.tags().get(0))
                        .distinct()
                        .toArray(String[]::new);
        List<QueryMatch> found = new ArrayList<>();
        long after = region.first() - 1;
        while (found.size() < limit) {
            List<Long> positions = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(TAGGED_CANDIDATES)) {
                select.setArray(1, connection.createArrayOf("text", firstTags));
                select.setString(2, tenant);
                select.setLong(3, after);
                select.setLong(4, region.last());
                select.setInt(5, CANDIDATES);
                select.setInt(6, CANDIDATES);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        positions.add(rows.getLong(1));
                    }
                }
            } catch (SQLException failed) {
                throw new StatementFailedException(failed);
            }
            if (positions.isEmpty()) {
                break;
            }
            List<ArchivedEvent> candidates =
                    read(view, region.range(), positions, tenant).stream()
                            .filter(event -> query.matchingItem(event.type(), event.tags()) >= 0)
                            .toList();
            for (ArchivedEvent event : visible(connection, candidates)) {
                if (found.size() < limit) {
                    found.add(
                            new QueryMatch(
                                    query.matchingItem(event.type(), event.tags()),
                                    event.globalPosition()));
                }
            }
            if (positions.size() < CANDIDATES) {
                break;
            }
            after = positions.get(positions.size() - 1);
        }
        return found;
    }

    private List<QueryMatch> scannedMatches(
            Connection connection,
            ArchiveReader reader,
            ArchiveView view,
            ArchiveView.Region region,
            String tenant,
            EventQuery query,
            int limit) {
        List<QueryMatch> found = new ArrayList<>();
        try (ArchiveReader.EventCursor cursor = reader.cursor(region.first(), region.last() + 1)) {
            while (found.size() < limit && cursor.hasNext()) {
                List<ArchivedEvent> candidates = new ArrayList<>();
                while (candidates.size() < limit - found.size() && cursor.hasNext()) {
                    ArchivedEvent event = cursor.next();
                    if (event.tenant().equals(tenant)
                            && query.matchingItem(event.type(), event.tags()) >= 0) {
                        candidates.add(event);
                    }
                }
                for (ArchivedEvent event : visible(connection, candidates)) {
                    found.add(
                            new QueryMatch(
                                    query.matchingItem(event.type(), event.tags()),
                                    event.globalPosition()));
                }
            }
        } catch (ArchiveCorruptedException | IOException | UncheckedIOException unreadable) {
            throw unavailable(view, region.range(), unreadable);
        }
        return found;
    }

    /**
     * Whether the segment of {@code range} may hold events of {@code tenant} (null: any) and {@code
     * streamId} (null: any), by its manifest's tenants and streams: a read of a tenant or stream
     * the segment lacks decodes nothing.
     */
    private static boolean mayHold(
            ArchiveReader reader, ArchiveView view, int range, String tenant, String streamId) {
        if (tenant == null) {
            return true;
        }
        SegmentManifest manifest;
        try {
            manifest = reader.manifest(new SegmentName(view.from(range), view.to(range)));
        } catch (ArchiveCorruptedException unreadable) {
            throw unavailable(view, range, unreadable);
        }
        if (Collections.binarySearch(manifest.tenants(), tenant) < 0) {
            return false;
        }
        return streamId == null || manifest.stream(tenant, streamId).isPresent();
    }

    /**
     * The visible events of {@code tenant} (null: any tenant's) at those of {@code positions}
     * (ascending) that lie in archived ranges, in position order; {@code visibleOnly} false keeps
     * the hidden ones too.
     */
    public List<ArchivedEvent> at(
            Connection connection,
            ArchiveView view,
            String tenant,
            Collection<Long> positions,
            boolean visibleOnly) {
        List<ArchivedEvent> found = new ArrayList<>();
        List<Long> run = new ArrayList<>();
        int runRange = -1;
        for (long position : positions) {
            int range = view.rangeIndex(position);
            if (range != runRange && !run.isEmpty()) {
                found.addAll(read(view, runRange, run, tenant));
                run.clear();
            }
            runRange = range;
            if (range >= 0) {
                run.add(position);
            }
        }
        if (!run.isEmpty()) {
            found.addAll(read(view, runRange, run, tenant));
        }
        List<ArchivedEvent> answer = visibleOnly ? visible(connection, found) : found;
        metrics.archivedEventsRead(answer.size());
        return answer;
    }

    private List<ArchivedEvent> read(ArchiveView view, int range, List<Long> run, String tenant) {
        ArchiveReader reader = reader(view, range);
        try {
            return reader.events(run.stream().mapToLong(Long::longValue).toArray()).stream()
                    .filter(event -> tenant == null || tenant.equals(event.tenant()))
                    .toList();
        } catch (ArchiveCorruptedException | IOException | UncheckedIOException unreadable) {
            throw unavailable(view, range, unreadable);
        }
    }

    /** {@code events} without those a stream lifecycle rule hides now, in their order. */
    public List<ArchivedEvent> visible(Connection connection, List<ArchivedEvent> events) {
        if (events.isEmpty()) {
            return events;
        }
        int n = events.size();
        String[] tenants = new String[n];
        String[] streams = new String[n];
        Long[] versions = new Long[n];
        String[] times = new String[n];
        for (int i = 0; i < n; i++) {
            ArchivedEvent event = events.get(i);
            tenants[i] = event.tenant();
            streams[i] = event.streamId();
            versions[i] = event.version();
            times[i] = event.recordedAt().toString();
        }
        List<ArchivedEvent> kept = new ArrayList<>(n);
        try (PreparedStatement select = connection.prepareStatement(VISIBLE)) {
            select.setArray(1, connection.createArrayOf("text", tenants));
            select.setArray(2, connection.createArrayOf("text", streams));
            select.setArray(3, connection.createArrayOf("bigint", versions));
            select.setArray(4, connection.createArrayOf("text", times));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    kept.add(events.get((int) rows.getLong(1) - 1));
                }
            }
        } catch (SQLException failed) {
            throw new StatementFailedException(failed);
        }
        return kept;
    }

    /**
     * The event as reads hand it out: the same {@link RecordedEvent} a read of PostgreSQL gives,
     * its data and metadata in {@code jsonb}'s text ({@link JsonbText}: the one place the two
     * tiers' texts are made byte-identical).
     */
    public static RecordedEvent recorded(ArchivedEvent event) {
        return new RecordedEvent(
                event.eventId(),
                StreamId.of(event.streamId()),
                event.version(),
                event.globalPosition(),
                event.type(),
                event.schemaVersion(),
                JsonbText.of(event.data()),
                JsonbText.of(event.metadata()),
                event.tags(),
                event.recordedAt(),
                event.writtenBy(),
                event.hash());
    }

    /**
     * The reader for {@code range}, checked to hold its segment: a range the catalogue says is
     * archived but whose segment is not in the directory must not read as empty.
     */
    private static ArchiveReader reader(ArchiveView view, int range) {
        ArchiveReader reader = view.reader();
        SegmentName name = new SegmentName(view.from(range), view.to(range));
        if (reader == null) {
            throw new ArchiveUnavailableException(
                    view.from(range),
                    view.to(range),
                    "no archive directory is configured, or it cannot be read",
                    null);
        }
        if (!reader.ranges().contains(name)) {
            throw new ArchiveUnavailableException(
                    view.from(range),
                    view.to(range),
                    "the archive directory holds no segment " + name,
                    null);
        }
        return reader;
    }

    private static ArchiveUnavailableException unavailable(
            ArchiveView view, int range, Exception unreadable) {
        String why =
                unreadable instanceof ArchiveCorruptedException corrupted
                        ? "its segment is corrupted"
                                + (corrupted.block() >= 0
                                        ? " (block " + corrupted.block() + ")"
                                        : "")
                        : "its segment cannot be read";
        return new ArchiveUnavailableException(view.from(range), view.to(range), why, unreadable);
    }
}
