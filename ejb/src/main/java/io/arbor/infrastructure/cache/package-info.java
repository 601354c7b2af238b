/**
 * The hot cache: JCache backed by Payara's Hazelcast data grid, shared by every instance in the
 * grid, bounded by {@code arbor.cache.*}.
 *
 * <p>Most of it holds only what can never change: chunks of a stream's events (versions {@code
 * k·size+1…}), the schema registry of each generation, and snapshot bodies keyed by stream, version
 * and creation time. Such an entry is never wrong, only absent: there is nothing to invalidate, and
 * a rolled-back append never reaches the cache because only committed rows, read back from the
 * database, fill it.
 *
 * <p>What is current is kept apart, in the committed heads ({@link
 * io.arbor.infrastructure.cache.CommittedHeads}): a stream's head and the registry's generation as
 * last committed, served only while the grid can vouch for them (no write of them in flight, under
 * the leases of {@link io.arbor.infrastructure.cache.HeadLeases}), else read from PostgreSQL, so no
 * instance serves an older version than another one acknowledged. What reads and writes do with
 * them is {@link io.arbor.application.StreamHeads}. Which snapshot is the latest is always read
 * from PostgreSQL.
 */
package io.arbor.infrastructure.cache;
