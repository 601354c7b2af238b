package io.arbor.web.security;

import io.arbor.web.problem.UnauthorizedMapper;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The answer to a bearer token that Payara's MP-JWT mechanism refused (a bad signature, another
 * issuer, expired, {@code alg: none}, not a JWT): the mechanism calls {@code sendError(401)} before
 * any JAX-RS code runs, which would be Payara's HTML error page. WEB-INF/web.xml makes this servlet
 * the WAR's error page for 401, so the client gets the same problem+json as every other 401.
 */
@WebServlet(TokenRefusedServlet.PATH)
public class TokenRefusedServlet extends HttpServlet {
    static final String PATH = "/token-refused";

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Response problem =
                UnauthorizedMapper.invalidToken(
                        "The bearer token was refused: its signature, issuer, expiry or algorithm"
                                + " is not one this server accepts");
        response.setStatus(problem.getStatus());
        problem.getStringHeaders()
                .forEach(
                        (name, values) -> values.forEach(value -> response.addHeader(name, value)));
        byte[] body = ((String) problem.getEntity()).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
