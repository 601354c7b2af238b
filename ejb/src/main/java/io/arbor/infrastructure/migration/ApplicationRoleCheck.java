package io.arbor.infrastructure.migration;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether the role Arbor's application connects as ({@code jdbc/arbor}) is fit to serve tenants:
 * row-level security is the second line behind the application's tenant filter (docs/security.md),
 * and it holds nothing against a superuser, a role with {@code BYPASSRLS}, or the owner of a tenant
 * table (who can turn it off). A deploy with such a role fails, unless security is off ({@code
 * arbor.security.enabled=false}: one tenant, a trusted network). Whatever the setting, the role
 * must have the privileges the changesets grant to the group role {@code arbor_app}.
 */
public final class ApplicationRoleCheck {
    /** The group role the changesets grant the row privileges to. */
    public static final String APP_GROUP = "arbor_app";

    /** Every table that holds tenant data (changesets 2026-12-06). */
    public static final List<String> TENANT_TABLES =
            List.of(
                    "streams",
                    "events",
                    "snapshots",
                    "event_types",
                    "event_schemas",
                    "event_upcasters",
                    "schema_registry",
                    "consumer_groups",
                    "consumer_group_events",
                    "consumer_group_parked",
                    "consumer_group_consumers");

    /**
     * What PostgreSQL says of the role.
     *
     * @param ownedTables the tenant tables it owns, or whose owner it is a member of
     */
    public record Facts(
            String role,
            boolean superuser,
            boolean bypassesRowLevelSecurity,
            List<String> ownedTables,
            boolean memberOfAppGroup) {}

    private ApplicationRoleCheck() {}

    /** Why a deploy must not go on with this role; empty when it may. */
    public static List<String> refusals(Facts facts, boolean securityEnabled) {
        List<String> refusals = new ArrayList<>();
        if (securityEnabled) {
            if (facts.superuser()) {
                refusals.add("it is a superuser");
            }
            if (facts.bypassesRowLevelSecurity()) {
                refusals.add("it has BYPASSRLS");
            }
            if (!facts.ownedTables().isEmpty()) {
                refusals.add("it owns tenant tables " + String.join(", ", facts.ownedTables()));
            }
        }
        boolean privilegedAnyway = facts.superuser() || !facts.ownedTables().isEmpty();
        if (!facts.memberOfAppGroup() && !privilegedAnyway) {
            refusals.add(
                    "it is not a member of "
                            + APP_GROUP
                            + ", which holds the privileges on the tables (GRANT "
                            + APP_GROUP
                            + " TO "
                            + facts.role()
                            + ")");
        }
        return refusals;
    }

    /** The log line and deploy failure for {@code refusals} (not empty). */
    public static String message(Facts facts, List<String> refusals) {
        return "Arbor's application role '"
                + facts.role()
                + "' (the user of jdbc/arbor) must not be used: "
                + String.join("; ", refusals)
                + ". Row-level security would not keep tenants apart. Connect as a role that owns"
                + " nothing, has NOBYPASSRLS and is a member of "
                + APP_GROUP
                + " (docs/security.md), or set arbor.security.enabled=false for a single-tenant"
                + " store on a trusted network.";
    }
}
