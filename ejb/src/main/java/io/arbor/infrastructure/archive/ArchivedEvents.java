package io.arbor.infrastructure.archive;

import io.arbor.archive.ArchiveCorruptedException;
import io.arbor.archive.ArchiveReader;
import io.arbor.archive.ArchivedEvent;
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
     * Up to {@code limit} visible events of {@code region} (an archived one) that {@code filter}
     * keeps, in position order; fewer only when the region holds no more.
     */
    public List<ArchivedEvent> log(
            Connection connection,
            ArchiveView view,
            ArchiveView.Region region,
            Filter filter,
            int limit) {
        List<ArchivedEvent> found = new ArrayList<>();
        ArchiveReader reader = reader(view, region.range());
        try (ArchiveReader.EventCursor cursor = reader.cursor(region.first(), region.last() + 1)) {
            while (found.size() < limit && cursor.hasNext()) {
                List<ArchivedEvent> candidates = new ArrayList<>();
                while (candidates.size() < limit - found.size() && cursor.hasNext()) {
                    ArchivedEvent event = cursor.next();
                    if (filter.test(event)) {
                        candidates.add(event);
                    }
                }
                found.addAll(visible(connection, candidates));
            }
        } catch (ArchiveCorruptedException | IOException | UncheckedIOException unreadable) {
            throw unavailable(view, region.range(), unreadable);
        }
        metrics.archivedEventsRead(found.size());
        return found;
    }

    /**
     * Up to {@code limit} matches of {@code query} among the tenant's visible events of {@code
     * region} (an archived one), lowest position first, each with the first item it matches.
     */
    public List<QueryMatch> matches(
            Connection connection,
            ArchiveView view,
            ArchiveView.Region region,
            String tenant,
            EventQuery query,
            int limit) {
        List<QueryMatch> found = new ArrayList<>();
        ArchiveReader reader = reader(view, region.range());
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
