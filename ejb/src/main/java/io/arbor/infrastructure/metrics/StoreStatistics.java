package io.arbor.infrastructure.metrics;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.sql.DataSource;
import org.eclipse.microprofile.metrics.MetricUnits;

/**
 * Store-wide gauges: events and streams totals (PostgreSQL's live-tuple estimates, cheap at any
 * size, unlike count(*)), the growth rate over the last minute, the global log's head position, and
 * how far the latest global-log reader is behind it. Read from the database at most every 5 s,
 * whatever the scrape rate.
 */
@ApplicationScoped
public class StoreStatistics {
    private static final long REFRESH_NANOS = 5_000_000_000L;
    private static final long RATE_WINDOW_NANOS = 60_000_000_000L;

    @Resource(lookup = "jdbc/arbor")
    DataSource dataSource;

    @Inject ArborMetrics metrics;

    private record Sample(long atNanos, long events, long streams, long headPosition) {}

    private final Deque<Sample> samples = new ArrayDeque<>();
    private Sample latest = new Sample(0, 0, 0, 0);

    void registerAtStartup(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // Forces the gauges to exist from the first scrape on.
    }

    @PostConstruct
    void register() {
        metrics.gauge(
                "arbor.events.total",
                "Events stored (estimate)",
                MetricUnits.NONE,
                () -> sample().events());
        metrics.gauge(
                "arbor.streams.total",
                "Streams stored (estimate)",
                MetricUnits.NONE,
                () -> sample().streams());
        metrics.gauge(
                "arbor.events.growth_rate",
                "Events stored per second, over the last minute",
                MetricUnits.PER_SECOND,
                this::growthRate);
        metrics.gauge(
                "arbor.global_log.head_position",
                "Highest global position handed out",
                MetricUnits.NONE,
                () -> sample().headPosition());
        metrics.gauge(
                "arbor.global_log.reader_lag",
                "Events between the log's head and the end of the latest global-log page served",
                MetricUnits.NONE,
                () -> Math.max(0, sample().headPosition() - metrics.lastServedLogPosition()));
    }

    private synchronized Sample sample() {
        long now = System.nanoTime();
        if (latest.atNanos() != 0 && now - latest.atNanos() < REFRESH_NANOS) {
            return latest;
        }
        try (Connection connection = dataSource.getConnection();
                Statement query = connection.createStatement();
                ResultSet row =
                        query.executeQuery(
                                "SELECT (SELECT n_live_tup FROM pg_stat_user_tables WHERE relname = 'events'"
                                        + " AND schemaname = current_schema()),"
                                        + " (SELECT n_live_tup FROM pg_stat_user_tables WHERE relname ="
                                        + " 'streams' AND schemaname = current_schema()),"
                                        + " (SELECT CASE WHEN is_called THEN last_value ELSE 0 END"
                                        + " FROM events_global_position_seq)")) {
            row.next();
            latest = new Sample(now, row.getLong(1), row.getLong(2), row.getLong(3));
            samples.addLast(latest);
            while (now - samples.peekFirst().atNanos() > RATE_WINDOW_NANOS) {
                samples.removeFirst();
            }
        } catch (SQLException unreachable) {
            // The gauges keep their last values; readiness reports the database as DOWN.
        }
        return latest;
    }

    private synchronized double growthRate() {
        sample();
        Sample first = samples.peekFirst();
        if (first == null || latest.atNanos() == first.atNanos()) {
            return 0;
        }
        return (latest.events() - first.events()) * 1e9 / (latest.atNanos() - first.atNanos());
    }
}
