package io.arbor.client;

/**
 * Hears a {@link GroupConsumer}: outages as a {@link FollowListener} hears them ({@link
 * #disconnected} for each failed fetch, ack or nack, {@link #reconnected} when the server answers
 * again), a handler's failures, and the end of the consumer. Called on the consumer's thread.
 */
public interface GroupConsumerListener extends FollowListener {
    /** Hears nothing. */
    GroupConsumerListener SILENT = new GroupConsumerListener() {};

    /** The handler threw for {@code delivery}; it is nacked with {@link NackAction#RETRY} next. */
    default void handlerFailed(Delivery delivery, Exception why) {}

    /**
     * The consumer ended for good: the server answered with a problem that is Arbor's own and not
     * an outage (the group was deleted: {@link GroupNotFoundException}; a 400; a 500). Not called
     * when it is stopped.
     */
    default void failed(Exception why) {}
}
