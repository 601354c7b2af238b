package io.arbor.web.problem;

import io.arbor.web.api.UnsupportedMediaTypeException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 415: a body that is not application/json in UTF-8. */
@Provider
public class UnsupportedMediaTypeMapper implements ExceptionMapper<UnsupportedMediaTypeException> {
    @Override
    public Response toResponse(UnsupportedMediaTypeException unsupported) {
        return Problem.of(
                        415,
                        "unsupported-media-type",
                        "Unsupported Media Type",
                        unsupported.getMessage())
                .build();
    }
}
