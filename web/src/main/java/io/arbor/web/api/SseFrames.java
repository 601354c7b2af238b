package io.arbor.web.api;

import io.arbor.application.subscriptions.SubscriberGoneException;
import io.arbor.application.subscriptions.SubscriptionSink;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.CompletionException;

/**
 * A live subscription's frames as Server-Sent Events (api.md, "Live subscriptions"): {@code event}
 * (with the event's position or version as {@code id}), {@code caught-up}, {@code checkpoint} (with
 * an {@code id}, so that an {@code EventSource} resumes after it), {@code dropped}, and comment
 * lines as heartbeats. Each send blocks until Jersey has written and flushed the frame.
 */
final class SseFrames implements SubscriptionSink {
    static final String LAST_EVENT_ID = "Last-Event-ID";

    private final SseEventSink sink;
    private final Sse sse;

    SseFrames(SseEventSink sink, Sse sse) {
        this.sink = sink;
        this.sse = sse;
    }

    /**
     * Where a subscription starts: after the {@code Last-Event-ID} a reconnecting {@code
     * EventSource} sends, else after {@code after}, else from the beginning.
     */
    static long startAfter(String after, String lastEventId) {
        // Below Long.MAX_VALUE: a subscription reads from after + 1.
        if (lastEventId != null && !lastEventId.isBlank()) {
            return QueryParameters.optionalInteger(
                    "Last-Event-ID", lastEventId.strip(), 0, Long.MAX_VALUE - 1);
        }
        return QueryParameters.integer("after", after, 0, Long.MAX_VALUE - 1, 0);
    }

    @Override
    public void event(long id, String json) {
        send(frame("event", json).id(Long.toString(id)).build());
    }

    @Override
    public void caughtUp(long position) {
        send(frame("caught-up", "{\"position\":" + position + "}").build());
    }

    @Override
    public void checkpoint(long position) {
        send(
                frame("checkpoint", "{\"position\":" + position + "}")
                        .id(Long.toString(position))
                        .build());
    }

    @Override
    public void dropped(long position, String reason) {
        send(
                frame(
                                "dropped",
                                JsonText.object()
                                        .number("position", position)
                                        .string("reason", reason)
                                        .toString())
                        .build());
    }

    @Override
    public void heartbeat() {
        send(sse.newEventBuilder().comment("heartbeat").build());
    }

    @Override
    public void close() {
        try {
            sink.close();
        } catch (RuntimeException alreadyGone) {
            // the connection is closed either way
        }
    }

    private OutboundSseEvent.Builder frame(String name, String json) {
        return sse.newEventBuilder().name(name).mediaType(MediaType.TEXT_PLAIN_TYPE).data(json);
    }

    private void send(OutboundSseEvent frame) {
        if (sink.isClosed()) {
            throw new SubscriberGoneException("the subscriber closed the connection", null);
        }
        try {
            sink.send(frame).toCompletableFuture().join();
        } catch (CompletionException | IllegalStateException failed) {
            throw new SubscriberGoneException("the subscriber's connection failed", failed);
        }
    }
}
