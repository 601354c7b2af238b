package io.arbor.web.problem;

import io.arbor.domain.schema.SchemaConflictException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 409: the registry already holds this version or upcaster differently; nothing changed. */
@Provider
public class SchemaConflictMapper implements ExceptionMapper<SchemaConflictException> {
    @Override
    public Response toResponse(SchemaConflictException conflict) {
        return Problem.of(
                        409,
                        "schema-conflict",
                        "The registry already holds this differently",
                        conflict.getMessage())
                .build();
    }
}
