package io.arbor.web.problem;

import io.arbor.domain.SnapshotBeyondHeadException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 409: a snapshot at a version the stream has not reached. */
@Provider
public class SnapshotBeyondHeadMapper implements ExceptionMapper<SnapshotBeyondHeadException> {
    @Override
    public Response toResponse(SnapshotBeyondHeadException beyond) {
        return Problem.of(
                        409,
                        "snapshot-beyond-head",
                        "The snapshot is past the stream's head",
                        beyond.getMessage())
                .with("actualVersion", beyond.head())
                .build();
    }
}
