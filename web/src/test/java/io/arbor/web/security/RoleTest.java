package io.arbor.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.domain.Tenant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who is the store operator (review of issue 20, S8): an admin of the tenant default, only. */
class RoleTest {
    @Test
    void anAdminOfTheDefaultTenantIsTheStoreOperator() {
        assertEquals(Optional.of(Role.OPERATOR), Role.of(List.of("arbor-admin"), Tenant.DEFAULT));
        assertTrue(Role.OPERATOR.grants(Role.ADMIN));
    }

    @Test
    void anotherTenantsAdminIsNoOperatorAndMayNotRunStoreWideWork() {
        Role admin = Role.of(List.of("arbor-admin", "arbor-reader"), new Tenant("acme")).get();
        assertEquals(Role.ADMIN, admin);
        assertFalse(admin.grants(Role.OPERATOR));
        assertFalse(admin.grants(AccessRules.leastRole(Endpoint.of("POST", "/admin/archive"))));
        assertFalse(admin.grants(AccessRules.leastRole(Endpoint.of("GET", "/admin/archive"))));
    }

    @Test
    void readersAndWritersOfTheDefaultTenantStayWhatTheirGroupsSay() {
        assertEquals(Optional.of(Role.WRITER), Role.of(List.of("arbor-writer"), Tenant.DEFAULT));
        assertEquals(Optional.of(Role.READER), Role.of(List.of("arbor-reader"), Tenant.DEFAULT));
        assertEquals(Optional.empty(), Role.of(List.of("other"), Tenant.DEFAULT));
    }
}
