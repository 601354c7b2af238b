package io.arbor.web.health;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while PostgreSQL answers through Arbor's own pool, promptly, and the schema is in
 * place: a probe query planned on the events table that reads no row, bounded by a statement
 * timeout so a hung database reads as DOWN. The whole probe (taking a connection included) must
 * answer within the same bound: while PostgreSQL is away the pool rides out a brief restart by
 * retrying new connections (2 x 2 s, server-config/glassfish-resources.xml.template), and a probe
 * that waited through those retries reports DOWN even when the retry then succeeded; the database
 * was not answering when it was asked.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {
    private static final int TIMEOUT_SECONDS = 2;
    private static final long BOUND_NANOS = TIMEOUT_SECONDS * 1_000_000_000L;

    @Resource(lookup = "jdbc/arbor")
    DataSource dataSource;

    @Override
    public HealthCheckResponse call() {
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection();
                Statement probe = connection.createStatement()) {
            probe.setQueryTimeout(TIMEOUT_SECONDS);
            // LIMIT 0: planned against the table (it must exist and the role may read it) but no
            // row is read. LIMIT 1 read rows as the application's role with no tenant set, which
            // row-level security filters out one by one: 3.6 s on 10,000,000 events (issue 18's
            // benchmark), so a large store read as DOWN.
            probe.execute("SELECT 1 FROM events LIMIT 0");
            long elapsed = System.nanoTime() - started;
            if (elapsed > BOUND_NANOS) {
                return HealthCheckResponse.named("database")
                        .down()
                        .withData("reason", "answered after the bound of " + TIMEOUT_SECONDS + " s")
                        .withData("latencyMillis", elapsed / 1_000_000)
                        .build();
            }
            return HealthCheckResponse.named("database")
                    .up()
                    .withData("latencyMillis", elapsed / 1_000_000)
                    .build();
        } catch (SQLException failure) {
            return HealthCheckResponse.named("database")
                    .down()
                    .withData("reason", String.valueOf(failure.getMessage()))
                    .build();
        }
    }
}
