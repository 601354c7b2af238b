package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arbor.client.DevelopmentTokens.Flaw;
import io.arbor.web.security.AccessRules;
import io.arbor.web.security.Endpoint;
import io.arbor.web.security.Role;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of the table that the server enforces ({@link AccessRules}, the README's "endpoint
 * → role" table) against every kind of bad token, and against each role. A new endpoint without a
 * rule fails the build before this runs ({@code AccessRulesTest}); one with a rule is in this
 * matrix by construction.
 *
 * <p>A request that passes the check must reach the resource, which then refuses it for its own
 * reasons without writing anything: every body is {@code []} (each endpoint wants an object: 400),
 * every stream, type and group is one that does not exist (404), and a subscription asks for {@code
 * after=-1} (400 before any frame).
 */
class AuthMatrixIT extends ArborIT {

    @Test
    void everyEndpointRefusesEveryBadTokenWith401ProblemJson() {
        Map<String, Arbor> callers = new LinkedHashMap<>();
        callers.put("no token", new Arbor(null));
        for (Flaw flaw : Flaw.values()) {
            callers.put(flaw.name(), new Arbor(Tokens.token("arbor-admin").sign(flaw)));
        }
        callers.put(
                "malformed tenant claim",
                new Arbor(Tokens.token("arbor-admin").tenant("Not_A_Tenant").sign()));
        callers.put("not a JWT", new Arbor("not.a.jwt"));
        List<String> wrong = new ArrayList<>();
        callers.forEach(
                (kind, caller) -> {
                    for (Endpoint endpoint : AccessRules.all().keySet()) {
                        Reply reply = call(caller, endpoint);
                        String challenge = reply.header("WWW-Authenticate");
                        if (reply.status() != 401
                                || !reply.isProblem()
                                || challenge == null
                                || !challenge.startsWith("Bearer")
                                || !reply.json()
                                        .getString("type")
                                        .equals("urn:arbor:problem:unauthorized")) {
                            wrong.add(kind + ": " + endpoint + " answered " + reply);
                        }
                    }
                });
        assertEquals(List.of(), wrong, "each of these should be a 401 problem with a challenge");
    }

    @Test
    void everyEndpointAnswersEachRoleAsTheTableSays() {
        // Each caller with the role the server must give it: the store operator is the admin of
        // the tenant default; another tenant's admin is an admin only (review of issue 20, S8).
        Map<String, Role> roles = new LinkedHashMap<>();
        Map<String, Arbor> callers = new LinkedHashMap<>();
        roles.put("no role", null); // a valid token without any of Arbor's roles
        callers.put("no role", new Arbor(Tokens.token().sign()));
        for (Role role : List.of(Role.READER, Role.WRITER)) {
            roles.put(role.group(), role);
            callers.put(role.group(), new Arbor(Tokens.token(role.group()).sign()));
        }
        roles.put("arbor-admin of another tenant", Role.ADMIN);
        callers.put(
                "arbor-admin of another tenant",
                new Arbor(Tokens.token("arbor-admin").tenant("authz-other").sign()));
        roles.put("arbor-admin of the tenant default", Role.OPERATOR);
        callers.put(
                "arbor-admin of the tenant default", new Arbor(Tokens.token("arbor-admin").sign()));
        List<String> wrong = new ArrayList<>();
        roles.forEach(
                (name, role) -> {
                    Arbor caller = callers.get(name);
                    AccessRules.all()
                            .forEach(
                                    (endpoint, least) -> {
                                        Reply reply = call(caller, endpoint);
                                        boolean allowed = role != null && role.grants(least);
                                        boolean ok =
                                                allowed
                                                        ? reply.status() != 401
                                                                && reply.status() != 403
                                                                && reply.status() < 500
                                                        : refusedFor(reply, least);
                                        if (!ok) {
                                            wrong.add(
                                                    name
                                                            + (allowed ? " allowed " : " refused ")
                                                            + endpoint
                                                            + ", answered "
                                                            + reply);
                                        }
                                    });
                });
        assertEquals(List.of(), wrong, "answers that differ from AccessRules");
    }

    /** A 403 problem naming the least role (and, for the operator's endpoints, the tenant). */
    private static boolean refusedFor(Reply reply, Role least) {
        if (reply.status() != 403 || !reply.isProblem()) {
            return false;
        }
        var problem = reply.json();
        return least.group().equals(problem.getString("requiredRole"))
                && (least != Role.OPERATOR
                        || "default".equals(problem.getString("requiredTenant", null)));
    }

    /** One request to {@code endpoint} that writes nothing even when it is let through. */
    static Reply call(Arbor caller, Endpoint endpoint) {
        String path =
                endpoint.path()
                        .replace("{streamId}", "authz-" + UUID.randomUUID())
                        .replace("{eventId}", UUID.randomUUID().toString())
                        .replace(
                                "{type}",
                                "AuthzType" + UUID.randomUUID().toString().substring(0, 8))
                        .replace("{version}", "1")
                        .replace("{fromVersion}", "1")
                        .replace("{group}", "authz-" + UUID.randomUUID())
                        .replace("{jobId}", UUID.randomUUID().toString());
        if (path.endsWith("/subscribe")) {
            path += "?after=-1";
        }
        boolean withBody = endpoint.method().equals("POST") || endpoint.method().equals("PUT");
        return caller.send(
                endpoint.method(),
                path,
                withBody ? "application/json" : null,
                withBody ? "[]".getBytes(StandardCharsets.UTF_8) : null);
    }
}
