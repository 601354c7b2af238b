package io.arbor.application.subscriptions;

/**
 * The {@code arbor.subscriptions.*} settings one subscription runs by.
 *
 * @param pageSize events per read, for a subscriber's own catch-up and for the shared tailer
 * @param bufferEvents events held for one live subscriber before it is dropped (at least one page)
 * @param tickMillis how often a waiting subscriber looks at its clock (checkpoints, heartbeats)
 * @param checkpointMillis least time between two checkpoints of a filtered subscription that moved
 * @param heartbeatMillis most time without a frame: a checkpoint (filtered) or a comment line
 * @param recheckMillis most time between PostgreSQL showing an event visible and the subscriber
 *     sending it: an event held longer is checked again first ({@code visible_events})
 */
record SubscriptionSettings(
        int pageSize,
        int bufferEvents,
        long tickMillis,
        long checkpointMillis,
        long heartbeatMillis,
        long recheckMillis) {
    SubscriptionSettings {
        // A tailer page larger than the buffer would drop every subscriber on a burst.
        bufferEvents = Math.max(bufferEvents, pageSize);
    }
}
