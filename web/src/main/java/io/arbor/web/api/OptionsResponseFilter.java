package io.arbor.web.api;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * {@code OPTIONS} answers 204 with {@code Allow} and no body (api.md v2). Jersey's own answer, once
 * WADL is off, is 200 with the methods as {@code text/plain} for some {@code Accept} headers and
 * 204 for others; one answer for every client.
 */
@Provider
public class OptionsResponseFilter implements ContainerResponseFilter {
    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getMethod().equals(HttpMethod.OPTIONS)
                && response.getStatus() == Response.Status.OK.getStatusCode()
                && response.getHeaders().containsKey(HttpHeaders.ALLOW)) {
            response.setStatus(Response.Status.NO_CONTENT.getStatusCode());
            response.setEntity(null);
            response.getHeaders().remove(HttpHeaders.CONTENT_TYPE);
        }
    }
}
