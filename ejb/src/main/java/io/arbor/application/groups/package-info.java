/**
 * Consumer groups (docs/consumer-groups.md): {@link io.arbor.application.groups.ConsumerGroups}
 * changes and reads a group's state, one short JTA transaction per call under the group's row lock;
 * {@link io.arbor.application.groups.GroupFetches} is the long poll in front of its leasing.
 */
package io.arbor.application.groups;
