package io.arbor.web.problem;

import io.arbor.domain.archive.ArchiveJobNotFoundException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 404: no archiver job has this id. */
@Provider
public class ArchiveJobNotFoundMapper implements ExceptionMapper<ArchiveJobNotFoundException> {
    @Override
    public Response toResponse(ArchiveJobNotFoundException refused) {
        return Problem.of(
                        404, "archive-job-not-found", "Archive job not found", refused.getMessage())
                .build();
    }
}
