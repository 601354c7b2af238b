package io.arbor.infrastructure.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.infrastructure.migration.ApplicationRoleCheck.Facts;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApplicationRoleCheckTest {
    private static final Facts FIT = new Facts("arbor", false, false, List.of(), true);

    @Test
    void aRoleThatOwnsNothingAndBypassesNothingMayServe() {
        assertEquals(List.of(), ApplicationRoleCheck.refusals(FIT, true));
    }

    @Test
    void aSuperuserABypassingRoleOrAnOwnerIsRefusedWhileSecurityIsOn() {
        assertEquals(
                List.of("it is a superuser"),
                ApplicationRoleCheck.refusals(
                        new Facts("postgres", true, false, List.of(), false), true));
        assertEquals(
                List.of("it has BYPASSRLS"),
                ApplicationRoleCheck.refusals(
                        new Facts("arbor", false, true, List.of(), true), true));
        assertEquals(
                List.of("it owns tenant tables events, streams"),
                ApplicationRoleCheck.refusals(
                        new Facts("arbor", false, false, List.of("events", "streams"), false),
                        true));
        List<String> all =
                ApplicationRoleCheck.refusals(
                        new Facts("arbor", true, true, List.of("events"), true), true);
        assertEquals(3, all.size());
        String message =
                ApplicationRoleCheck.message(new Facts("arbor", true, true, List.of(), true), all);
        assertTrue(message.contains("'arbor'") && message.contains("arbor.security.enabled=false"));
    }

    @Test
    void withSecurityOffTheyMayServe() {
        assertEquals(
                List.of(),
                ApplicationRoleCheck.refusals(
                        new Facts("postgres", true, true, List.of("events"), false), false));
    }

    @Test
    void aRoleWithoutTheGroupsPrivilegesIsRefusedEitherWay() {
        Facts outsider = new Facts("arbor", false, false, List.of(), false);
        for (boolean securityEnabled : new boolean[] {true, false}) {
            List<String> refusals = ApplicationRoleCheck.refusals(outsider, securityEnabled);
            assertEquals(1, refusals.size());
            assertTrue(refusals.get(0).contains("GRANT arbor_app TO arbor"), refusals::toString);
        }
    }
}
