package io.arbor.web.api;

import io.arbor.application.EventReader;
import io.arbor.domain.StreamListQuery;
import io.arbor.web.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The stream listing, beyond api.md: operators and the CLI walk every stream with it ({@code
 * streams list}, {@code export}, {@code verify}); the console searches it by id prefix. Keyset
 * paging by stream id: pass the page's {@code next} as the next {@code after}.
 */
@Path("/streams")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class StreamListResource {
    @Inject EventReader reader;
    @Inject Caller caller;
    @Inject ReadLimits limits;

    @GET
    public Response list(
            @QueryParam("category") String category,
            @QueryParam("prefix") String prefix,
            @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        StreamListQuery query =
                new StreamListQuery(category, prefix, after, limits.pageSize(limit));
        return JsonResponse.of(
                200,
                Representations.streamList(
                        reader.listStreams(caller.tenant(), query), query.limit()));
    }
}
