package io.arbor.web.security;

import io.arbor.domain.Tenant;
import jakarta.enterprise.context.RequestScoped;

/**
 * Who sent the request being served: its tenant and, when the request carried a token, the token's
 * subject (recorded on every event it appends). Resources read it on the request thread and pass
 * the tenant to the application layer explicitly.
 */
@RequestScoped
public class Caller {
    private Tenant tenant = Tenant.DEFAULT;
    private String subject;

    /** The tenant whose data this request sees. */
    public Tenant tenant() {
        return tenant;
    }

    /** The token's {@code sub}, or null when security is off. */
    public String subject() {
        return subject;
    }

    /** Set once per request by the security filter, before a resource runs. */
    public void identify(Tenant tenant, String subject) {
        this.tenant = tenant;
        this.subject = subject;
    }
}
