package io.arbor.web.security;

import io.arbor.domain.Tenant;
import java.util.Collection;
import java.util.Optional;

/**
 * Arbor's roles, from the token's {@code groups} claim and, for the store operator, its tenant
 * (api.md, "Authentication, roles, tenants"). Each grants everything the ones before it grant: a
 * writer reads, an admin writes, the operator administers every tenant's share of the store.
 */
public enum Role {
    /** Every read and subscription, and a consumer's fetch, ack and nack. */
    READER("arbor-reader"),
    /** A reader who also appends and keeps snapshots (and stream metadata). */
    WRITER("arbor-writer"),
    /** A writer who also changes the schema registry and manages consumer groups. */
    ADMIN("arbor-admin"),
    /**
     * An {@code arbor-admin} of the tenant {@code default}: the store's operator, who alone runs
     * store-wide jobs and reads store-wide figures (the archive: its jobs move every tenant's
     * events, its catalogue counts them). Not a group of its own: any tenant's admin held these
     * rights before (review of issue 20, S8), and the operator is who issues tokens without a
     * tenant.
     */
    OPERATOR("arbor-admin");

    private final String group;

    Role(String group) {
        this.group = group;
    }

    /** The name of this role in a token's {@code groups} claim. */
    public String group() {
        return group;
    }

    /** True when a caller in this role may do what {@code required} may. */
    public boolean grants(Role required) {
        return compareTo(required) >= 0;
    }

    /** How the README's table and a 403 name the role. */
    public String label() {
        return this == OPERATOR ? group + " of the tenant " + Tenant.DEFAULT.value() : group;
    }

    /**
     * The caller's role: the highest among {@code groups}, and {@link #OPERATOR} for an admin of
     * the tenant {@code default}; empty when the groups name none of Arbor's.
     */
    public static Optional<Role> of(Collection<String> groups, Tenant tenant) {
        return highest(groups)
                .map(role -> role == ADMIN && tenant.equals(Tenant.DEFAULT) ? OPERATOR : role);
    }

    /** The highest group role among {@code groups}; empty when they name none of Arbor's. */
    public static Optional<Role> highest(Collection<String> groups) {
        Role highest = null;
        for (Role role : values()) {
            if (role != OPERATOR && groups.contains(role.group)) {
                highest = role;
            }
        }
        return Optional.ofNullable(highest);
    }
}
