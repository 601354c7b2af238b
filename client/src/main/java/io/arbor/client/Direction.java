package io.arbor.client;

/** The direction of a stream read. */
public enum Direction {
    /** From low versions to high. */
    FORWARD,
    /** From high versions to low. */
    BACKWARD;

    String wire() {
        return this == FORWARD ? "forward" : "backward";
    }
}
