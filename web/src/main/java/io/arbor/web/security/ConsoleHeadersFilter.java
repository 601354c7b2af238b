package io.arbor.web.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * The web console's static files ({@code /arbor/console/}, docs/console.md) with the headers that
 * keep injected content inert: a Content-Security-Policy that runs only the console's own scripts
 * and styles (no inline ones, no other origin, no framing), {@code nosniff} so that a file is only
 * ever what its content type says, no referrer, and {@code no-cache} so that a browser revalidates
 * the (unversioned) files instead of running a stale mix after an upgrade.
 *
 * <p>The files need no token (they hold no data); every data call the console makes carries the
 * signed-in token and meets the API's role checks as any other client's.
 */
@WebFilter(ConsoleHeadersFilter.PATH)
public class ConsoleHeadersFilter extends HttpFilter {
    static final String PATH = "/console/*";

    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                    + " connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self';"
                    + " frame-ancestors 'none'";

    /** Every header the filter sets, by name. */
    static final Map<String, String> HEADERS =
            Map.of(
                    "Content-Security-Policy", CONTENT_SECURITY_POLICY,
                    "X-Content-Type-Options", "nosniff",
                    "Referrer-Policy", "no-referrer",
                    "X-Frame-Options", "DENY",
                    "Cache-Control", "no-cache");

    @Override
    protected void doFilter(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HEADERS.forEach(response::setHeader);
        chain.doFilter(request, response);
    }
}
