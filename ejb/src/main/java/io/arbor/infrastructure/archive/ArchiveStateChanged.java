package io.arbor.infrastructure.archive;

import io.arbor.domain.archive.ArchiveState;

/**
 * A CDI event fired (synchronously, after the commit) by {@link EventArchiver} on the instance that
 * changed a range's state, so that this instance's view of the archived ranges is refreshed at once
 * instead of when it next expires (docs/archive.md, "Readers' view"). Other instances see the
 * change within a quarter of {@code arbor.archive.grace-seconds}, which is what the grace is for.
 *
 * @param from the range's first position
 * @param to one past its last
 * @param state its new state
 */
public record ArchiveStateChanged(long from, long to, ArchiveState state) {}
