package io.arbor.web.problem;

import io.arbor.web.api.UnsupportedCharsetException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 415: a body in a charset other than UTF-8. */
@Provider
public class UnsupportedCharsetMapper implements ExceptionMapper<UnsupportedCharsetException> {
    @Override
    public Response toResponse(UnsupportedCharsetException unsupported) {
        return Problem.of(
                        415,
                        "unsupported-media-type",
                        "Unsupported Media Type",
                        unsupported.getMessage())
                .build();
    }
}
