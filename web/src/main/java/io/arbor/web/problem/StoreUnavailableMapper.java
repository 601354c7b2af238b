package io.arbor.web.problem;

import io.arbor.domain.StoreUnavailableException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 503: the database is unreachable; nothing was acknowledged, so the client may retry. */
@Provider
public class StoreUnavailableMapper implements ExceptionMapper<StoreUnavailableException> {
    @Override
    public Response toResponse(StoreUnavailableException unavailable) {
        return response(unavailable.getMessage() + "; nothing was written, retry later");
    }

    /** The one 503 shape, also used for an outage that surfaced outside the event store. */
    static Response response(String detail) {
        return Problem.of(
                        503,
                        "store-unavailable",
                        "The event store's database is unavailable",
                        detail)
                .header("Retry-After", 2)
                .build();
    }
}
