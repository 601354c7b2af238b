package io.arbor.application.subscriptions;

import io.arbor.application.EventReader;
import io.arbor.domain.ArchiveUnavailableException;
import io.arbor.domain.LogRange;
import io.arbor.domain.OutgoingEvent;
import io.arbor.domain.ReadDirection;
import io.arbor.domain.RecordedEvent;
import io.arbor.domain.StreamSlice;
import io.arbor.domain.SubscriptionFilter;
import io.arbor.domain.Tenant;
import io.arbor.infrastructure.metrics.ArborMetrics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One live subscriber: history first, on its own reads, then live, from the tailer its instance's
 * subscriptions share, on one connection, each matching event of its tenant exactly once and in
 * order (the tailer reads every tenant's events; a subscription takes only its own tenant's).
 *
 * <ol>
 *   <li><b>Catch up</b> with its own paged reads (the global log up to its horizon, or the stream
 *       up to its head) until a page comes back short: the subscriber has reached the end of the
 *       log as it was a moment ago, however far behind it started.
 *   <li><b>Join</b> the {@link LogTailer}, which from then on offers this subscription every
 *       matching event after its own position {@code T} into a bounded buffer.
 *   <li><b>Catch up again</b>, from PostgreSQL, to the end of the log as it is now, which is at or
 *       past {@code T}: everything that committed between the two steps, without a gap against what
 *       the tailer offers. Then {@code caught-up}.
 *   <li><b>Live</b>: send what the buffer holds, skipping what step 3 already sent: for the log, an
 *       event at or below the position searched; for a stream, a version already sent.
 * </ol>
 *
 * Both kinds of read stop where the log is complete (the global log's horizon, a stream's committed
 * head), the same guarantee as paging {@code GET /events}: an event that commits late is delivered
 * when it commits, never skipped. A subscriber that reads too slowly fills its buffer; the tailer
 * then empties it and stops offering, and this subscription sends {@code dropped} with the last
 * position it sent and ends, so its memory never grows past the buffer. A client that has stopped
 * reading altogether gets that frame when it reads again, or, if it never does, its connection ends
 * at the HTTP listener's write timeout; either way it resumes from the last id it received. A
 * subscriber still catching up holds no buffer: its own reads wait for its connection.
 *
 * <p>Events a stream lifecycle rule hides (docs/subscriptions.md, "When a rule hides events"):
 * every read above goes through {@code visible_events}, and every event carries the time taken just
 * before the statement that read or last checked it. Before sending one that PostgreSQL last showed
 * visible more than {@code arbor.subscriptions.recheck-after-ms} ago (a page that takes long to
 * send, a buffer a slow client leaves full), the subscription checks it again with the rest of what
 * it holds, in one statement ({@link EventReader#visiblePositions}), and leaves out what is hidden
 * now. So no event is handed to the connection later than that bound after a rule hiding it
 * committed; a subscriber that keeps up sends within milliseconds of the tailer's read and never
 * checks.
 */
final class Subscription implements Runnable, LogTailer.Follower {
    private static final Logger LOG = Logger.getLogger(Subscription.class.getName());

    private final Tenant tenant;
    private final SubscriptionFilter filter;
    private final boolean upcast;
    private final SubscriptionSink sink;
    private final SubscriptionSettings settings;
    private final EventReader reader;
    private final LogTailer tailer;
    private final ArborMetrics metrics;
    private final BlockingQueue<Held> buffer;

    /**
     * Live events taken out of the buffer and checked again, in order, to be sent before the
     * buffer's next (at most a page). This subscription's thread only.
     */
    private final Deque<Held> checked = new ArrayDeque<>();

    private final Semaphore catchUpReads;
    private final long recheckNanos;

    // Written by the tailer's thread, read by this subscription's.
    private volatile long passed;
    private volatile boolean overflowed;
    private volatile boolean stopping;

    /**
     * What this subscription has already sent on its own reads (log: the position searched; stream:
     * the version sent): the tailer does not buffer what lies at or below it, so a tailer that lags
     * behind a subscriber that caught up by itself does not fill its buffer.
     */
    private volatile long floor;

    // This subscription's thread only.
    /** Log: searched up to here. Stream: the last version sent. */
    private long position;

    /** The id of the last frame that had one: where a resume starts. */
    private long lastId;

    private long lastFrameAt;
    private long lastCheckpointAt;

    Subscription(
            Tenant tenant,
            SubscriptionFilter filter,
            long after,
            boolean upcast,
            SubscriptionSink sink,
            SubscriptionSettings settings,
            EventReader reader,
            LogTailer tailer,
            ArborMetrics metrics,
            Semaphore catchUpReads) {
        this.tenant = tenant;
        this.filter = filter;
        this.upcast = upcast;
        this.sink = sink;
        this.settings = settings;
        this.reader = reader;
        this.tailer = tailer;
        this.metrics = metrics;
        // Linked, not an array: nothing is allocated for slots a subscriber never fills.
        this.buffer = new LinkedBlockingQueue<>(settings.bufferEvents());
        this.catchUpReads = catchUpReads;
        this.recheckNanos = TimeUnit.MILLISECONDS.toNanos(settings.recheckMillis());
        this.position = after;
        this.lastId = after;
        this.passed = after;
    }

    @Override
    public void run() {
        lastFrameAt = lastCheckpointAt = System.nanoTime();
        try {
            catchUp(false);
            tailer.join(this);
            catchUp(true);
            if (stopping) {
                return;
            }
            sink.caughtUp(position);
            frameSent();
            live();
        } catch (SubscriberGoneException gone) {
            // the client closed the connection: nothing to tell anyone
        } catch (UpcastFailedException failed) {
            // One event of this tenant could not be upcast (the tailer logged why): this
            // subscription ends before it, as its own read of that event would fail; a resume
            // from the last position sent meets the same failure until the upcaster is fixed.
            LOG.log(Level.FINE, "Live subscription ends: " + failed.getMessage(), failed);
            metrics.subscriptionDropped();
            sendDropped("upcast-failed: " + failed.getMessage());
        } catch (ArchiveUnavailableException unreadable) {
            // An archived range cannot be read (a corrupted or missing segment): the subscription
            // ends before it rather than skip it; a resume meets it again until it is repaired.
            LOG.log(
                    Level.WARNING,
                    "Live subscription ends: " + unreadable.getMessage(),
                    unreadable);
            metrics.subscriptionDropped();
            sendDropped("archive-unavailable: " + unreadable.getMessage());
        } catch (RuntimeException failed) {
            // A read failed (the database is unavailable, or a read timed out): the client
            // resumes from the last position it was sent.
            LOG.log(Level.FINE, "Live subscription ends: its read failed", failed);
            metrics.subscriptionDropped();
            sendDropped("store-unavailable");
        } finally {
            sink.close(); // first: whatever happens below, the client is not left hanging
            buffer.clear();
            checked.clear();
            tailer.leave(this);
        }
    }

    /**
     * An event held for sending, with the time ({@link System#nanoTime}) it was last seen visible.
     */
    private record Held(LiveEvent event, long seenVisibleAt) {}

    /** Ends the subscription (the server is shutting down): the client will reconnect. */
    @Override
    public void stop() {
        stopping = true;
    }

    SubscriptionFilter filter() {
        return filter;
    }

    int buffered() {
        return buffer.size();
    }

    /**
     * The tailer's fan-out (on its thread, under its lock): buffers the matching events of one
     * range of the log, which the tailer has searched up to {@code searchedUpTo}. False when the
     * buffer overflowed: the tailer stops offering, and the subscription ends with {@code dropped}.
     */
    @Override
    public boolean offer(List<LiveEvent> events, long searchedUpTo, long readAt) {
        if (overflowed || stopping) {
            return false;
        }
        long sent = floor;
        for (LiveEvent event : events) {
            RecordedEvent stored = event.stored();
            long key = filter.isStream() ? stored.version() : stored.globalPosition();
            if (!tenant.equals(event.tenant()) || key <= sent || !filter.matches(stored)) {
                continue;
            }
            if (!buffer.offer(new Held(event, readAt))) {
                // Counted now: a stalled client may never read the dropped frame (its connection
                // then ends at the listener's write timeout), but its memory goes back now.
                overflowed = true;
                buffer.clear();
                metrics.subscriptionDropped();
                return false;
            }
        }
        passed = searchedUpTo;
        return true;
    }

    /** Steps 1 and 3: own reads until a page comes back short. */
    private void catchUp(boolean fromDatabase) {
        while (!stopping) {
            boolean complete = filter.isStream() ? streamPage(fromDatabase) : logPage();
            if (complete) {
                return;
            }
        }
    }

    private boolean logPage() {
        long readAt = System.nanoTime();
        LogRange range =
                read(
                        () ->
                                reader.readRange(
                                        tenant,
                                        filter.page(position, settings.pageSize()),
                                        upcast));
        for (OutgoingEvent event : stillVisibleWhenSent(range.events(), readAt)) {
            send(event.globalPosition(), LiveEvent.json(event));
        }
        position = Math.max(position, range.scannedUpTo());
        floor = position;
        checkpointIfMoved();
        return range.complete();
    }

    /**
     * One page of the stream. {@code fromDatabase}: after joining the tailer, the stream's head is
     * taken from PostgreSQL, not the data grid, which may not yet know of an append that committed
     * but was not yet acknowledged, and which the tailer has already passed.
     */
    private boolean streamPage(boolean fromDatabase) {
        long readAt = System.nanoTime();
        StreamSlice slice =
                read(
                        () ->
                                reader.read(
                                        tenant,
                                        filter.stream(),
                                        position + 1,
                                        settings.pageSize(),
                                        ReadDirection.FORWARD,
                                        fromDatabase,
                                        upcast));
        for (OutgoingEvent event : stillVisibleWhenSent(slice.events(), readAt)) {
            send(event.version(), LiveEvent.json(event));
            position = event.version();
            floor = position;
        }
        return slice.next().isEmpty();
    }

    /**
     * A page's events, read at {@code readAt}, as they are sent: whenever the page has taken longer
     * than the bound to send so far, the rest of it is checked again and what a rule hid meanwhile
     * left out. Iterate it while sending.
     */
    private Iterable<OutgoingEvent> stillVisibleWhenSent(List<OutgoingEvent> page, long readAt) {
        return () ->
                new Iterator<>() {
                    private List<OutgoingEvent> rest = page;
                    private int next;
                    private long seenVisibleAt = readAt;

                    @Override
                    public boolean hasNext() {
                        if (next < rest.size() && stale(seenVisibleAt)) {
                            seenVisibleAt = System.nanoTime();
                            List<OutgoingEvent> unsent = rest.subList(next, rest.size());
                            Set<Long> visible =
                                    visiblePositions(
                                            unsent.stream()
                                                    .map(OutgoingEvent::globalPosition)
                                                    .toList());
                            rest =
                                    unsent.stream()
                                            .filter(e -> visible.contains(e.globalPosition()))
                                            .toList();
                            next = 0;
                        }
                        return next < rest.size();
                    }

                    @Override
                    public OutgoingEvent next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        return rest.get(next++);
                    }
                };
    }

    /** Whether an event seen visible at {@code seenVisibleAt} must be checked before it is sent. */
    private boolean stale(long seenVisibleAt) {
        return System.nanoTime() - seenVisibleAt > recheckNanos;
    }

    /** Which of these positions hold events of the tenant that no rule hides now. */
    private Set<Long> visiblePositions(List<Long> positions) {
        return read(() -> reader.visiblePositions(tenant, positions));
    }

    /**
     * The live event to send next: the checked ones first, then the buffer's (waiting up to a
     * tick); when it was seen visible longer ago than the bound, it is checked again with the rest
     * of what this subscription holds (up to a page), and what a rule hid meanwhile is left out.
     * Null when the buffer stayed empty for a tick: everything offered before the call was sent or
     * left out as hidden.
     */
    private Held nextLive() throws InterruptedException {
        while (true) {
            Held next = checked.poll();
            if (next == null) {
                next = buffer.poll(settings.tickMillis(), TimeUnit.MILLISECONDS);
            }
            if (next == null || overflowed || !stale(next.seenVisibleAt())) {
                return next;
            }
            checkAgain(next); // then the first still visible, or the buffer's next
        }
    }

    /**
     * Checks {@code first}, the rest of what this subscription holds checked and up to a page of
     * its buffer, in one statement; keeps those still visible, in order, as seen visible now.
     */
    private void checkAgain(Held first) {
        List<Held> held = new ArrayList<>(settings.pageSize());
        held.add(first);
        held.addAll(checked);
        checked.clear();
        buffer.drainTo(held, Math.max(0, settings.pageSize() - held.size()));
        long now = System.nanoTime();
        Set<Long> visible =
                visiblePositions(
                        held.stream().map(h -> h.event().stored().globalPosition()).toList());
        for (Held h : held) {
            if (visible.contains(h.event().stored().globalPosition())) {
                checked.add(new Held(h.event(), now));
            }
        }
    }

    /**
     * One catch-up read, while at most {@code arbor.subscriptions.max-catch-up-reads} run at once
     * on this instance: a thousand clients reconnecting after a restart share the connection pool
     * with appends instead of taking it over.
     */
    private <T> T read(Supplier<T> page) {
        try {
            catchUpReads.acquire();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new SubscriberGoneException("the server is stopping", interrupted);
        }
        try {
            return page.get();
        } finally {
            catchUpReads.release();
        }
    }

    /** Step 4, until the subscriber goes, overflows or the server stops. */
    private void live() {
        while (!stopping) {
            long searched = passed; // before the poll: all the tailer offered up to it is queued
            Held next;
            try {
                next = nextLive();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
            if (overflowed) {
                sendDropped(
                        "slow-consumer: more than " + settings.bufferEvents() + " events waiting");
                return;
            }
            if (next != null) {
                deliver(next.event());
                continue;
            }
            // The buffer is empty: every matching event up to `searched` has been sent.
            if (!filter.isStream()) {
                position = Math.max(position, searched);
                checkpointIfMoved();
            }
            heartbeatIfQuiet();
        }
    }

    private void deliver(LiveEvent event) {
        if (filter.isStream()) {
            long version = event.stored().version();
            if (version > position) {
                send(version, event.json(upcast));
                position = version;
            }
        } else {
            long at = event.stored().globalPosition();
            if (at > position) {
                send(at, event.json(upcast));
                position = at;
            }
        }
    }

    private void send(long id, String json) {
        sink.event(id, json);
        lastId = id;
        frameSent();
        metrics.subscriptionEventDelivered();
    }

    /**
     * A filtered subscription that searched past events it does not deliver says so, at most once
     * per {@code checkpointMillis}, so that a resume does not search that part of the log again.
     */
    private void checkpointIfMoved() {
        if (filter.skipsEvents()
                && position > lastId
                && elapsed(lastCheckpointAt) >= settings.checkpointMillis()) {
            checkpoint();
        }
    }

    private void heartbeatIfQuiet() {
        if (elapsed(lastFrameAt) < settings.heartbeatMillis()) {
            return;
        }
        if (filter.skipsEvents()) {
            checkpoint(); // api.md: a filtered subscription checkpoints at least every 15 s
        } else {
            sink.heartbeat();
            frameSent();
        }
    }

    private void checkpoint() {
        sink.checkpoint(position);
        lastId = position;
        lastCheckpointAt = System.nanoTime();
        frameSent();
    }

    private void sendDropped(String reason) {
        buffer.clear();
        try {
            sink.dropped(lastId, reason);
        } catch (SubscriberGoneException gone) {
            // it left first
        }
    }

    private void frameSent() {
        lastFrameAt = System.nanoTime();
    }

    private static long elapsed(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }
}
