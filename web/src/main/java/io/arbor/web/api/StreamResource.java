package io.arbor.web.api;

import io.arbor.application.EventReader;
import io.arbor.application.EventStore;
import io.arbor.application.SnapshotStore;
import io.arbor.application.StreamLifecycles;
import io.arbor.application.subscriptions.LiveSubscriptions;
import io.arbor.domain.AppendResult;
import io.arbor.domain.ReadDirection;
import io.arbor.domain.Snapshot;
import io.arbor.domain.StreamDeletion;
import io.arbor.domain.StreamDetails;
import io.arbor.domain.StreamId;
import io.arbor.domain.StreamMetadata;
import io.arbor.domain.SubscriptionFilter;
import io.arbor.web.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
import java.util.Optional;

/** One stream: append, read, its head, its snapshot, its metadata, its deletion. */
@Path("/streams/{streamId}")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class StreamResource {
    @Inject EventStore store;
    @Inject EventReader reader;
    @Inject SnapshotStore snapshots;
    @Inject StreamLifecycles lifecycles;
    @Inject JsonBodies bodies;
    @Inject LiveSubscriptions subscriptions;
    @Inject Caller caller;
    @Inject ReadLimits limits;

    @POST
    @Path("/events")
    public Response append(
            @PathParam("streamId") String streamId,
            @Context HttpHeaders headers,
            InputStream body) {
        StreamId stream = StreamId.of(streamId);
        AppendRequest request = AppendRequest.from(bodies.readObject(headers, body));
        AppendResult result =
                store.append(caller.tenant(), caller.subject(), request.toStream(stream))
                        .streams()
                        .get(0);
        // A retry of an append that already committed gets the original answer, as 200.
        return JsonResponse.of(result.replayed() ? 200 : 201, Representations.appendResult(result));
    }

    @GET
    @Path("/events")
    public Response read(
            @PathParam("streamId") String streamId,
            @QueryParam("from") String from,
            @QueryParam("limit") String limit,
            @QueryParam("direction") String direction,
            @QueryParam("upcast") String upcast,
            @HeaderParam(HttpHeaders.CACHE_CONTROL) String cacheControl) {
        StreamId stream = StreamId.of(streamId);
        ReadDirection readDirection = ReadDirection.parse(direction);
        Long fromVersion = QueryParameters.optionalInteger("from", from, 0, Long.MAX_VALUE);
        int pageSize = limits.pageSize(limit);
        boolean upcasting = QueryParameters.upcast(upcast);
        return JsonResponse.of(
                200,
                Representations.slice(
                        reader.read(
                                caller.tenant(),
                                stream,
                                fromVersion,
                                pageSize,
                                readDirection,
                                noCache(cacheControl),
                                upcasting)));
    }

    /**
     * A live subscription to one stream (api.md, "Live subscriptions"): its versions after {@code
     * after} (or {@code Last-Event-ID}), then live, as Server-Sent Events; 404 for an unknown or
     * soft-deleted stream, 410 for a hard-deleted one and 400 for bad parameters, before any frame.
     */
    @GET
    @Path("/subscribe")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void subscribe(
            @PathParam("streamId") String streamId,
            @QueryParam("after") String after,
            @QueryParam("upcast") String upcast,
            @HeaderParam(SseFrames.LAST_EVENT_ID) String lastEventId,
            @Context SseEventSink sink,
            @Context Sse sse) {
        StreamId stream = StreamId.of(streamId);
        long start = SseFrames.startAfter(after, lastEventId);
        boolean upcasting = QueryParameters.upcast(upcast);
        // 404 (410) now, not a silent subscription to nothing
        reader.checkReadable(caller.tenant(), stream);
        subscriptions.open(
                caller.tenant(),
                SubscriptionFilter.stream(stream),
                start,
                upcasting,
                new SseFrames(sink, sse));
    }

    /**
     * The stream's head; with {@code snapshot=true} also its latest snapshot, when it has one
     * (beyond api.md: the console shows a stream's snapshot without asking for a 404).
     */
    @GET
    public Response info(
            @PathParam("streamId") String streamId, @QueryParam("snapshot") String snapshot) {
        StreamId stream = StreamId.of(streamId);
        boolean withSnapshot = QueryParameters.bool("snapshot", snapshot, false);
        StreamDetails details = reader.info(caller.tenant(), stream);
        Optional<Snapshot> latest =
                withSnapshot ? snapshots.find(caller.tenant(), stream, false) : Optional.empty();
        return JsonResponse.of(
                200,
                latest.map(found -> Representations.info(details, found))
                        .orElseGet(() -> Representations.info(details)));
    }

    /** The stream's metadata (api.md, "Stream lifecycle"). */
    @GET
    @Path("/metadata")
    public Response metadata(@PathParam("streamId") String streamId) {
        return JsonResponse.of(
                200,
                Representations.metadata(
                        lifecycles.metadata(caller.tenant(), StreamId.of(streamId))));
    }

    /** Replaces the stream's metadata, and answers it as stored. */
    @PUT
    @Path("/metadata")
    public Response setMetadata(
            @PathParam("streamId") String streamId,
            @Context HttpHeaders headers,
            InputStream body) {
        StreamId stream = StreamId.of(streamId);
        StreamMetadata metadata = MetadataRequest.from(bodies.readObject(headers, body));
        return JsonResponse.of(
                200,
                Representations.metadata(
                        lifecycles.setMetadata(caller.tenant(), stream, metadata)));
    }

    /** Deletes the stream: {@code mode=soft} (the default) or {@code mode=hard} (a tombstone). */
    @DELETE
    public Response delete(
            @PathParam("streamId") String streamId, @QueryParam("mode") String mode) {
        StreamId stream = StreamId.of(streamId);
        StreamDeletion how = StreamDeletion.parseMode(mode);
        lifecycles.delete(caller.tenant(), stream, how);
        return Response.noContent().build();
    }

    @PUT
    @Path("/snapshot")
    public Response saveSnapshot(
            @PathParam("streamId") String streamId,
            @Context HttpHeaders headers,
            InputStream body) {
        StreamId stream = StreamId.of(streamId);
        SnapshotRequest request = SnapshotRequest.from(bodies.readObject(headers, body));
        return JsonResponse.of(
                201,
                Representations.snapshot(
                        snapshots.save(
                                caller.tenant(),
                                stream,
                                request.version(),
                                request.type(),
                                request.data())));
    }

    @GET
    @Path("/snapshot")
    public Response latestSnapshot(
            @PathParam("streamId") String streamId,
            @HeaderParam(HttpHeaders.CACHE_CONTROL) String cacheControl) {
        return JsonResponse.of(
                200,
                Representations.snapshot(
                        snapshots.latest(
                                caller.tenant(), StreamId.of(streamId), noCache(cacheControl))));
    }

    /**
     * {@code Cache-Control: no-cache} makes a read go to the database, bypassing the hot cache (the
     * answer is the same either way; this is for diagnosis and for measuring the cache).
     */
    private static boolean noCache(String cacheControl) {
        return cacheControl != null
                && cacheControl.toLowerCase(java.util.Locale.ROOT).contains("no-cache");
    }
}
