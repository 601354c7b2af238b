package io.arbor.client;

import java.time.Duration;

/**
 * Hears how a live follower ({@link ArborClient#follow(long, LogFilter, Duration, Duration,
 * FollowListener)}) rides out an outage: the server restarting, redeploying, or its database away.
 */
public interface FollowListener {
    /** Hears nothing. */
    FollowListener SILENT = new FollowListener() {};

    /**
     * A page could not be read; the follower waits {@code retryIn} and asks again.
     *
     * @param why the failure of this attempt (after the client's own {@link RetryPolicy})
     * @param failures failed attempts in a row so far, 1 for the first
     * @param down how long since the first failed attempt of this outage began
     */
    default void disconnected(ArborException why, int failures, Duration down, Duration retryIn) {}

    /**
     * The server answered again.
     *
     * @param failures failed attempts the outage cost
     * @param down how long it lasted, from the first failed attempt
     */
    default void reconnected(int failures, Duration down) {}
}
