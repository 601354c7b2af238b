package io.arbor.infrastructure.archive;

import io.arbor.archive.ArchiveReader;
import io.arbor.infrastructure.jpa.StatementFailedException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The readers' view of the archive (issue 20; docs/archive.md "What reads do"): the ranges of the
 * global log whose partition is {@code archived} or {@code detached} in the catalogue {@code
 * event_partitions}, and an {@link ArchiveReader} open on {@code arbor.archive.dir} for them.
 *
 * <p>Why a read never meets a range that is gone from PostgreSQL and not yet in its view: the
 * archiver drops a partition only {@code arbor.archive.grace-seconds} after it marked the range
 * {@code archived}, and a view is used only while younger than a quarter of that (then read again,
 * synchronously: one statement on the catalogue's partial index). A statement that started on the
 * partition before the drop holds its lock, so the drop waits for it. The archiver on this instance
 * also calls {@link #refresh} after each change of state, so this instance switches at once.
 *
 * <p>The catalogue is read whether or not {@code arbor.archive.dir} is set: an instance without the
 * directory (misconfigured, or a disaster recovery restored without it) that meets ranges the
 * catalogue says are archived must answer {@code archive-unavailable} for them, never skip them.
 * Its view then has those ranges and no reader. A view with no range (the usual case, archive off
 * included) costs one catalogue statement per quarter grace, nothing per read.
 *
 * <p>The reader opened on the directory is kept while the catalogue names the same segments: the
 * same ranges <em>and</em> the same data files ({@code archive_sha256}); a range restored and
 * archived again has the same bounds but a new file, and so a new reader.
 */
@ApplicationScoped
public class ArchivedRanges {
    private static final Logger LOG = Logger.getLogger(ArchivedRanges.class.getName());

    private static final String RANGES =
            "SELECT from_position, to_position, archive_sha256 FROM event_partitions"
                    + " WHERE state <> 'attached'"
                    + " ORDER BY from_position";

    @Inject
    @ConfigProperty(name = "arbor.archive.dir")
    Optional<String> directory;

    @Inject
    @ConfigProperty(name = "arbor.archive.grace-seconds")
    long graceSeconds;

    private long maxAgeNanos;

    /** The view and when it was read ({@link System#nanoTime}); replaced whole. */
    private record Snapshot(ArchiveView view, long readAt) {}

    private volatile Snapshot snapshot;

    @PostConstruct
    void start() {
        // A quarter of the grace, at least 0: a grace of 0 makes every read re-read the catalogue.
        maxAgeNanos = Math.max(0, graceSeconds) * 1_000_000_000L / 4;
    }

    /** Whether {@code arbor.archive.dir} is set. */
    public boolean configured() {
        return directory.isPresent() && !directory.get().isBlank();
    }

    /**
     * The current view, read again through {@code connection} (the caller's transaction's; the
     * catalogue has no row-level security) when the one held is older than a quarter of the grace
     * or was {@link #refresh refreshed}.
     */
    public ArchiveView view(Connection connection) {
        Snapshot held = snapshot;
        if (held != null && System.nanoTime() - held.readAt() < maxAgeNanos) {
            return held.view();
        }
        return reread(connection, held);
    }

    /** The archiver changed a range's state: the next read reads the catalogue again. */
    public void refresh() {
        snapshot = null;
    }

    /** {@link EventArchiver} on this instance changed a range's state (after its commit). */
    void changed(@Observes ArchiveStateChanged change) {
        refresh();
    }

    private synchronized ArchiveView reread(Connection connection, Snapshot held) {
        Snapshot now = snapshot;
        if (now != null && now != held && System.nanoTime() - now.readAt() < maxAgeNanos) {
            return now.view(); // another thread read it meanwhile
        }
        long readAt = System.nanoTime();
        List<long[]> ranges = new ArrayList<>();
        List<String> sha256s = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(RANGES);
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                ranges.add(new long[] {rows.getLong(1), rows.getLong(2)});
                sha256s.add(rows.getString(3));
            }
        } catch (SQLException failed) {
            throw new StatementFailedException(failed);
        }
        ArchiveView previous = now != null ? now.view() : held != null ? held.view() : null;
        ArchiveView view = next(ranges, sha256s, previous, this::open);
        snapshot = new Snapshot(view, readAt);
        return view;
    }

    /**
     * The view of {@code ranges} (ascending {@code [from, to)} pairs, their data files' {@code
     * sha256s}): {@code previous}'s when it names the same segments and has a reader, else a new
     * one with a reader from {@code open} (null: no directory, or it cannot be read; reads of the
     * ranges then answer archive-unavailable).
     */
    static ArchiveView next(
            List<long[]> ranges,
            List<String> sha256s,
            ArchiveView previous,
            Supplier<ArchiveReader> open) {
        if (ranges.isEmpty()) {
            return ArchiveView.EMPTY;
        }
        long[] froms = ranges.stream().mapToLong(range -> range[0]).toArray();
        long[] tos = ranges.stream().mapToLong(range -> range[1]).toArray();
        String[] files = sha256s.toArray(String[]::new);
        if (previous != null
                && previous.reader() != null
                && previous.sameSegments(froms, tos, files)) {
            return previous; // the same segments: the reader open on them still describes them
        }
        return new ArchiveView(froms, tos, files, open.get());
    }

    /**
     * A reader on the directory; null when none is configured or it cannot be listed (reads of the
     * ranges then answer archive-unavailable).
     */
    private ArchiveReader open() {
        if (!configured()) {
            LOG.warning(
                    "The catalogue names archived ranges but arbor.archive.dir is not set:"
                            + " reads of them answer archive-unavailable");
            return null;
        }
        try {
            return ArchiveReader.open(Path.of(directory.get()));
        } catch (IOException | UncheckedIOException unreadable) {
            LOG.log(Level.WARNING, "The archive directory cannot be read", unreadable);
            return null;
        }
    }
}
