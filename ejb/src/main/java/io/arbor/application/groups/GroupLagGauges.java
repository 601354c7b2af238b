package io.arbor.application.groups;

import io.arbor.domain.groups.GroupName;
import io.arbor.infrastructure.metrics.ArborMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The gauge {@code arbor_group_lag{group}}: how far each group is behind the global log, read from
 * PostgreSQL at most once a second per group (a scrape costs two short statements per group). A
 * startup singleton, so that it can list the groups when the application starts (an EJB cannot be
 * called yet when CDI's application scope starts). Registered at start for the groups that exist
 * and for any group this instance creates or serves later; removed when this instance deletes the
 * group (on another instance, a deleted group's gauge reads 0 until that instance restarts).
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class GroupLagGauges {
    private static final Logger LOG = Logger.getLogger(GroupLagGauges.class.getName());
    private static final String LAG = "arbor.group.lag";
    private static final long FRESH_NANOS = 1_000_000_000L;

    @Inject ConsumerGroups groups;
    @Inject ArborMetrics metrics;

    private final Map<String, Reading> readings = new ConcurrentHashMap<>();

    private record Reading(long lag, long readAt) {}

    @PostConstruct
    void registerExisting() {
        try {
            groups.list().forEach(status -> track(status.group()));
        } catch (RuntimeException unavailable) {
            LOG.log(
                    Level.WARNING,
                    "consumer group gauges: groups not listed at start",
                    unavailable);
        }
    }

    /** Makes sure the group has a lag gauge on this instance. */
    public void track(GroupName group) {
        if (readings.putIfAbsent(group.value(), new Reading(0, 0)) == null) {
            Tag tag = new Tag("group", group.value());
            try {
                // the registry outlives a redeployment: drop a gauge the previous one registered
                metrics.removeGauge(LAG, tag);
                metrics.gauge(
                        LAG,
                        "Positions of the global log the consumer group has yet to finish (head"
                                + " position minus checkpoint)",
                        MetricUnits.NONE,
                        () -> lag(group),
                        tag);
            } catch (RuntimeException refused) {
                readings.remove(group.value());
                LOG.log(Level.WARNING, "consumer group gauge not registered: " + group, refused);
            }
        }
    }

    /** Removes the group's gauge on this instance (the group was deleted here). */
    public void forget(GroupName group) {
        if (readings.remove(group.value()) != null) {
            metrics.removeGauge(LAG, new Tag("group", group.value()));
        }
    }

    private long lag(GroupName group) {
        Reading last = readings.get(group.value());
        long now = System.nanoTime();
        if (last != null && last.readAt() != 0 && now - last.readAt() < FRESH_NANOS) {
            return last.lag();
        }
        long lag;
        try {
            lag = groups.lag(group);
        } catch (RuntimeException unavailable) {
            return last == null ? 0 : last.lag();
        }
        readings.put(group.value(), new Reading(lag, now));
        return lag;
    }
}
