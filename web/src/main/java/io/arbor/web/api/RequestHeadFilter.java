package io.arbor.web.api;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Map;

/**
 * Refuses a request target over 8 KiB (414) or header fields over 16 KiB (431), as problem+json.
 * Payara's HTTP layer refused a 60 KB query or a 10 KB stream id itself, with an empty 400 (issue
 * 13); the scripts now give it a larger buffer ({@code ARBOR_HEADER_BUFFER_BYTES} in
 * server-config/lib.sh) so that such requests reach this filter, which answers first.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class RequestHeadFilter implements ContainerRequestFilter {
    static final int MAX_TARGET_BYTES = 8 * 1024;
    static final int MAX_HEADER_BYTES = 16 * 1024;

    @Override
    public void filter(ContainerRequestContext request) {
        check(
                request.getUriInfo().getRequestUri().getRawPath(),
                request.getUriInfo().getRequestUri().getRawQuery(),
                request.getHeaders());
    }

    /** The raw path and query are ASCII (percent-encoded), so their length is their size. */
    static void check(String rawPath, String rawQuery, Map<String, List<String>> headers) {
        long target = rawPath.length() + (rawQuery == null ? 0 : rawQuery.length() + 1);
        if (target > MAX_TARGET_BYTES) {
            throw RequestHeadTooLargeException.target(target, MAX_TARGET_BYTES);
        }
        long fields = 0;
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            for (String value : header.getValue()) {
                fields += header.getKey().length() + value.length() + 4; // ": " and CRLF
            }
        }
        if (fields > MAX_HEADER_BYTES) {
            throw RequestHeadTooLargeException.headers(fields, MAX_HEADER_BYTES);
        }
    }
}
