package io.arbor.web.problem;

import io.arbor.domain.WrongExpectedVersionException;
import io.arbor.web.api.JsonText;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 409: the version of one or more streams did not meet the append's expectation; nothing was
 * written. {@code conflicts} lists every failing stream; {@code streamId}, {@code expectedVersion}
 * and {@code actualVersion} are the first's (the single-stream append's answer).
 */
@Provider
public class WrongExpectedVersionMapper implements ExceptionMapper<WrongExpectedVersionException> {
    @Override
    public Response toResponse(WrongExpectedVersionException conflict) {
        return Problem.of(
                        409,
                        "wrong-expected-version",
                        "The stream is not at the expected version",
                        conflict.getMessage())
                .with("streamId", conflict.streamId().value())
                .with("expectedVersion", conflict.expected().asJsonValue())
                .with("actualVersion", conflict.actual())
                .withJson(
                        "conflicts",
                        JsonText.array(
                                conflict.conflicts().stream()
                                        .map(WrongExpectedVersionMapper::conflict)
                                        .toList()))
                .build();
    }

    private static String conflict(WrongExpectedVersionException.Conflict conflict) {
        return JsonText.object()
                .string("streamId", conflict.streamId().value())
                .value("expectedVersion", conflict.expected().asJsonValue())
                .number("actualVersion", conflict.actual())
                .toString();
    }
}
