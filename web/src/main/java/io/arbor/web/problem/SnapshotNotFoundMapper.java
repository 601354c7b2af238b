package io.arbor.web.problem;

import io.arbor.domain.SnapshotNotFoundException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 404: the stream has no snapshot. */
@Provider
public class SnapshotNotFoundMapper implements ExceptionMapper<SnapshotNotFoundException> {
    @Override
    public Response toResponse(SnapshotNotFoundException missing) {
        return Problem.of(
                        404,
                        "snapshot-not-found",
                        "The stream has no snapshot",
                        missing.getMessage())
                .build();
    }
}
