package io.arbor.web.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while the JVM answers and has heap to work with. A heap that stays above 98% full after
 * collection means the instance is thrashing and should be restarted.
 */
@Liveness
@ApplicationScoped
public class JvmLiveness implements HealthCheck {
    private static final double EXHAUSTED = 0.98;

    @Override
    public HealthCheckResponse call() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
        double used = (double) heap.getUsed() / max;
        return HealthCheckResponse.named("jvm")
                .status(used < EXHAUSTED)
                .withData("heapUsedBytes", heap.getUsed())
                .withData("heapMaxBytes", max)
                .build();
    }
}
