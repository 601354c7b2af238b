package io.arbor.web.api;

import io.arbor.application.EventReader;
import io.arbor.application.subscriptions.LiveSubscriptions;
import io.arbor.domain.EventQuery;
import io.arbor.domain.GlobalLogQuery;
import io.arbor.domain.InvalidInputException;
import io.arbor.domain.QueryText;
import io.arbor.domain.SubscriptionFilter;
import io.arbor.web.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.InputStream;
import java.util.List;
import java.util.UUID;

/**
 * The global log: every event of every stream in position order. A reader that passes each page's
 * {@code lastPosition} as the next {@code after} sees every committed event exactly once.
 */
@Path("/events")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class GlobalLogResource {
    @Inject EventReader reader;
    @Inject LiveSubscriptions subscriptions;
    @Inject Caller caller;
    @Inject ReadLimits limits;
    @Inject JsonBodies bodies;

    /**
     * The log, or with {@code tag} parameters the one-item query "carries every tag (and is of
     * {@code type}, when given)" ({@link #query}'s answer, paged the same way).
     */
    @GET
    public Response read(
            @QueryParam("after") String after,
            @QueryParam("limit") String limit,
            @QueryParam("category") String category,
            @QueryParam("type") String type,
            @QueryParam("tag") List<String> tags,
            @QueryParam("upcast") String upcast) {
        if (!tags.isEmpty()) {
            if (category != null) {
                throw InvalidInputException.parameter(
                        "category", "category cannot be combined with tag (use type and tag)");
            }
            EventQuery query = QueryRequest.ofParameters(tags, QueryText.check("type", type));
            return answer(
                    query,
                    QueryParameters.integer("after", after, 0, Long.MAX_VALUE, 0),
                    limits.pageSize(limit),
                    upcast);
        }
        GlobalLogQuery query =
                new GlobalLogQuery(
                        QueryParameters.integer("after", after, 0, Long.MAX_VALUE, 0),
                        limits.pageSize(limit),
                        category,
                        type);
        boolean upcasting = QueryParameters.upcast(upcast);
        return JsonResponse.of(
                200, Representations.globalLog(reader.readAll(caller.tenant(), query, upcasting)));
    }

    /**
     * The tenant's events matching any of the body's items (api.md, "Tags, queries, …"), in
     * position order after {@code after}, shaped and paged like the log.
     */
    @POST
    @Path("/query")
    public Response query(
            @Context HttpHeaders headers, @QueryParam("upcast") String upcast, InputStream body) {
        QueryRequest request = QueryRequest.from(bodies.readObject(headers, body), limits);
        return answer(request.query(), request.after(), request.limit(), upcast);
    }

    private Response answer(EventQuery query, long after, int limit, String upcast) {
        boolean upcasting = QueryParameters.upcast(upcast);
        return JsonResponse.of(
                200,
                Representations.globalLog(
                        reader.query(caller.tenant(), query, after, limit, upcasting)));
    }

    /**
     * A live subscription to the log (api.md, "Live subscriptions"): history after {@code after}
     * (or the {@code Last-Event-ID} a reconnecting client sends), then live, as Server-Sent Events.
     * Bad parameters are answered 400 problem+json before any frame.
     */
    @GET
    @Path("/subscribe")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void subscribe(
            @QueryParam("after") String after,
            @QueryParam("category") String category,
            @QueryParam("type") String type,
            @QueryParam("tag") String tag,
            @QueryParam("upcast") String upcast,
            @HeaderParam(SseFrames.LAST_EVENT_ID) String lastEventId,
            @Context SseEventSink sink,
            @Context Sse sse) {
        if (tag != null) {
            // Live subscriptions do not filter by tag (queries do: POST /events/query); ignoring
            // the filter would deliver events the client asked not to see.
            throw InvalidInputException.parameter(
                    "tag", "subscriptions do not filter by tag; query with POST /events/query");
        }
        long start = SseFrames.startAfter(after, lastEventId);
        SubscriptionFilter filter = SubscriptionFilter.log(category, type);
        boolean upcasting = QueryParameters.upcast(upcast);
        subscriptions.open(caller.tenant(), filter, start, upcasting, new SseFrames(sink, sse));
    }

    /** One event by id, wherever it is (beyond api.md: the CLI's {@code event show}). */
    @GET
    @Path("/{eventId}")
    public Response event(
            @PathParam("eventId") String eventId, @QueryParam("upcast") String upcast) {
        UUID id = EventIds.inParameter("eventId", eventId);
        boolean upcasting = QueryParameters.upcast(upcast);
        return JsonResponse.of(
                200, Representations.event(reader.event(caller.tenant(), id, upcasting)));
    }
}
