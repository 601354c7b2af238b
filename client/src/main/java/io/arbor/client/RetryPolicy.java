package io.arbor.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently a request is retried after a 503 or a connection failure.
 *
 * <p>Retrying every request is safe: reads change nothing, an append carries client-chosen event
 * ids (a retry of one that committed is answered 200 with the original result), and saving the same
 * snapshot twice leaves the same latest snapshot. A consumer group's calls are at least once: a
 * fetch whose answer was lost leaves leases that expire and are delivered again, and an ack or nack
 * retried after its first attempt committed is answered {@link LeaseNotHeldException} for the ids
 * it already settled ({@link GroupConsumer} drops those and goes on).
 *
 * @param maxAttempts attempts in all, 1 or more (1: never retry)
 * @param initialBackoff the wait before the first retry; it doubles for each further one
 * @param maxBackoff the longest wait between two attempts
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    /** 6 attempts, waits from 100 ms doubling up to 5 s (about 8 s in all). */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(6, Duration.ofMillis(100), Duration.ofSeconds(5));

    /** One attempt, no retry. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts is 1 or more");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("0 <= initialBackoff <= maxBackoff");
        }
    }

    /**
     * The wait before attempt {@code attempt + 1} (attempt counts from 1): exponential with "equal
     * jitter", so many clients that failed together do not retry together.
     */
    Duration backoff(int attempt) {
        long base = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, maxBackoff.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }
}
