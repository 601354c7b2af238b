package io.arbor.web.problem;

import io.arbor.domain.archive.ArchiveNotConfiguredException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 409: arbor.archive.dir is empty, so nothing can be archived or restored. */
@Provider
public class ArchiveNotConfiguredMapper implements ExceptionMapper<ArchiveNotConfiguredException> {
    @Override
    public Response toResponse(ArchiveNotConfiguredException refused) {
        return Problem.of(
                        409,
                        "archive-not-configured",
                        "The archive is not configured",
                        refused.getMessage())
                .build();
    }
}
