package io.arbor.web.api;

import io.arbor.application.scavenging.Scavenges;
import io.arbor.domain.scavenging.ScavengeJob;
import io.arbor.web.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Scavenging (api.md, "Stream lifecycle"; docs/lifecycle.md): an administrator asks for a job that
 * removes the caller's tenant's hidden events, and follows it. The request takes no body.
 */
@Path("/admin/scavenge")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class ScavengeResource {
    /** Jobs {@code GET /admin/scavenge} lists by default, and at most. */
    static final int DEFAULT_LIST = 20;

    static final int MAX_LIST = 100;

    @Inject Scavenges scavenges;
    @Inject Caller caller;

    /**
     * 202 with the new job, or with the tenant's queued or running job when it has one (a second
     * request never starts a second job).
     */
    @POST
    public Response request() {
        Scavenges.Requested requested = scavenges.request(caller.tenant());
        return JsonResponse.of(202, Representations.scavengeJob(requested.job()));
    }

    @GET
    public Response list(@QueryParam("limit") String limit) {
        int count = (int) QueryParameters.integer("limit", limit, 1, MAX_LIST, DEFAULT_LIST);
        return JsonResponse.of(
                200,
                JsonText.object()
                        .rawArray(
                                "jobs",
                                scavenges.recent(caller.tenant(), count).stream()
                                        .map(Representations::scavengeJob)
                                        .toList())
                        .toString());
    }

    @GET
    @Path("/{jobId}")
    public Response get(@PathParam("jobId") String jobId) {
        ScavengeJob job = scavenges.job(caller.tenant(), EventIds.inParameter("jobId", jobId));
        return JsonResponse.of(200, Representations.scavengeJob(job));
    }
}
