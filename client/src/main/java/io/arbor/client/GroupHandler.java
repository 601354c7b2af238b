package io.arbor.client;

/**
 * Handles one event of a consumer group for a {@link GroupConsumer}. Returning normally acks the
 * event; throwing nacks it with {@link NackAction#RETRY}, so it is delivered again, up to the
 * group's {@code maxRetries}, and then parked by the server.
 */
@FunctionalInterface
public interface GroupHandler {
    void handle(Delivery delivery) throws Exception;
}
