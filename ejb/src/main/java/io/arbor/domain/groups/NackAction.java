package io.arbor.domain.groups;

import io.arbor.domain.InvalidInputException;

/** What a consumer asks for events it could not handle. */
public enum NackAction {
    /** Deliver again (parked instead once delivered {@code maxRetries} + 1 times). */
    RETRY("retry"),
    /** Park now: out of the way until replayed. */
    PARK("park"),
    /** Give up on it: counts as done, like an ack. */
    SKIP("skip");

    private final String text;

    NackAction(String text) {
        this.text = text;
    }

    public static NackAction parse(String text, String pointer) {
        for (NackAction action : values()) {
            if (action.text.equals(text)) {
                return action;
            }
        }
        throw new InvalidInputException(pointer, "action must be retry, park or skip");
    }
}
