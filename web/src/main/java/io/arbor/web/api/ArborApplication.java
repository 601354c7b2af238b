package io.arbor.web.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import org.eclipse.microprofile.auth.LoginConfig;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

/**
 * The API's root: {@code /arbor/api} (the WAR's context root is {@code /arbor}). Bearer tokens are
 * MicroProfile JWTs, verified by Payara with {@code mp.jwt.verify.publickey.location} and {@code
 * mp.jwt.verify.issuer} (docs/security.md); {@code SecurityFilter} does the rest. A CDI bean,
 * because Payara installs its MP-JWT mechanism only when a bean carries {@code @LoginConfig}: on a
 * class that is not one (the WAR has no beans.xml, so discovery is by annotation), Payara ignored
 * it.
 */
@ApplicationPath("/api")
@ApplicationScoped
@LoginConfig(authMethod = "MP-JWT")
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Arbor event store",
                        version = "1",
                        description =
                                "Append events to streams, read streams and the global log,"
                                        + " keep snapshots. Errors are application/problem+json."))
public class ArborApplication extends Application {
    /**
     * No WADL: Jersey answered {@code OPTIONS} with a generated WADL document naming its version
     * (issue 13). {@code OPTIONS} is answered by {@link OptionsResponseFilter} instead.
     */
    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.wadl.disableWadl", true);
    }
}
