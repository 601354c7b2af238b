package io.arbor.domain;

import java.util.List;

/**
 * A range of the whole global log, every tenant's events as stored, for the live subscriptions'
 * tailer: like {@link LogRange}, searched up to {@code scannedUpTo}, complete when the read reached
 * the horizon.
 */
public record StoreLogRange(List<TenantEvent> events, long scannedUpTo, boolean complete) {}
