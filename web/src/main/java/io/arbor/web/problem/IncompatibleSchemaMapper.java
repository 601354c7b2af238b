package io.arbor.web.problem;

import io.arbor.domain.schema.IncompatibleSchemaException;
import io.arbor.web.api.JsonText;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 409: the new schema version breaks the type's compatibility mode; {@code breaks} lists what
 * breaks, each with a JSON pointer into the event data. Nothing was registered.
 */
@Provider
public class IncompatibleSchemaMapper implements ExceptionMapper<IncompatibleSchemaException> {
    @Override
    public Response toResponse(IncompatibleSchemaException incompatible) {
        return Problem.of(
                        409,
                        "incompatible-schema",
                        "The schema breaks the event type's compatibility mode",
                        incompatible.getMessage())
                .with("eventType", incompatible.type())
                .with("version", incompatible.version())
                .with("compatibility", incompatible.compatibility().name())
                .withJson(
                        "breaks",
                        JsonText.array(
                                incompatible.breaks().stream()
                                        .map(
                                                b ->
                                                        JsonText.object()
                                                                .string("pointer", b.pointer())
                                                                .string("message", b.message())
                                                                .toString())
                                        .toList()))
                .build();
    }
}
