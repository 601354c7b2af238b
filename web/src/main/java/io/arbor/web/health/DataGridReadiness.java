package io.arbor.web.health;

import com.hazelcast.core.HazelcastInstance;
import jakarta.enterprise.context.ApplicationScoped;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while this member of Payara's data grid (Hazelcast, which backs the hot cache) is
 * running; reports the grid's member count.
 */
@Readiness
@ApplicationScoped
public class DataGridReadiness implements HealthCheck {
    /** Where Payara publishes its Hazelcast instance. */
    private static final String GRID_JNDI_NAME = "payara/Hazelcast";

    @Override
    public HealthCheckResponse call() {
        try {
            HazelcastInstance grid =
                    (HazelcastInstance) new InitialContext().lookup(GRID_JNDI_NAME);
            boolean running = grid.getLifecycleService().isRunning();
            return HealthCheckResponse.named("data-grid")
                    .status(running)
                    .withData("members", running ? grid.getCluster().getMembers().size() : 0)
                    .withData("cluster", grid.getConfig().getClusterName())
                    .build();
        } catch (NamingException | RuntimeException unavailable) {
            return HealthCheckResponse.named("data-grid")
                    .down()
                    .withData(
                            "reason",
                            "Payara's data grid is not available: " + unavailable.getMessage())
                    .build();
        }
    }
}
