package io.arbor.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.domain.Tenant;
import jakarta.json.Json;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

/** The token's {@code tenant} claim as {@link SecurityFilter} reads it. */
class SecurityFilterTest {

    @Test
    void aTokenWithoutTheClaimIsOfTheDefaultTenant() {
        assertEquals(Tenant.DEFAULT, SecurityFilter.tenant(token(Map.of())));
    }

    @Test
    void theClaimNamesTheTenantAsPayaraOrAPlainStringHoldsIt() {
        assertEquals(
                new Tenant("acme-1"),
                SecurityFilter.tenant(token(Map.of("tenant", Json.createValue("acme-1")))));
        assertEquals(
                new Tenant("acme-1"), SecurityFilter.tenant(token(Map.of("tenant", "acme-1"))));
    }

    @Test
    void aClaimThatIsNotATenantNameRefusesTheTokenAsInvalid() {
        for (Object claim :
                new Object[] {
                    Json.createValue("Acme"),
                    Json.createValue(""),
                    Json.createValue("a".repeat(64)),
                    Json.createValue(7),
                    Json.createArrayBuilder().add("acme").build()
                }) {
            NotAuthenticatedException refused =
                    assertThrows(
                            NotAuthenticatedException.class,
                            () -> SecurityFilter.tenant(token(Map.of("tenant", claim))),
                            claim::toString);
            assertTrue(refused.tokenPresented(), "a 401 invalid_token, not a missing token");
        }
    }

    private static JsonWebToken token(Map<String, Object> claims) {
        return new JsonWebToken() {
            @Override
            public String getName() {
                return "someone";
            }

            @Override
            public Set<String> getClaimNames() {
                return claims.keySet();
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String name) {
                return (T) claims.get(name);
            }
        };
    }
}
