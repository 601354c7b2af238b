package io.arbor.application.subscriptions;

/**
 * Where one live subscription's frames go: the web module writes them as Server-Sent Events
 * (api.md, "Live subscriptions"). Each call blocks until the frame is handed to the connection and
 * throws {@link SubscriberGoneException} once the subscriber has gone away.
 */
public interface SubscriptionSink {
    /**
     * One event.
     *
     * @param id the event's global position (log subscriptions) or version (stream subscriptions)
     * @param json api.md's EVENT, on one line
     */
    void event(long id, String json);

    /** Everything committed when the subscription started has been sent. */
    void caughtUp(long position);

    /** A filtered subscription has searched the log up to {@code position}: resume from there. */
    void checkpoint(long position);

    /** The subscription ends; the subscriber resumes from {@code position}. */
    void dropped(long position, String reason);

    /** Nothing else to send for a while: a comment line keeps the connection and proxies awake. */
    void heartbeat();

    /** Ends the connection (the server's side of it); safe to call more than once. */
    void close();
}
