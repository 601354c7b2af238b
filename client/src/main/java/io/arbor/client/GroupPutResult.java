package io.arbor.client;

/**
 * The answer to {@link ArborClient#putGroup}.
 *
 * @param created true: the group is new (201); false: its settings were changed, its position kept
 *     (200)
 * @param group the group as it now stands
 */
public record GroupPutResult(boolean created, GroupStatus group) {}
