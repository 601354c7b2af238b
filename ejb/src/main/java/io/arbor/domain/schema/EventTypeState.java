package io.arbor.domain.schema;

import java.util.List;
import java.util.Map;

/**
 * One event type in the registry.
 *
 * @param schemas the JSON Schema text of versions 1…n, in order (empty when only a compatibility
 *     mode was set)
 * @param upcasters the declarative upcasters by the version they read
 */
public record EventTypeState(
        String type,
        Compatibility compatibility,
        List<String> schemas,
        Map<Integer, DeclarativeUpcaster> upcasters) {
    public EventTypeState {
        schemas = List.copyOf(schemas);
        upcasters = Map.copyOf(upcasters);
    }

    /** The latest registered version, 0 when there is none. */
    public int latestVersion() {
        return schemas.size();
    }

    /** The schema text of {@code version}, {@code null} when it is not registered. */
    public String schema(int version) {
        return version >= 1 && version <= schemas.size() ? schemas.get(version - 1) : null;
    }
}
