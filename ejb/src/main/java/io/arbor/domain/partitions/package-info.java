/**
 * The partitioned events table (docs/design.md, "The partitioned events table"): which range
 * partitions of the global log to create next ({@link io.arbor.domain.partitions.PartitionPlan}).
 */
package io.arbor.domain.partitions;
