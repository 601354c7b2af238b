package io.arbor.infrastructure.jpa;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Vacuums the consumer groups' window table ({@code consumer_group_events}) once enough of its rows
 * changed. Every event a group delivers is inserted there, updated when leased and deleted when
 * acked: a queue's churn, which leaves dead rows that every later fetch scans until a vacuum
 * removes them. Autovacuum does that where it runs; where it is off (this project's CI machines run
 * PostgreSQL with {@code autovacuum = off}) or lags, a rebuild over a million events would slow
 * down as it goes. The table holds only the windows (a few thousand live rows), so a vacuum takes
 * milliseconds, and {@code SKIP_LOCKED} never waits for a lock. Runs outside any transaction
 * (VACUUM cannot run in one), in autocommit mode, on a connection of the owner's pool ({@code
 * jdbc/arbor-owner}): only a table's owner may vacuum it (PostgreSQL 15), and Arbor's application
 * role is not the owner (docs/security.md). VACUUM reads no rows for anyone, so the owner's
 * bypassing of row-level security exposes nothing.
 */
@ApplicationScoped
public class GroupWindowVacuum {
    private static final Logger LOG = Logger.getLogger(GroupWindowVacuum.class.getName());

    @Resource(lookup = "jdbc/arbor-owner")
    DataSource ownerDataSource;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "arbor.groups.vacuum-after-rows")
    long vacuumAfterRows;

    private final AtomicLong changedRows = new AtomicLong();
    private ScheduledFuture<?> task;

    @PostConstruct
    void start() {
        if (vacuumAfterRows > 0) {
            task = scheduler.scheduleWithFixedDelay(this::vacuumIfDue, 5, 5, TimeUnit.SECONDS);
        }
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    /** {@code rows} rows of the window table were inserted, updated or deleted. */
    public void changed(long rows) {
        changedRows.addAndGet(rows);
    }

    private void vacuumIfDue() {
        long changed = changedRows.get();
        if (changed < vacuumAfterRows) {
            return;
        }
        try (Connection connection = ownerDataSource.getConnection();
                Statement vacuum = connection.createStatement()) {
            connection.setAutoCommit(true);
            vacuum.execute("VACUUM (SKIP_LOCKED) consumer_group_events");
            changedRows.addAndGet(-changed);
        } catch (SQLException | RuntimeException failed) {
            LOG.log(Level.FINE, "consumer group window not vacuumed; next try in 5 s", failed);
        }
    }
}
