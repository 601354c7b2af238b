package io.arbor.infrastructure.jpa;

import org.eclipse.persistence.config.SessionCustomizer;
import org.eclipse.persistence.sessions.DatabaseLogin;
import org.eclipse.persistence.sessions.Session;

/**
 * Turns off EclipseLink's own reconnect-and-retry of reads that hit a communication failure (by
 * default 3 more attempts, 5 s apart). The pool already retries opening connections, and Arbor
 * answers an unreachable database with a 503 and Retry-After for the client to retry; EclipseLink's
 * retries on top made a read during an outage take 27 s instead of a few (found by ReadinessIT).
 * Named in persistence.xml ({@code eclipselink.session.customizer}).
 */
public class FailFastSessions implements SessionCustomizer {
    @Override
    public void customize(Session session) {
        if (session.getDatasourceLogin() instanceof DatabaseLogin login) {
            login.setQueryRetryAttemptCount(0);
            login.setDelayBetweenConnectionAttempts(0);
        }
    }
}
