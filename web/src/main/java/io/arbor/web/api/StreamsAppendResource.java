package io.arbor.web.api;

import io.arbor.application.EventStore;
import io.arbor.domain.AppendOutcome;
import io.arbor.web.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/**
 * {@code POST /events}: one append to several streams, all or nothing (api.md, "Tags, queries,
 * multi-stream appends, conditions"). The reads of {@code /events} are {@link GlobalLogResource}'s.
 */
@Path("/events")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class StreamsAppendResource {
    @Inject EventStore store;
    @Inject JsonBodies bodies;
    @Inject Caller caller;

    @POST
    public Response append(@Context HttpHeaders headers, InputStream body) {
        AppendOutcome outcome =
                store.append(
                        caller.tenant(),
                        caller.subject(),
                        StreamsAppendRequest.from(bodies.readObject(headers, body)));
        // A retry of an append that already committed gets the original answer, as 200.
        return JsonResponse.of(
                outcome.replayed() ? 200 : 201, Representations.appendOutcome(outcome));
    }
}
