package io.arbor.domain;

import java.util.regex.Pattern;

/**
 * Whose data a request sees: the token's {@code tenant} claim, 1–63 of {@code a-z 0-9 -}. Every
 * stream, the global log's view, snapshots, the schema registry and consumer groups belong to one
 * tenant; the same stream id in two tenants is two streams. Without security (or without the claim)
 * the tenant is {@link #DEFAULT}.
 */
public record Tenant(String value) {
    private static final Pattern VALID = Pattern.compile("[a-z0-9-]{1,63}");

    /**
     * The tenant of a token without the claim, of a store without security, of data from before
     * tenants.
     */
    public static final Tenant DEFAULT = new Tenant("default");

    public Tenant {
        if (!valid(value)) {
            throw new IllegalArgumentException("A tenant is 1 to 63 characters of a-z 0-9 -");
        }
    }

    /** True when {@code value} is a well-formed tenant name. */
    public static boolean valid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
