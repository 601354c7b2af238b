package io.arbor.web.security;

import static io.arbor.web.security.Role.ADMIN;
import static io.arbor.web.security.Role.OPERATOR;
import static io.arbor.web.security.Role.READER;
import static io.arbor.web.security.Role.WRITER;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one table of who may call what: every JAX-RS endpoint with the least role that may call it
 * (api.md: {@code arbor-reader} every GET and subscription, {@code arbor-writer} appends, snapshots
 * and stream metadata, {@code arbor-admin} schema registry changes, consumer-group management,
 * stream deletes and scavenging; the store operator, an {@code arbor-admin} of the tenant {@code
 * default}, the archive's store-wide jobs and catalogue).
 *
 * <p>{@link SecurityFilter} enforces it; {@code AccessRulesTest} fails the build when a resource
 * method has no rule here, or a rule names no resource method, and when the README's table is not
 * {@link #markdownTable()}. A consumer's {@code fetch}, {@code ack} and {@code nack} are a
 * reader's: consuming a group is reading the log, and a read-only projector must not need the right
 * to append; what changes a group for all its consumers (settings, delete, reset, replaying parked
 * events) is an admin's (docs/security.md).
 */
public final class AccessRules {
    private static final Map<Endpoint, Role> RULES = new LinkedHashMap<>();

    static {
        // streams
        rule("POST", "/streams/{streamId}/events", WRITER);
        rule("GET", "/streams/{streamId}/events", READER);
        rule("GET", "/streams/{streamId}", READER);
        rule("GET", "/streams/{streamId}/subscribe", READER);
        rule("PUT", "/streams/{streamId}/snapshot", WRITER);
        rule("GET", "/streams/{streamId}/snapshot", READER);
        rule("GET", "/streams/{streamId}/metadata", READER);
        rule("PUT", "/streams/{streamId}/metadata", WRITER);
        rule("DELETE", "/streams/{streamId}", ADMIN);
        rule("GET", "/streams", READER);
        // global log
        rule("GET", "/events", READER);
        rule("POST", "/events", WRITER);
        rule("GET", "/events/subscribe", READER);
        rule("POST", "/events/query", READER);
        rule("GET", "/events/{eventId}", READER);
        // schema registry
        rule("GET", "/schemas", READER);
        rule("GET", "/schemas/{type}", READER);
        rule("GET", "/schemas/{type}/versions/{version}", READER);
        rule("PUT", "/schemas/{type}/versions/{version}", ADMIN);
        rule("PUT", "/schemas/{type}/compatibility", ADMIN);
        rule("PUT", "/schemas/{type}/upcasters/{fromVersion}", ADMIN);
        // consumer groups
        rule("GET", "/subscriptions", READER);
        rule("GET", "/subscriptions/{group}", READER);
        rule("PUT", "/subscriptions/{group}", ADMIN);
        rule("DELETE", "/subscriptions/{group}", ADMIN);
        rule("POST", "/subscriptions/{group}/fetch", READER);
        rule("POST", "/subscriptions/{group}/ack", READER);
        rule("POST", "/subscriptions/{group}/nack", READER);
        rule("GET", "/subscriptions/{group}/parked", READER);
        rule("POST", "/subscriptions/{group}/parked/replay", ADMIN);
        rule("POST", "/subscriptions/{group}/reset", ADMIN);
        // scavenging
        rule("POST", "/admin/scavenge", ADMIN);
        rule("GET", "/admin/scavenge", ADMIN);
        rule("GET", "/admin/scavenge/{jobId}", ADMIN);
        // the archive tier (store-wide)
        rule("GET", "/admin/archive", OPERATOR);
        rule("POST", "/admin/archive", OPERATOR);
        rule("POST", "/admin/archive/restore", OPERATOR);
        rule("GET", "/admin/archive/{jobId}", OPERATOR);
    }

    private AccessRules() {}

    private static void rule(String method, String path, Role least) {
        if (RULES.put(Endpoint.of(method, path), least) != null) {
            throw new IllegalStateException("Two rules for " + method + " " + path);
        }
    }

    /** The least role that may call {@code endpoint}, or null when the table has no rule. */
    public static Role leastRole(Endpoint endpoint) {
        return RULES.get(endpoint);
    }

    /** Every rule, in the table's order. */
    public static Map<Endpoint, Role> all() {
        return Collections.unmodifiableMap(RULES);
    }

    /** The table as Markdown, for the README ("Endpoint → role"), one row per rule. */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder("| endpoint | least role |\n| --- | --- |\n");
        RULES.forEach(
                (endpoint, role) ->
                        table.append("| `")
                                .append(endpoint)
                                .append("` | `")
                                .append(
                                        role.label()
                                                .replace(" of the tenant ", "` of the tenant `"))
                                .append("` |\n"));
        return table.toString();
    }
}
