package io.arbor.domain.schema;

import io.arbor.domain.ArborException;

/**
 * A registration names something the registry already holds differently (a schema version, an
 * upcaster): registered entries never change, so readers can rely on them.
 */
public class SchemaConflictException extends ArborException {
    public SchemaConflictException(String message) {
        super(message);
    }
}
