package io.arbor.web.problem;

import io.arbor.domain.StreamNotFoundException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 404: the stream does not exist (it has no events). */
@Provider
public class StreamNotFoundMapper implements ExceptionMapper<StreamNotFoundException> {
    @Override
    public Response toResponse(StreamNotFoundException missing) {
        return Problem.of(
                        404, "stream-not-found", "The stream does not exist", missing.getMessage())
                .build();
    }
}
