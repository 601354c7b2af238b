package io.arbor.client;

/**
 * Arbor could not be reached, or kept answering 503 (its database away), through every attempt of
 * the {@link RetryPolicy}. An append that ends here may or may not have been written: retry it with
 * the same event ids to find out safely.
 */
public class ArborUnavailableException extends ArborException {
    private final int attempts;

    public ArborUnavailableException(String message, int attempts, Throwable cause) {
        super(
                message + " (after " + attempts + " attempt" + (attempts == 1 ? "" : "s") + ")",
                cause);
        this.attempts = attempts;
    }

    /** How many attempts were made. */
    public int attempts() {
        return attempts;
    }
}
