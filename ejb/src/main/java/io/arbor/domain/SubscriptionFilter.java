package io.arbor.domain;

/**
 * What a live subscription follows: one stream (by version), or the global log (by position), maybe
 * narrowed to a category and an event type. The filters are the global log's ({@link
 * GlobalLogQuery}), applied to events in memory by the tailer that all of an instance's
 * subscriptions share.
 *
 * @param stream the stream followed, or {@code null} for the global log
 * @param category only events of streams in this category, or {@code null} for all (log only)
 * @param type only events of this type, or {@code null} for all (log only)
 */
public record SubscriptionFilter(StreamId stream, String category, String type) {
    public SubscriptionFilter {
        if (stream != null && (category != null || type != null)) {
            throw new IllegalArgumentException("a stream subscription takes no category or type");
        }
        // The same checks and normalisation as a page of the log (blank is absent, no U+0000).
        if (stream == null) {
            GlobalLogQuery checked = new GlobalLogQuery(0, 1, category, type);
            category = checked.category();
            type = checked.type();
        }
    }

    /** The global log, maybe narrowed to a category and a type ({@code null} or blank: all). */
    public static SubscriptionFilter log(String category, String type) {
        return new SubscriptionFilter(null, category, type);
    }

    /** One stream's events, by version. */
    public static SubscriptionFilter stream(StreamId stream) {
        return new SubscriptionFilter(stream, null, null);
    }

    /** True for a subscription to one stream (frames are numbered by version, not position). */
    public boolean isStream() {
        return stream != null;
    }

    /**
     * True when some events of the log are left out: such a subscription sends checkpoints, so that
     * a client that resumes does not scan the skipped part of the log again.
     */
    public boolean skipsEvents() {
        return stream == null && (category != null || type != null);
    }

    /** Whether this subscription delivers {@code event}. */
    public boolean matches(RecordedEvent event) {
        if (stream != null) {
            return stream.equals(event.streamId());
        }
        return (category == null || category.equals(event.streamId().category()))
                && (type == null || type.equals(event.type()));
    }

    /** A page of the global log with this filter's category and type (log subscriptions). */
    public GlobalLogQuery page(long after, int limit) {
        return new GlobalLogQuery(after, limit, category, type);
    }
}
