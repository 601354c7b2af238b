package io.arbor.web.problem;

import io.arbor.domain.scavenging.ScavengeJobNotFoundException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 404: the caller's tenant has no scavenge job with this id. */
@Provider
public class ScavengeJobNotFoundMapper implements ExceptionMapper<ScavengeJobNotFoundException> {
    @Override
    public Response toResponse(ScavengeJobNotFoundException missing) {
        return Problem.of(
                        404,
                        "scavenge-job-not-found",
                        "Scavenge job not found",
                        missing.getMessage())
                .build();
    }
}
