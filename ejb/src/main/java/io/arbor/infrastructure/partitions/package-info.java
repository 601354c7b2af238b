/**
 * The events table's partitions, kept ahead of the global log ({@link
 * io.arbor.infrastructure.partitions.EventPartitions}).
 */
package io.arbor.infrastructure.partitions;
