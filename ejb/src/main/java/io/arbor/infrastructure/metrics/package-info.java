/**
 * MicroProfile Metrics, all named {@code arbor.*} (Prometheus: {@code arbor_*}): append and read
 * latency, events appended, conflicts, cache hits and misses, store totals and growth, and the
 * global log's head and reader lag. See the README for the full list.
 */
package io.arbor.infrastructure.metrics;
