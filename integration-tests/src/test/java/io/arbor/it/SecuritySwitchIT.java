package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * {@code arbor.security.enabled=false} on the real server: no token needed, every role granted; and
 * back on, tokens needed again. The test domain's MicroProfile Config is changed and the
 * application reloaded (the setting is read when it starts), then restored, whatever happens.
 */
class SecuritySwitchIT extends ArborIT {
    private final Arbor anonymous = new Arbor(null);

    @Test
    void withSecurityOffNoTokenIsNeededAndEveryRoleIsGranted() throws Exception {
        assertEquals(401, anonymous.get("/streams?limit=1").status(), "security is on by default");
        String stream = Arbor.newStream("open");
        try {
            switchSecurity(false);
            // A writer's endpoint and an admin's, without a token; a reader's token is not refused.
            assertEquals(201, anonymous.append(stream, "\"no_stream\"", "Opened").status());
            Arbor reader = new Arbor(Tokens.token("arbor-reader").sign());
            Reply group = reader.put("/subscriptions/open-" + stream, "{}");
            assertEquals(201, group.status(), group::toString);
            assertEquals(
                    204,
                    reader.send("DELETE", "/subscriptions/open-" + stream, null, null).status());
            Reply read = anonymous.get("/streams/" + stream + "/events");
            assertEquals(200, read.status(), read::toString);
            assertEquals(1, read.json().getJsonArray("events").size());
        } finally {
            switchSecurity(true);
        }
        assertEquals(401, anonymous.get("/streams/" + stream).status(), "security is back on");
        assertEquals(200, arbor.get("/streams/" + stream).status());
    }

    private static void switchSecurity(boolean enabled) throws Exception {
        Domain.asadmin(
                "set-config-property",
                "--source=domain",
                "--propertyname=arbor.security.enabled",
                "--propertyvalue=" + enabled);
        Domain.asadmin("disable", "arbor");
        Domain.asadmin("enable", "arbor");
        Domain.awaitReady();
    }
}
