package io.arbor.client;

/**
 * Hears a live subscription ({@link ArborClient#subscribe}, {@link ArborClient#subscribeToStream}).
 * Every method is called on the subscription's own thread, one call at a time, so a listener needs
 * no locking of its own; a slow listener slows only its own subscription (past the server's buffer
 * the server drops it, and it resumes by itself).
 *
 * <p>Outages are told as a {@link FollowListener} tells them: {@link #disconnected} for each failed
 * connection attempt or lost connection, {@link #reconnected} when a new connection delivers again.
 */
public interface SubscriptionListener extends FollowListener {
    /**
     * The next event: each matching event exactly once, in increasing position (stream: version)
     * order, across any number of reconnections. An exception thrown here ends the subscription
     * ({@link Subscription#failure()}); the event counts as not processed.
     */
    void event(RecordedEvent event);

    /**
     * The history up to the log's end (as of when the subscription started) has been delivered;
     * called once per subscription, on its first connection that gets that far.
     *
     * @param position the global position (stream: version) the history ended at
     */
    default void caughtUp(long position) {}

    /**
     * The server dropped the connection ({@code slow-consumer…}: this subscriber fell behind by a
     * full buffer; {@code store-unavailable}: its database read failed). The subscription then
     * reconnects after its last processed position, as after any other lost connection.
     */
    default void dropped(long position, String reason) {}

    /**
     * The subscription ended for good: the server answered with a problem that is Arbor's own and
     * not an outage (400, a stream's 404, 500), its answer was not an event stream, or {@link
     * #event} threw. Not called when the subscription is closed.
     */
    default void failed(Exception why) {}
}
