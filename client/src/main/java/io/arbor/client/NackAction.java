package io.arbor.client;

/** What a consumer asks for leased events it could not handle ({@link ArborClient#nack}). */
public enum NackAction {
    /** Deliver again; the server parks it instead once delivered {@code maxRetries} + 1 times. */
    RETRY("retry"),
    /** Park it now: out of the way until {@link ArborClient#replayParked}. */
    PARK("park"),
    /** Give up on it: it counts as done, like an ack. */
    SKIP("skip");

    private final String wire;

    NackAction(String wire) {
        this.wire = wire;
    }

    String wire() {
        return wire;
    }
}
