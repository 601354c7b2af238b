package io.arbor.domain.schema;

import io.arbor.domain.ArborException;
import java.util.List;

/** A new schema version breaks its type's compatibility mode; nothing was registered. */
public class IncompatibleSchemaException extends ArborException {
    private final String type;
    private final int version;
    private final Compatibility compatibility;
    private final List<SchemaBreak> breaks;

    public IncompatibleSchemaException(
            String type, int version, Compatibility compatibility, List<SchemaBreak> breaks) {
        super(
                "Version "
                        + version
                        + " of "
                        + type
                        + " is not "
                        + compatibility
                        + " compatible with version "
                        + (version - 1)
                        + ": "
                        + breaks.size()
                        + " change(s) break it");
        this.type = type;
        this.version = version;
        this.compatibility = compatibility;
        this.breaks = List.copyOf(breaks);
    }

    public String type() {
        return type;
    }

    public int version() {
        return version;
    }

    public Compatibility compatibility() {
        return compatibility;
    }

    public List<SchemaBreak> breaks() {
        return breaks;
    }
}
