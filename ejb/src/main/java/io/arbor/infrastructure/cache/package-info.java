/**
 * The hot cache: JCache backed by Payara's Hazelcast data grid, shared by every instance in the
 * grid, bounded by {@code arbor.cache.*}.
 *
 * <p>It holds only what can never change: chunks of a stream's events (versions {@code k·size+1…})
 * and snapshots keyed by stream, version and creation time. What is current (a stream's head, which
 * snapshot is the latest) is always read from PostgreSQL's primary keys, so a cached entry is never
 * wrong, only absent; there is nothing to invalidate, no instance can serve an older version than
 * another one acknowledged, and a rolled-back append never reaches the cache because only committed
 * rows, read back from the database, fill it.
 */
package io.arbor.infrastructure.cache;
