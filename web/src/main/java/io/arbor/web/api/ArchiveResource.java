package io.arbor.web.api;

import io.arbor.domain.InvalidInputException;
import io.arbor.domain.archive.ArchiveJob;
import io.arbor.infrastructure.archive.EventArchiver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * The archive tier (api.md, "Archive"; docs/archive.md, "The archiver"): the catalogue of the
 * events table's ranges, archiver runs and restores as jobs. Store-wide, so administrators only;
 * with {@code arbor.archive.dir} empty, runs and restores answer 409 {@code archive-not-configured}
 * (the catalogue still lists the ranges, all attached).
 */
@Path("/admin/archive")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class ArchiveResource {
    private static final Set<String> RUN_FIELDS = Set.of("belowPosition");
    private static final Set<String> RESTORE_FIELDS = Set.of("from");

    @Inject EventArchiver archiver;
    @Inject JsonBodies bodies;

    @GET
    public Response catalogue() {
        return JsonResponse.of(
                200,
                JsonText.object()
                        .value("configured", archiver.configured())
                        .string("dir", archiver.directory().map(Object::toString).orElse(null))
                        .number("graceSeconds", archiver.graceSeconds())
                        .rawArray(
                                "ranges",
                                archiver.ranges().stream()
                                        .map(Representations::archiveRange)
                                        .toList())
                        .toString());
    }

    /**
     * 202 with the job: archives the sealed, hashed, attached ranges below {@code belowPosition}
     * (none given: those older than {@code arbor.archive.older-than-days}), then, a grace later,
     * drops their partitions. The body is optional.
     */
    @POST
    public Response run(@Context HttpHeaders headers, InputStream body) {
        Long belowPosition = null;
        JsonObject object = optionalObject(headers, body);
        if (object != null) {
            JsonFields fields = new JsonFields(object, "", RUN_FIELDS);
            if (!fields.isAbsent("belowPosition")) {
                belowPosition = fields.integer("belowPosition", 0, Long.MAX_VALUE);
            }
        }
        return JsonResponse.of(
                202, Representations.archiveJob(archiver.startArchive(belowPosition)));
    }

    /** 202 with the job: attaches the range starting at {@code from} again. */
    @POST
    @Path("/restore")
    public Response restore(@Context HttpHeaders headers, InputStream body) {
        JsonFields fields = new JsonFields(bodies.readObject(headers, body), "", RESTORE_FIELDS);
        if (fields.isAbsent("from")) {
            throw new InvalidInputException(
                    fields.pointer("from"),
                    "from is required: the first position of a range (GET /admin/archive)");
        }
        long from = fields.integer("from", 0, Long.MAX_VALUE);
        return JsonResponse.of(202, Representations.archiveJob(archiver.startRestore(from)));
    }

    @GET
    @Path("/{jobId}")
    public Response job(@PathParam("jobId") String jobId) {
        ArchiveJob job = archiver.job(EventIds.inParameter("jobId", jobId));
        return JsonResponse.of(200, Representations.archiveJob(job));
    }

    /** The body's JSON object, or null when the request has no body at all. */
    private JsonObject optionalObject(HttpHeaders headers, InputStream body) {
        try {
            PushbackInputStream peek = new PushbackInputStream(body, 1);
            int first = peek.read();
            if (first < 0) {
                return null;
            }
            peek.unread(first);
            return bodies.readObject(headers, peek);
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
