package io.arbor.domain;

/**
 * An event that matches an {@link EventQuery}: its global position, and the index of the first of
 * the query's items it matches.
 */
public record QueryMatch(int item, long position) {}
