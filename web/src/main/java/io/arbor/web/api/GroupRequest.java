package io.arbor.web.api;

import io.arbor.domain.InvalidInputException;
import io.arbor.domain.NewEvent;
import io.arbor.domain.StreamId;
import io.arbor.domain.SubscriptionFilter;
import io.arbor.domain.groups.DeliveryStrategy;
import io.arbor.domain.groups.GroupSettings;
import io.arbor.domain.groups.LogPoint;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Set;

/** The body of {@code PUT /subscriptions/{group}}: a group's filter, start and settings. */
record GroupRequest(GroupSettings settings, LogPoint startFrom) {
    private static final Set<String> FIELDS =
            Set.of(
                    "filter",
                    "startFrom",
                    "strategy",
                    "maxRetries",
                    "ackTimeoutSeconds",
                    "maxInFlight");
    private static final Set<String> FILTER_FIELDS = Set.of("category", "type", "streamId", "tags");

    static GroupRequest from(JsonObject body) {
        JsonFields fields = new JsonFields(body, "", FIELDS);
        DeliveryStrategy strategy =
                fields.isAbsent("strategy")
                        ? DeliveryStrategy.ROUND_ROBIN
                        : DeliveryStrategy.parse(
                                fields.string("strategy"), fields.pointer("strategy"));
        GroupSettings settings =
                new GroupSettings(
                        filter(fields.object("filter", FILTER_FIELDS)),
                        strategy,
                        (int)
                                fields.integer(
                                        "maxRetries", 0, 1000, GroupSettings.DEFAULT_MAX_RETRIES),
                        (int)
                                fields.integer(
                                        "ackTimeoutSeconds",
                                        1,
                                        3600,
                                        GroupSettings.DEFAULT_ACK_TIMEOUT_SECONDS),
                        (int)
                                fields.integer(
                                        "maxInFlight",
                                        1,
                                        10_000,
                                        GroupSettings.DEFAULT_MAX_IN_FLIGHT));
        LogPoint start =
                fields.isAbsent("startFrom")
                        ? LogPoint.BEGINNING
                        : logPoint(fields.value("startFrom"), fields.pointer("startFrom"));
        return new GroupRequest(settings, start);
    }

    /**
     * A category or type to match: at most as long as a stored one can be, and without U+0000
     * (which PostgreSQL takes in no text); absent is null.
     */
    private static String filterText(JsonFields filter, String name, int maxLength) {
        String text = filter.optionalString(name);
        if (text != null
                && (text.isEmpty() || text.length() > maxLength || text.indexOf('\u0000') >= 0)) {
            throw new InvalidInputException(
                    filter.pointer(name),
                    name + " must be 1 to " + maxLength + " characters without U+0000");
        }
        return text;
    }

    private static SubscriptionFilter filter(JsonFields filter) {
        if (!filter.isAbsent("tags")) {
            throw new InvalidInputException(
                    filter.pointer("tags"),
                    "groups do not filter by tags (queries do: POST /events/query)");
        }
        String category = filterText(filter, "category", StreamId.MAX_LENGTH);
        String type = filterText(filter, "type", NewEvent.MAX_TYPE_LENGTH);
        if (filter.isAbsent("streamId")) {
            return SubscriptionFilter.log(category, type);
        }
        if (category != null || type != null) {
            throw new InvalidInputException(
                    filter.pointer("streamId"),
                    "streamId cannot be combined with category or type");
        }
        StreamId stream;
        try {
            stream = StreamId.of(filter.string("streamId"));
        } catch (InvalidInputException invalid) {
            throw new InvalidInputException(filter.pointer("streamId"), invalid.getMessage());
        }
        return SubscriptionFilter.stream(stream);
    }

    /** {@code "beginning"}, {@code "end"} or a position of 0 or more. */
    static LogPoint logPoint(JsonValue value, String pointer) {
        Object parsed = value;
        if (value instanceof JsonString text) {
            parsed = text.getString();
        } else if (value instanceof JsonNumber number && number.isIntegral()) {
            try {
                parsed = number.bigIntegerValueExact().longValueExact();
            } catch (ArithmeticException tooLarge) {
                parsed = null;
            }
        }
        return LogPoint.parse(parsed, pointer);
    }
}
