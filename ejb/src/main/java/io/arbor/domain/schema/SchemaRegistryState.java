package io.arbor.domain.schema;

import java.util.Map;

/**
 * The whole registry as of one generation. Immutable: a change to the registry makes a new
 * generation, so a state can be cached and shared by every request that probed that generation.
 */
public record SchemaRegistryState(long generation, Map<String, EventTypeState> types) {
    public SchemaRegistryState {
        types = Map.copyOf(types);
    }

    /** The type, {@code null} when the registry does not know it. */
    public EventTypeState type(String type) {
        return types.get(type);
    }
}
