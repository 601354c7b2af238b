/**
 * Consumer groups (docs/consumer-groups.md): {@link io.arbor.application.groups.ConsumerGroups}
 * changes a group's state, one short JTA transaction per call that first takes the group's row (for
 * update, or in share mode for acks and nacks), and reads its status without a lock, in one
 * statement; {@link io.arbor.application.groups.GroupFetches} is the long poll in front of its
 * leasing; {@link io.arbor.application.groups.GroupMetrics} its gauge and counters.
 */
package io.arbor.application.groups;
