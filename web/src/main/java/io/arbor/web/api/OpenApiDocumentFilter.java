package io.arbor.web.api;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;

/**
 * Keeps the served {@code /openapi} a valid OpenAPI 3 document (issue 13, item 11), registered as
 * {@code mp.openapi.filter} in microprofile-config.properties.
 *
 * <p>Payara 6.2025.9 adds a top-level {@code endpoints} member (the paths of each deployed
 * application, for its multi-application document) to the document it serves. OpenAPI 3 allows no
 * such member: Spectral's {@code oas3-schema} rule and swagger-parser's validation reject the
 * document. No configuration turns it off; Payara fills it in before it runs this filter, from this
 * one setter, and skips an empty map when it merges and serializes the document. Payara has since
 * renamed the member {@code x-endpoints} (FISH-12303), a valid extension: on such a Payara the
 * setter is gone and this filter does nothing.
 */
public class OpenApiDocumentFilter implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Method setEndpoints;
        try {
            setEndpoints = openAPI.getClass().getMethod("setEndpoints", Map.class);
        } catch (NoSuchMethodException noPayaraEndpoints) {
            return;
        }
        try {
            setEndpoints.invoke(openAPI, new TreeMap<String, Set<String>>());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not drop Payara's endpoints member", e);
        }
    }
}
