package io.arbor.infrastructure.grid;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.topic.ITopic;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A data-grid topic on which each instance says "the global log grew up to position P" after an
 * append commits, so that live subscriptions on the other instances hear of it at once. It is a
 * hint, never the data: a lost message only delays delivery until the tailer's next poll, and the
 * tailer reads what to deliver from PostgreSQL. An instance alone in its grid publishes nothing.
 */
@ApplicationScoped
public class AppendedTopic {
    private static final Logger LOG = Logger.getLogger(AppendedTopic.class.getName());
    private static final String NAME = "arbor-global-log-appended";

    private ITopic<Long> topic;
    private Cluster cluster;

    @PostConstruct
    void open() {
        try {
            var member = DataGrid.member();
            topic = member.getTopic(NAME);
            cluster = member.getCluster();
        } catch (RuntimeException unavailable) {
            // Subscriptions still work: their tailers poll (arbor.subscriptions.poll-interval-ms).
            LOG.log(
                    Level.WARNING,
                    "No data-grid topic; other instances learn of appends by polling",
                    unavailable);
        }
    }

    /** Tells the other instances that the log grew up to {@code position} (no wait, no error). */
    public void published(long position) {
        if (topic == null) {
            return;
        }
        try {
            if (cluster.getMembers().size() > 1) {
                topic.publishAsync(position);
            }
        } catch (RuntimeException ignored) {
            // A hint only: the other instances' tailers poll anyway.
        }
    }

    /**
     * Calls {@code listener} with each position another instance publishes; returns the handle that
     * {@link #stopListening} takes, or {@code null} when there is no grid.
     */
    public UUID listen(LongConsumer listener) {
        if (topic == null) {
            return null;
        }
        return topic.addMessageListener(
                message -> {
                    if (!message.getPublishingMember().localMember()) {
                        listener.accept(message.getMessageObject());
                    }
                });
    }

    public void stopListening(UUID handle) {
        if (topic != null && handle != null) {
            try {
                topic.removeMessageListener(handle);
            } catch (RuntimeException gridGone) {
                // shutting down: the member and its listeners go with it
            }
        }
    }
}
