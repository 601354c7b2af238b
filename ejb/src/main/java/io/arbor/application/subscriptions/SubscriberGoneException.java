package io.arbor.application.subscriptions;

/** A subscriber's connection has closed: its subscription ends, quietly. */
public class SubscriberGoneException extends RuntimeException {
    public SubscriberGoneException(String message, Throwable cause) {
        super(message, cause);
    }
}
