package io.arbor.web.problem;

import io.arbor.domain.schema.EventViolation;
import io.arbor.domain.schema.InvalidEventDataException;
import io.arbor.web.api.JsonText;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/**
 * 400: events of the append break their types' schemas; {@code violations} lists each one (event
 * index, JSON pointer into the request, message). Nothing was written.
 */
@Provider
public class InvalidEventDataMapper implements ExceptionMapper<InvalidEventDataException> {
    @Override
    public Response toResponse(InvalidEventDataException invalid) {
        List<String> violations =
                invalid.violations().stream().map(InvalidEventDataMapper::violation).toList();
        return Problem.of(
                        400,
                        "invalid-event-data",
                        "Events do not follow their types' schemas",
                        invalid.getMessage())
                .with("pointer", invalid.violations().get(0).pointer())
                .withJson("violations", JsonText.array(violations))
                .build();
    }

    private static String violation(EventViolation violation) {
        return JsonText.object()
                .number("eventIndex", violation.eventIndex())
                .string("pointer", violation.pointer())
                .string("message", violation.message())
                .toString();
    }
}
