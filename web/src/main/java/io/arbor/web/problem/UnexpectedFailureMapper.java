package io.arbor.web.problem;

import io.arbor.infrastructure.jpa.PersistenceFailures;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A fault with no name of its own. An unreachable database that surfaced outside the event store's
 * translation (a connection lost at commit) is still a 503; anything else is Arbor's fault: a 500
 * whose detail carries an incident id that is also in the server log, with the stack trace.
 */
@Provider
public class UnexpectedFailureMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = Logger.getLogger(UnexpectedFailureMapper.class.getName());

    @Override
    public Response toResponse(Throwable failure) {
        if (PersistenceFailures.isUnavailable(failure)) {
            return StoreUnavailableMapper.response(
                    "The database could not be reached; retry later");
        }
        String incident = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "Unexpected failure, incident " + incident, failure);
        return Problem.of(
                        500,
                        "internal-error",
                        "Arbor failed to handle the request",
                        "An unexpected server fault; see the server log for incident " + incident)
                .with("incident", incident)
                .build();
    }
}
