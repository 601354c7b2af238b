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
 * Ready only while PostgreSQL answers through Arbor's own pool, and the schema is in place: a probe
 * query on the events table, bounded by a statement timeout so a hung database reads as DOWN.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {
    private static final int TIMEOUT_SECONDS = 2;

    @Resource(lookup = "jdbc/arbor")
    DataSource dataSource;

    @Override
    public HealthCheckResponse call() {
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection();
                Statement probe = connection.createStatement()) {
            probe.setQueryTimeout(TIMEOUT_SECONDS);
            probe.execute("SELECT 1 FROM events LIMIT 1");
            return HealthCheckResponse.named("database")
                    .up()
                    .withData("latencyMillis", (System.nanoTime() - started) / 1_000_000)
                    .build();
        } catch (SQLException failure) {
            return HealthCheckResponse.named("database")
                    .down()
                    .withData("reason", String.valueOf(failure.getMessage()))
                    .build();
        }
    }
}
