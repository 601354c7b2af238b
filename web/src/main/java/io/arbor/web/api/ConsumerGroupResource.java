package io.arbor.web.api;

import io.arbor.application.groups.ConsumerGroups;
import io.arbor.application.groups.GroupFetches;
import io.arbor.application.groups.GroupMetrics;
import io.arbor.domain.Tenant;
import io.arbor.domain.groups.Delivery;
import io.arbor.domain.groups.GroupName;
import io.arbor.domain.groups.GroupStatus;
import io.arbor.web.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;

/**
 * Consumer groups (api.md, "Consumer groups"; docs/consumer-groups.md): a group's settings and
 * status, a consumer's fetch, ack and nack, the parked list, and resets.
 */
@Path("/subscriptions")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class ConsumerGroupResource {
    @Inject ConsumerGroups groups;
    @Inject GroupFetches fetches;
    @Inject GroupMetrics metrics;
    @Inject JsonBodies bodies;
    @Inject Caller caller;
    @Inject ReadLimits limits;

    @GET
    public Response list() {
        return JsonResponse.of(200, Representations.groups(groups.list(caller.tenant())));
    }

    @PUT
    @Path("/{group}")
    public Response put(
            @PathParam("group") String name, @Context HttpHeaders headers, InputStream body) {
        GroupName group = new GroupName(name);
        GroupRequest request = GroupRequest.from(bodies.readObject(headers, body));
        ConsumerGroups.PutResult result =
                groups.put(caller.tenant(), group, request.settings(), request.startFrom());
        metrics.track(caller.tenant(), group);
        return JsonResponse.of(
                result.created() ? 201 : 200, Representations.group(result.status()));
    }

    @GET
    @Path("/{group}")
    public Response get(@PathParam("group") String name) {
        return group(groups.status(caller.tenant(), new GroupName(name)));
    }

    @DELETE
    @Path("/{group}")
    public Response delete(@PathParam("group") String name) {
        GroupName group = new GroupName(name);
        groups.delete(caller.tenant(), group);
        metrics.forget(caller.tenant(), group);
        return Response.noContent().build();
    }

    /**
     * A long poll: answers when events are leased to the consumer, or when {@code waitSeconds}
     * pass; no request thread waits meanwhile ({@link GroupFetches}).
     */
    @POST
    @Path("/{group}/fetch")
    public void fetch(
            @PathParam("group") String name,
            @Context HttpHeaders headers,
            InputStream body,
            @Suspended AsyncResponse response) {
        GroupName group = new GroupName(name);
        FetchRequest request = FetchRequest.from(bodies.readObject(headers, body));
        // The answer may come on a fetch thread, where the request's Caller is not active.
        Tenant tenant = caller.tenant();
        fetches.fetch(
                tenant,
                group,
                request.consumer(),
                request.max(),
                request.waitSeconds(),
                new GroupFetches.Answer() {
                    @Override
                    public boolean waiting() {
                        return response.isSuspended();
                    }

                    @Override
                    public boolean deliver(List<Delivery> deliveries) {
                        metrics.track(tenant, group); // the group exists: the fetch leased from it
                        return response.resume(
                                JsonResponse.of(200, Representations.deliveries(deliveries)));
                    }

                    @Override
                    public void fail(RuntimeException failure) {
                        response.resume(failure);
                    }
                });
    }

    @POST
    @Path("/{group}/ack")
    public Response ack(
            @PathParam("group") String name, @Context HttpHeaders headers, InputStream body) {
        GroupName group = new GroupName(name);
        LeaseRequest request = LeaseRequest.ack(bodies.readObject(headers, body));
        int acked = groups.ack(caller.tenant(), group, request.consumer(), request.eventIds());
        return JsonResponse.of(200, JsonText.object().number("acked", acked).toString());
    }

    @POST
    @Path("/{group}/nack")
    public Response nack(
            @PathParam("group") String name, @Context HttpHeaders headers, InputStream body) {
        GroupName group = new GroupName(name);
        LeaseRequest request = LeaseRequest.nack(bodies.readObject(headers, body));
        int nacked =
                groups.nack(
                        caller.tenant(),
                        group,
                        request.consumer(),
                        request.eventIds(),
                        request.action());
        return JsonResponse.of(200, JsonText.object().number("nacked", nacked).toString());
    }

    @GET
    @Path("/{group}/parked")
    public Response parked(
            @PathParam("group") String name,
            @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        GroupName group = new GroupName(name);
        long afterPosition = QueryParameters.integer("after", after, 0, Long.MAX_VALUE, 0);
        int pageSize = limits.pageSize(limit);
        return JsonResponse.of(
                200,
                Representations.parked(
                        fetches.parked(caller.tenant(), group, afterPosition, pageSize), pageSize));
    }

    @POST
    @Path("/{group}/parked/replay")
    public Response replayParked(@PathParam("group") String name) {
        int replayed = groups.replayParked(caller.tenant(), new GroupName(name));
        return JsonResponse.of(200, JsonText.object().number("replayed", replayed).toString());
    }

    @POST
    @Path("/{group}/reset")
    public Response reset(
            @PathParam("group") String name, @Context HttpHeaders headers, InputStream body) {
        GroupName group = new GroupName(name);
        ResetRequest request = ResetRequest.from(bodies.readObject(headers, body));
        return group(groups.reset(caller.tenant(), group, request.to()));
    }

    private static Response group(GroupStatus status) {
        return JsonResponse.of(200, Representations.group(status));
    }
}
