package io.arbor.web.problem;

import io.arbor.domain.StreamDeletedException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 410: the stream was hard-deleted, a tombstone refused to every read and append, forever. */
@Provider
public class StreamDeletedMapper implements ExceptionMapper<StreamDeletedException> {
    @Override
    public Response toResponse(StreamDeletedException deleted) {
        return Problem.of(410, "stream-deleted", "The stream was deleted", deleted.getMessage())
                .build();
    }
}
