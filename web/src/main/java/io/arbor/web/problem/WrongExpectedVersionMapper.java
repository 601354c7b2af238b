package io.arbor.web.problem;

import io.arbor.domain.WrongExpectedVersionException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 409: the stream's version did not meet the append's expectation; nothing was written. */
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
                .build();
    }
}
