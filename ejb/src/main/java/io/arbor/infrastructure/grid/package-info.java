/**
 * Payara's data grid (Hazelcast) beyond the hot cache: {@link
 * io.arbor.infrastructure.grid.DataGrid} finds this server's member, {@link
 * io.arbor.infrastructure.grid.AppendedTopic} tells the other instances that the global log grew,
 * so that their live subscriptions' tailers read at once instead of at their next poll.
 */
package io.arbor.infrastructure.grid;
