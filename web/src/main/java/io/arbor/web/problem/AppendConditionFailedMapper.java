package io.arbor.web.problem;

import io.arbor.domain.AppendConditionFailedException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 409: an event matching the append's condition is stored after its {@code after} ({@code item}:
 * which of the query's items it matches; {@code position}: the first such event); nothing was
 * written.
 */
@Provider
public class AppendConditionFailedMapper
        implements ExceptionMapper<AppendConditionFailedException> {
    @Override
    public Response toResponse(AppendConditionFailedException failed) {
        return Problem.of(
                        409,
                        "append-condition-failed",
                        "An event matching the append's condition exists",
                        failed.getMessage())
                .with("item", failed.item())
                .with("position", failed.position())
                .build();
    }
}
