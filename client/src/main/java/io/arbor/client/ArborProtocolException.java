package io.arbor.client;

/**
 * The server answered, but not as api.md says: a subscription's 200 that is not {@code
 * text/event-stream}, or a frame whose data is not the JSON it must be. Retrying would only repeat
 * it, so it ends what it interrupted.
 */
public class ArborProtocolException extends ArborException {
    public ArborProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
