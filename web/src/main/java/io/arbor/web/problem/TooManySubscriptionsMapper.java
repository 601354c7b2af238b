package io.arbor.web.problem;

import io.arbor.domain.TooManySubscriptionsException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 503: this instance serves its limit of live subscriptions; retry later or elsewhere. */
@Provider
public class TooManySubscriptionsMapper implements ExceptionMapper<TooManySubscriptionsException> {
    @Override
    public Response toResponse(TooManySubscriptionsException full) {
        return Problem.of(
                        503,
                        "too-many-subscriptions",
                        "Too many live subscriptions on this instance",
                        full.getMessage())
                .header("Retry-After", 5)
                .build();
    }
}
