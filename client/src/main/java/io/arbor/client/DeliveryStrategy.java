package io.arbor.client;

/** How a consumer group spreads its events over its consumers (docs/consumer-groups.md). */
public enum DeliveryStrategy {
    /** Each fetch takes the oldest deliverable events; no order is promised. */
    ROUND_ROBIN("round-robin"),
    /**
     * Each stream belongs to one live consumer and has at most one event in flight: per-stream
     * order, for events that were never parked.
     */
    PINNED("pinned");

    private final String wire;

    DeliveryStrategy(String wire) {
        this.wire = wire;
    }

    /** The name in the API: {@code round-robin} or {@code pinned}. */
    public String wire() {
        return wire;
    }

    /**
     * The strategy the API calls {@code wire}.
     *
     * @throws IllegalArgumentException for another name
     */
    public static DeliveryStrategy of(String wire) {
        for (DeliveryStrategy strategy : values()) {
            if (strategy.wire.equals(wire)) {
                return strategy;
            }
        }
        throw new IllegalArgumentException(
                "a strategy is round-robin or pinned, not '" + wire + "'");
    }
}
