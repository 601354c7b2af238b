package io.arbor.client;

import java.time.Instant;

/**
 * A stream's head.
 *
 * @param streamId the stream
 * @param version its current version (the last event's)
 * @param createdAt when its first event was appended
 * @param updatedAt when its last event was appended
 * @param firstVersion its first visible version ({@code version + 1} when retention hides every
 *     event; 1 from a server before stream lifecycle, which hid nothing)
 * @param previousHash the hex hash of version {@code firstVersion - 1}, where the hash chain of the
 *     visible events starts (64 zeros when {@code firstVersion} is 1; null when the server does not
 *     know it: an unchained event, or a server before stream lifecycle with a truncated stream)
 */
public record StreamInfo(
        String streamId,
        long version,
        Instant createdAt,
        Instant updatedAt,
        long firstVersion,
        String previousHash) {}
