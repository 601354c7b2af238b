package io.arbor.application.groups;

import io.arbor.domain.Tenant;
import io.arbor.domain.groups.GroupName;
import io.arbor.infrastructure.jpa.ConsumerGroupRows.TenantGroup;
import io.arbor.infrastructure.metrics.ArborMetrics;
import io.arbor.infrastructure.metrics.ArborMetrics.GroupCount;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/**
 * A group's metrics on this instance: the gauge {@code arbor_group_lag{group,tenant}}, how far the
 * group is behind the global log, read from PostgreSQL at most once a second per group (a scrape
 * costs two short statements per group), and the group's counters ({@link GroupCount}), registered
 * at 0. A startup singleton, so that it can list the groups when the application starts (an EJB
 * cannot be called yet when CDI's application scope starts). Registered at start for the groups
 * that exist and for any group this instance creates or serves later; removed when this instance
 * deletes the group, or, on another instance, when a scrape finds the group gone.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class GroupMetrics {
    private static final Logger LOG = Logger.getLogger(GroupMetrics.class.getName());
    private static final String LAG = "arbor.group.lag";
    private static final long FRESH_NANOS = 1_000_000_000L;

    @Inject ConsumerGroups groups;
    @Inject ArborMetrics metrics;

    @Resource(lookup = "java:comp/DefaultManagedExecutorService")
    ManagedExecutorService executor;

    private final Map<TenantGroup, Reading> readings = new ConcurrentHashMap<>();

    private record Reading(long lag, long readAt) {}

    @PostConstruct
    void registerExisting() {
        try {
            groups.listAcrossTenants().forEach(found -> track(found.tenant(), found.group()));
        } catch (RuntimeException unavailable) {
            LOG.log(
                    Level.WARNING,
                    "consumer group gauges: groups not listed at start",
                    unavailable);
        }
    }

    /** Makes sure the tenant's group has its gauge and counters on this instance (it exists). */
    public void track(Tenant tenant, GroupName group) {
        TenantGroup key = new TenantGroup(tenant, group);
        if (readings.putIfAbsent(key, new Reading(0, 0)) == null) {
            Tag[] tags = ArborMetrics.groupTags(tenant, group.value());
            try {
                for (GroupCount count : GroupCount.values()) {
                    metrics.groupCount(tenant, group.value(), count, 0);
                }
                // the registry outlives a redeployment: drop a gauge the previous one registered
                metrics.removeGauge(LAG, tags);
                metrics.gauge(
                        LAG,
                        "Positions of the global log the consumer group has yet to finish (head"
                                + " position minus checkpoint)",
                        MetricUnits.NONE,
                        () -> lag(key),
                        tags);
            } catch (RuntimeException refused) {
                readings.remove(key);
                LOG.log(Level.WARNING, "consumer group gauge not registered: " + group, refused);
            }
        }
    }

    /** Removes the tenant group's gauge and counters on this instance (the group was deleted). */
    public void forget(Tenant tenant, GroupName group) {
        if (readings.remove(new TenantGroup(tenant, group)) != null) {
            metrics.removeGauge(LAG, ArborMetrics.groupTags(tenant, group.value()));
            metrics.forgetGroupCounts(tenant, group.value());
        }
    }

    private long lag(TenantGroup key) {
        Reading last = readings.get(key);
        long now = System.nanoTime();
        if (last != null && last.readAt() != 0 && now - last.readAt() < FRESH_NANOS) {
            return last.lag();
        }
        long lag;
        try {
            Optional<Long> read = groups.lag(key.tenant(), key.group());
            if (read.isEmpty()) {
                // deleted on another instance: removed after this scrape, not during it
                executor.execute(() -> forget(key.tenant(), key.group()));
                return 0;
            }
            lag = read.get();
        } catch (RuntimeException unavailable) {
            return last == null ? 0 : last.lag();
        }
        readings.put(key, new Reading(lag, now));
        return lag;
    }
}
