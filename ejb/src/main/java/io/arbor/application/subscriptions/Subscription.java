package io.arbor.application.subscriptions;

import io.arbor.application.EventReader;
import io.arbor.domain.LogRange;
import io.arbor.domain.OutgoingEvent;
import io.arbor.domain.ReadDirection;
import io.arbor.domain.RecordedEvent;
import io.arbor.domain.StreamSlice;
import io.arbor.domain.SubscriptionFilter;
import io.arbor.domain.Tenant;
import io.arbor.infrastructure.metrics.ArborMetrics;
import java.util.List;
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
    private final BlockingQueue<LiveEvent> buffer;
    private final Semaphore catchUpReads;

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
        } catch (RuntimeException failed) {
            // A read failed (the database is unavailable, or a read timed out): the client
            // resumes from the last position it was sent.
            LOG.log(Level.FINE, "Live subscription ends: its read failed", failed);
            metrics.subscriptionDropped();
            sendDropped("store-unavailable");
        } finally {
            sink.close(); // first: whatever happens below, the client is not left hanging
            buffer.clear();
            tailer.leave(this);
        }
    }

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
    public boolean offer(List<LiveEvent> events, long searchedUpTo) {
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
            if (!buffer.offer(event)) {
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
        LogRange range =
                read(
                        () ->
                                reader.readRange(
                                        tenant,
                                        filter.page(position, settings.pageSize()),
                                        upcast));
        for (OutgoingEvent event : range.events()) {
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
        for (OutgoingEvent event : slice.events()) {
            send(event.version(), LiveEvent.json(event));
            position = event.version();
            floor = position;
        }
        return slice.next().isEmpty();
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
            LiveEvent next;
            try {
                next = buffer.poll(settings.tickMillis(), TimeUnit.MILLISECONDS);
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
                deliver(next);
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
