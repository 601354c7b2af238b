package io.arbor.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One consumer of a consumer group, on a thread of its own until it is {@linkplain #stop() stopped}
 * or fails for good. Built by {@link ArborClient#groupConsumer}.
 *
 * <p>Its loop: a long-poll {@link ArborClient#fetch} of up to {@code maxEvents}; each event, in the
 * order fetched, to the {@link GroupHandler}, one at a time (so a {@code pinned} group's per-stream
 * order holds); an event the handler returned from is acked, one it threw for is nacked at once
 * with {@link NackAction#RETRY} (the server delivers it again, and parks it once it has been
 * delivered the group's {@code maxRetries} + 1 times). Acks go out {@code ackBatchSize} at a time,
 * and whatever is left at the end of each fetched batch, before the next fetch (a {@code pinned}
 * stream's next event comes only after its previous one is acked).
 *
 * <p>An outage (the server unreachable or answering 503 through the client's own {@link
 * RetryPolicy}, Payara's page while the application is away or boots, a 502/504) is ridden out: the
 * consumer waits by the same policy's backoff and asks again, for as long as it lasts. An ack that
 * comes too late ({@link LeaseNotHeldException}: the lease expired and was taken back) drops the
 * ids not held and acks the rest; those events are delivered again, as the group's at-least-once
 * contract says. Any other problem (the group deleted, a 400) ends the consumer: {@link #failure()}
 * and {@link GroupConsumerListener#failed}.
 */
public final class GroupConsumer implements AutoCloseable {
    /**
     * The least wait between two attempts in an outage: a client built with {@link
     * RetryPolicy#NONE} has no backoff, and would otherwise spin.
     */
    private static final Duration LEAST_BACKOFF = Duration.ofMillis(50);

    private final ArborClient client;
    private final String group;
    private final String consumer;
    private final int maxEvents;
    private final int waitSeconds;
    private final int ackBatchSize;
    private final GroupHandler handler;
    private final GroupConsumerListener listener;
    private final Thread thread;

    /** Guards {@link #stopping} and {@link #interruptible}. */
    private final Object lock = new Object();

    private boolean stopping;

    /** True while the thread sleeps out an outage, which stop() may cut short. */
    private boolean interruptible;

    private volatile Exception failure;

    // The consumer's thread only.
    private final List<UUID> handled = new ArrayList<>();
    private int failures;
    private long downSince;

    private GroupConsumer(Builder builder, GroupHandler handler) {
        this.client = builder.client;
        this.group = builder.group;
        this.consumer = builder.consumer;
        this.maxEvents = builder.maxEvents;
        this.waitSeconds = builder.waitSeconds;
        this.ackBatchSize = builder.ackBatchSize;
        this.listener = builder.listener;
        this.handler = handler;
        this.thread = new Thread(this::run, "arbor-group-consumer " + group + "/" + consumer);
        this.thread.setDaemon(true);
    }

    /** The group. */
    public String group() {
        return group;
    }

    /** This consumer's name. */
    public String consumer() {
        return consumer;
    }

    /** Whether it is still running: not stopped and not failed. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Why the consumer ended by itself, if it did. */
    public Optional<Exception> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Asks the consumer to stop, and returns at once. It fetches no more; a fetch waiting on the
     * server is let run to its end (at most {@code waitSeconds}), and the events it and the fetch
     * before brought are handled and acked (or nacked) first, so that nothing it leased is left to
     * expire. Cutting the wait short would not spare the server: it keeps a fetch waiting until its
     * time is over and may lease events to it meanwhile, which would then wait out their ack
     * timeout and count a delivery. A wait between two attempts in an outage ends at once; acks the
     * server cannot take then are given up on (those events are delivered again).
     */
    public void stop() {
        synchronized (lock) {
            stopping = true;
            if (interruptible && Thread.currentThread() != thread) {
                thread.interrupt();
            }
        }
    }

    /** Waits up to {@code timeout} for the consumer to end; true when it has. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    /**
     * {@link #stop()}, then waits until a waiting fetch has ended and the events in hand are
     * handled and acked (unless called from the handler, which then returns first).
     */
    @Override
    public void close() {
        stop();
        if (Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private GroupConsumer start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            while (!isStopping()) {
                List<Delivery> batch =
                        ridingOutages(() -> client.fetch(group, consumer, maxEvents, waitSeconds));
                if (batch == null) {
                    return; // stopped during an outage
                }
                for (Delivery delivery : batch) {
                    handle(delivery);
                    if (handled.size() >= ackBatchSize) {
                        ackHandled();
                    }
                }
                ackHandled();
            }
        } catch (Fatal fatal) {
            failure = fatal.why;
            listener.failed(fatal.why);
        }
    }

    private void handle(Delivery delivery) {
        try {
            handler.handle(delivery);
        } catch (Exception e) { // not hidden: told to the listener, and the event goes back
            listener.handlerFailed(delivery, e);
            List<UUID> id = List.of(delivery.event().eventId());
            withLease(id, ids -> client.nack(group, consumer, ids, NackAction.RETRY));
            return;
        }
        handled.add(delivery.event().eventId());
    }

    private void ackHandled() {
        if (!handled.isEmpty()) {
            withLease(List.copyOf(handled), ids -> client.ack(group, consumer, ids));
            handled.clear();
        }
    }

    /**
     * Acks or nacks {@code ids}; when some are no longer leased to this consumer (their lease
     * expired and was taken back, or an earlier attempt of this very request committed before its
     * answer was lost), the server changed nothing, so the rest go again without them.
     */
    private void withLease(List<UUID> ids, Function<List<UUID>, Integer> call) {
        List<UUID> held = ids;
        while (!held.isEmpty()) {
            List<UUID> request = held;
            try {
                ridingOutages(() -> call.apply(request));
                return;
            } catch (LeaseNotHeldException notHeld) {
                Set<UUID> gone = new HashSet<>(notHeld.eventIds());
                if (gone.isEmpty()) {
                    throw new Fatal(notHeld); // names none: retrying would only repeat it
                }
                held = request.stream().filter(id -> !gone.contains(id)).toList();
            }
        }
    }

    /**
     * Runs {@code call} until it answers, waiting out outages by the client's backoff; returns null
     * when the consumer is stopped during an outage (given up on).
     */
    private <T> T ridingOutages(Supplier<T> call) {
        while (true) {
            T answer;
            try {
                answer = call.get();
            } catch (LeaseNotHeldException notHeld) {
                throw notHeld;
            } catch (ArborException e) {
                if (!ArborClient.isOutageOrBootPage(e)) {
                    throw new Fatal(e);
                }
                if (isStopping()) {
                    return null;
                }
                if (failures++ == 0) {
                    downSince = System.nanoTime();
                }
                Duration wait = client.retryPolicy().backoff(failures);
                if (wait.compareTo(LEAST_BACKOFF) < 0) {
                    wait = LEAST_BACKOFF;
                }
                listener.disconnected(e, failures, down(), wait);
                if (!sleep(wait)) {
                    return null;
                }
                continue;
            }
            if (failures > 0) {
                listener.reconnected(failures, down());
                failures = 0;
            }
            return answer;
        }
    }

    /** Sleeps unless stopped; false when stopped. */
    private boolean sleep(Duration wait) {
        if (!enterInterruptible()) {
            return false;
        }
        try {
            Thread.sleep(wait.toMillis());
            return true;
        } catch (InterruptedException stopped) {
            return false;
        } finally {
            leaveInterruptible();
        }
    }

    private Duration down() {
        return Duration.ofNanos(System.nanoTime() - downSince);
    }

    private boolean isStopping() {
        synchronized (lock) {
            return stopping;
        }
    }

    /** Marks the thread as sleeping out an outage; false (and not marked) when stopping. */
    private boolean enterInterruptible() {
        synchronized (lock) {
            interruptible = !stopping;
            return interruptible;
        }
    }

    private void leaveInterruptible() {
        synchronized (lock) {
            interruptible = false;
            // An interrupt from stop() that came as the sleep ended must not reach the handler.
            Thread.interrupted();
        }
    }

    /** Ends the consumer with a failure that retrying would only repeat. */
    private static final class Fatal extends RuntimeException {
        final Exception why;

        Fatal(Exception why) {
            super(why.getMessage(), why, false, false);
            this.why = why;
        }
    }

    /** Options of a {@link GroupConsumer}; {@link #start} runs it. */
    public static final class Builder {
        private final ArborClient client;
        private final String group;
        private final String consumer;
        private int maxEvents = 100;
        private int waitSeconds = 10;
        private int ackBatchSize = 100;
        private GroupConsumerListener listener = GroupConsumerListener.SILENT;

        Builder(ArborClient client, String group, String consumer) {
            this.client = client;
            this.group = Objects.requireNonNull(group, "group");
            this.consumer = Objects.requireNonNull(consumer, "consumer");
        }

        /** Events per fetch, 1 to 1,000 (default 100). */
        public Builder maxEvents(int max) {
            this.maxEvents = within("maxEvents", max, 1, 1000);
            return this;
        }

        /**
         * How long a fetch waits on the server for the first event, 0 to 60 s (default 10); also
         * the longest a {@link GroupConsumer#stop()} waits for a fetch in progress.
         */
        public Builder waitSeconds(int seconds) {
            this.waitSeconds = within("waitSeconds", seconds, 0, 60);
            return this;
        }

        /**
         * Acks per request, 1 to 1,000 (default 100); 1 acks each event as soon as it is handled.
         * Whatever is left is acked at the end of each fetched batch in any case.
         */
        public Builder ackBatchSize(int size) {
            this.ackBatchSize = within("ackBatchSize", size, 1, 1000);
            return this;
        }

        public Builder listener(GroupConsumerListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Starts the consumer's thread. The group must exist ({@link ArborClient#putGroup}). */
        public GroupConsumer start(GroupHandler handler) {
            return new GroupConsumer(this, Objects.requireNonNull(handler, "handler")).start();
        }

        private static int within(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(
                        name + " is " + min + " to " + max + ", not " + value);
            }
            return value;
        }
    }
}
