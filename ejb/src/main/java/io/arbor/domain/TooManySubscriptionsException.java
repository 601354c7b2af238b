package io.arbor.domain;

/**
 * This instance already serves as many live subscriptions as {@code
 * arbor.subscriptions.max-per-instance} allows; the client may retry later or on another instance.
 */
public class TooManySubscriptionsException extends ArborException {
    public TooManySubscriptionsException(int limit) {
        super("This instance already serves its limit of " + limit + " live subscriptions");
    }
}
