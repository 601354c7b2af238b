package io.arbor.web.problem;

import io.arbor.domain.TimedOutException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 503: the operation ran past its time limit and was rolled back. Like an outage it is transient
 * (usually a lock held by a slow transaction, or an overloaded database), so the client may retry;
 * an append retried with the same event ids is idempotent.
 */
@Provider
public class TimedOutMapper implements ExceptionMapper<TimedOutException> {
    @Override
    public Response toResponse(TimedOutException timedOut) {
        return Problem.of(
                        503,
                        "timed-out",
                        "The operation timed out and was rolled back",
                        timedOut.getMessage() + "; nothing was written, retry later")
                .header("Retry-After", 1)
                .build();
    }
}
