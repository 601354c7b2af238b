package io.arbor.client;

import jakarta.json.JsonObject;

/**
 * A stream's metadata (api.md, "Stream lifecycle"): its retention rules, each null when not set,
 * and the writer's own JSON object. {@link ArborClient#setStreamMetadata} replaces all of it.
 *
 * @param maxAge seconds: events recorded longer ago are hidden
 * @param maxCount only the last {@code maxCount} versions are visible
 * @param truncateBefore versions below it are hidden (at most the stream's version + 1)
 * @param custom the writer's own object ({@code {}} when none)
 */
public record StreamMetadata(Long maxAge, Long maxCount, Long truncateBefore, JsonObject custom) {
    /**
     * The metadata in {@code json}, the API's form ({@code {"maxAge","maxCount","truncateBefore",
     * "custom"}}); a member that is absent or null is no rule (no custom object).
     */
    public static StreamMetadata of(JsonObject json) {
        return new StreamMetadata(
                optionalLong(json, "maxAge"),
                optionalLong(json, "maxCount"),
                optionalLong(json, "truncateBefore"),
                json.containsKey("custom") && !json.isNull("custom")
                        ? json.getJsonObject("custom")
                        : null);
    }

    private static Long optionalLong(JsonObject json, String name) {
        return !json.containsKey(name) || json.isNull(name)
                ? null
                : json.getJsonNumber(name).longValue();
    }
}
