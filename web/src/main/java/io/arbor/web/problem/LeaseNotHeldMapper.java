package io.arbor.web.problem;

import io.arbor.domain.groups.LeaseNotHeldException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * 409: an ack or nack names events not leased to the consumer; nothing was acked or nacked. The
 * answer lists them, so that a client can ack the rest again.
 */
@Provider
public class LeaseNotHeldMapper implements ExceptionMapper<LeaseNotHeldException> {
    @Override
    public Response toResponse(LeaseNotHeldException notHeld) {
        String ids =
                notHeld.eventIds().stream()
                        .map(UUID::toString)
                        .map(id -> "\"" + id + "\"")
                        .collect(Collectors.joining(",", "[", "]"));
        return Problem.of(
                        409,
                        "lease-not-held",
                        "Events not leased to this consumer",
                        notHeld.getMessage())
                .withJson("eventIds", ids)
                .build();
    }
}
