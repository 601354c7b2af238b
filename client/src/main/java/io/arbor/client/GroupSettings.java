package io.arbor.client;

/**
 * What {@link ArborClient#putGroup} sends: a consumer group's filter, start and settings. A member
 * left null is not sent, so the server's default applies (docs/consumer-groups.md: from the
 * beginning, {@code round-robin}, 10 retries, a 30 s ack timeout, 1,000 in flight); the server
 * checks the ranges. A PUT replaces every setting: one left null on an update returns to its
 * default.
 *
 * <pre>{@code
 * GroupSettings settings = GroupSettings.builder()
 *         .filter(GroupFilter.category("account"))
 *         .strategy(DeliveryStrategy.PINNED)
 *         .maxRetries(3)
 *         .build();
 * }</pre>
 *
 * @param filter which events (null: all); fixed once the group exists
 * @param startFrom where a new group starts (ignored on an update: use {@link
 *     ArborClient#resetGroup})
 * @param strategy how events are spread over the consumers
 * @param maxRetries redeliveries before an event is parked, 0 to 1,000
 * @param ackTimeoutSeconds how long a lease lasts, 1 to 3,600
 * @param maxInFlight events leased at once over all consumers, 1 to 10,000
 */
public record GroupSettings(
        GroupFilter filter,
        LogPoint startFrom,
        DeliveryStrategy strategy,
        Integer maxRetries,
        Integer ackTimeoutSeconds,
        Integer maxInFlight) {

    /** Every setting at the server's default. */
    public static final GroupSettings DEFAULTS = builder().build();

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link GroupSettings}; every member starts null (the server's default). */
    public static final class Builder {
        private GroupFilter filter;
        private LogPoint startFrom;
        private DeliveryStrategy strategy;
        private Integer maxRetries;
        private Integer ackTimeoutSeconds;
        private Integer maxInFlight;

        private Builder() {}

        public Builder filter(GroupFilter filter) {
            this.filter = filter;
            return this;
        }

        public Builder startFrom(LogPoint startFrom) {
            this.startFrom = startFrom;
            return this;
        }

        public Builder strategy(DeliveryStrategy strategy) {
            this.strategy = strategy;
            return this;
        }

        public Builder maxRetries(Integer maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        public Builder ackTimeoutSeconds(Integer ackTimeoutSeconds) {
            this.ackTimeoutSeconds = ackTimeoutSeconds;
            return this;
        }

        public Builder maxInFlight(Integer maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        public GroupSettings build() {
            return new GroupSettings(
                    filter, startFrom, strategy, maxRetries, ackTimeoutSeconds, maxInFlight);
        }
    }
}
