package io.arbor.web.problem;

import io.arbor.domain.ArchiveUnavailableException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 503: a range of the log that the archive holds cannot be read (its segment is corrupted or
 * missing, docs/archive.md "What reads do"). Nothing is answered rather than events that may be
 * wrong; the problem names the range ({@code from}, {@code to}), and reads of other ranges go on. A
 * retry succeeds once the directory is repaired (a segment copied back from a backup).
 */
@Provider
public class ArchiveUnavailableMapper implements ExceptionMapper<ArchiveUnavailableException> {
    @Override
    public Response toResponse(ArchiveUnavailableException unavailable) {
        return Problem.of(
                        503,
                        "archive-unavailable",
                        "An archived range of the log cannot be read",
                        unavailable.getMessage())
                .with("from", unavailable.from())
                .with("to", unavailable.to())
                .header("Retry-After", 60)
                .build();
    }
}
