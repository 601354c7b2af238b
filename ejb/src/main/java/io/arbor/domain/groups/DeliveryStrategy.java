package io.arbor.domain.groups;

import io.arbor.domain.InvalidInputException;

/** How a group spreads its events over its consumers. */
public enum DeliveryStrategy {
    /** Each fetch takes the oldest deliverable events; no order is promised. */
    ROUND_ROBIN("round-robin"),
    /**
     * Each stream belongs to one live consumer ({@link PinnedStreams}) and has at most one event in
     * flight: per-stream order.
     */
    PINNED("pinned");

    private final String text;

    DeliveryStrategy(String text) {
        this.text = text;
    }

    /** The name in the API and in the database. */
    public String text() {
        return text;
    }

    public static DeliveryStrategy parse(String text, String pointer) {
        for (DeliveryStrategy strategy : values()) {
            if (strategy.text.equals(text)) {
                return strategy;
            }
        }
        throw new InvalidInputException(pointer, "strategy must be round-robin or pinned");
    }
}
