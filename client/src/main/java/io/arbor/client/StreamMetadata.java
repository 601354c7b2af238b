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
public record StreamMetadata(Long maxAge, Long maxCount, Long truncateBefore, JsonObject custom) {}
