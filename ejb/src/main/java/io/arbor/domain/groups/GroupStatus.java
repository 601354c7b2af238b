package io.arbor.domain.groups;

import java.time.Instant;
import java.util.List;

/**
 * A group's settings and where it stands.
 *
 * @param checkpoint every matching event at or below it is acked, skipped or parked
 * @param headPosition the global log's horizon when this was read
 * @param consumers the live ones (fetched within the ack timeout), by name
 */
public record GroupStatus(
        GroupName group,
        GroupSettings settings,
        long checkpoint,
        long headPosition,
        long inFlight,
        long parked,
        List<ConsumerStatus> consumers,
        Instant createdAt) {
    /** How far the group is behind the log: 0 once every matching event is done. */
    public long lag() {
        return Math.max(0, headPosition - checkpoint);
    }
}
