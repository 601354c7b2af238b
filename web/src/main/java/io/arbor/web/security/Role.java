package io.arbor.web.security;

import java.util.Collection;
import java.util.Optional;

/**
 * Arbor's three roles, from the token's {@code groups} claim (api.md, "Authentication, roles,
 * tenants"). Each grants everything the ones before it grant: a writer reads, an admin writes.
 */
public enum Role {
    /** Every read and subscription, and a consumer's fetch, ack and nack. */
    READER("arbor-reader"),
    /** A reader who also appends and keeps snapshots (and stream metadata). */
    WRITER("arbor-writer"),
    /** A writer who also changes the schema registry and manages consumer groups. */
    ADMIN("arbor-admin");

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

    /** The highest role among {@code groups}; empty when they name none of Arbor's. */
    public static Optional<Role> highest(Collection<String> groups) {
        Role highest = null;
        for (Role role : values()) {
            if (groups.contains(role.group)) {
                highest = role;
            }
        }
        return Optional.ofNullable(highest);
    }
}
