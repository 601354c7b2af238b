package io.arbor.application.scavenging;

import io.arbor.application.scavenging.BatchAbandonedException.Reason;
import io.arbor.application.scavenging.ScavengeBatches.Batch;
import io.arbor.domain.StreamId;
import io.arbor.domain.Tenant;
import io.arbor.domain.scavenging.ScavengeState;
import io.arbor.infrastructure.cache.EventChunkCache;
import io.arbor.infrastructure.cache.SnapshotCache;
import io.arbor.infrastructure.jpa.ScavengeRows;
import io.arbor.infrastructure.jpa.ScavengeRows.Claimable;
import io.arbor.infrastructure.jpa.SnapshotRows.RemovedSnapshot;
import io.arbor.infrastructure.metrics.ArborMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricUnits;

/**
 * Runs scavenge jobs on this instance (docs/lifecycle.md, "Scavenging"). Every {@value
 * #POLL_SECONDS} s, and at once when a job is requested here, it claims the jobs any instance may
 * run (queued ones, and running ones whose heartbeat is older than {@code
 * arbor.scavenge.stale-after-seconds}: their instance died) and runs them one after another. Every
 * {@code arbor.scavenge.interval-seconds} it queues a job for each tenant that has streams with
 * lifecycle rules and no job requested within the interval (so that several instances queue one). A
 * startup singleton, so the polls, and with them the resumption of a job a crash left running,
 * start with the application.
 *
 * <p>A job walks the tenant's streams with rules in stream-id order from its cursor, and each
 * stream in batches ({@link ScavengeBatches#removeNext}), each its own transaction that also moves
 * the job's counters and heartbeat; after each commit the removed versions leave the hot cache. A
 * batch that meets a lock (a consumer group's fetch holding the group's row; never an append, which
 * takes no lock a batch takes) gives up at once and is tried again after a pause; a stream still
 * locked after {@value #BUSY_TRIES} tries is left to the next job. Any other failure ends the job
 * as failed, with its message.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
// No transaction of its own: each batch is one of ScavengeBatches; and wake() is called after a
// request's transaction completed, where a new one could not begin.
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Scavenger {
    private static final Logger LOG = Logger.getLogger(Scavenger.class.getName());
    static final long POLL_SECONDS = 5;
    static final int BUSY_TRIES = 50;
    private static final int STREAMS_PER_READ = 100;
    private static final long MAX_PAUSE_MILLIS = 1000;

    @Inject ScavengeBatches batches;
    @Inject EventChunkCache eventChunks;
    @Inject SnapshotCache snapshotCache;
    @Inject ArborMetrics metrics;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "arbor.scavenge.interval-seconds")
    long intervalSeconds;

    @Inject
    @ConfigProperty(name = "arbor.scavenge.batch-size")
    int batchSize;

    @Inject
    @ConfigProperty(name = "arbor.scavenge.stale-after-seconds")
    long staleAfterSeconds;

    /** This instance as a job's owner: its name and this start's own id. */
    private final String owner =
            System.getProperty("com.sun.aas.instanceName", "arbor") + "/" + UUID.randomUUID();

    private final AtomicBoolean polling = new AtomicBoolean();
    private final AtomicBoolean pollAgain = new AtomicBoolean();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong lastJobMillis = new AtomicLong();
    private volatile boolean stopping;
    private ScheduledFuture<?> poll;
    private ScheduledFuture<?> schedule;

    @PostConstruct
    void start() {
        // the registry outlives a redeployment: drop the gauges the previous one registered
        metrics.removeGauge(RUNNING);
        metrics.removeGauge(LAST_JOB);
        metrics.gauge(
                RUNNING, "Scavenge jobs running on this instance", MetricUnits.NONE, running::get);
        metrics.gauge(
                LAST_JOB,
                "How long the latest scavenge job that ended on this instance ran, in milliseconds",
                MetricUnits.NONE,
                lastJobMillis::get);
        poll =
                scheduler.scheduleWithFixedDelay(
                        this::runClaimable, POLL_SECONDS, POLL_SECONDS, TimeUnit.SECONDS);
        if (intervalSeconds > 0) {
            schedule =
                    scheduler.scheduleWithFixedDelay(
                            this::requestDue, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
        }
    }

    private static final String RUNNING = "arbor.scavenge.running";
    private static final String LAST_JOB = "arbor.scavenge.last-job.milliseconds";

    @PreDestroy
    void stop() {
        // A job in progress stops after its current batch; its heartbeat goes stale and the next
        // instance (or this one, restarted) resumes it from its cursor.
        stopping = true;
        if (poll != null) {
            poll.cancel(false);
        }
        if (schedule != null) {
            schedule.cancel(false);
        }
    }

    /** A job was requested on this instance: runs it now rather than at the next poll. */
    public void wake() {
        if (!stopping) {
            scheduler.execute(this::runClaimable);
        }
    }

    /** Queues a job for each tenant with lifecycle rules that has none within the interval. */
    private void requestDue() {
        try {
            for (Tenant tenant : batches.tenantsWithRules()) {
                batches.requestIfDue(tenant, intervalSeconds);
            }
            runClaimable();
        } catch (RuntimeException failed) {
            LOG.log(
                    Level.WARNING,
                    "scheduled scavenge not requested; next try in an interval",
                    failed);
        }
    }

    /**
     * Claims and runs every claimable job, one at a time; a call while this instance already polls
     * makes that poll look once more when it is done.
     */
    private void runClaimable() {
        if (!polling.compareAndSet(false, true)) {
            pollAgain.set(true);
            return;
        }
        try {
            do {
                pollAgain.set(false);
                for (Claimable job : batches.claimable(staleAfterSeconds)) {
                    if (stopping) {
                        return;
                    }
                    run(job.tenant(), job.jobId());
                }
            } while (pollAgain.get() && !stopping);
        } catch (RuntimeException failed) {
            LOG.log(
                    Level.FINE,
                    "scavenge jobs not polled; next try in " + POLL_SECONDS + " s",
                    failed);
        } finally {
            polling.set(false);
        }
    }

    private void run(Tenant tenant, UUID jobId) {
        String cursor = batches.claim(tenant, jobId, owner, staleAfterSeconds).orElse(null);
        if (cursor == null) {
            return; // another instance has it, or it ended
        }
        running.incrementAndGet();
        long started = System.nanoTime();
        try {
            String after = cursor;
            while (!stopping) {
                List<String> streams = batches.streamsWithRules(tenant, after, STREAMS_PER_READ);
                for (String stream : streams) {
                    if (stopping || !scavenge(tenant, jobId, stream)) {
                        return;
                    }
                }
                if (streams.size() < STREAMS_PER_READ) {
                    batches.finish(tenant, jobId, owner, ScavengeState.DONE, null);
                    LOG.info("Scavenge job " + jobId + " of tenant " + tenant.value() + " done");
                    return;
                }
                after = streams.get(streams.size() - 1);
            }
        } catch (RuntimeException failed) {
            LOG.log(Level.WARNING, "Scavenge job " + jobId + " failed", failed);
            try {
                batches.finish(tenant, jobId, owner, ScavengeState.FAILED, describe(failed));
            } catch (RuntimeException notRecorded) {
                // the job stays running; its heartbeat goes stale and an instance resumes it
                LOG.log(Level.WARNING, "Scavenge job " + jobId + " not marked failed", notRecorded);
            }
        } finally {
            running.decrementAndGet();
            lastJobMillis.set((System.nanoTime() - started) / 1_000_000);
        }
    }

    /**
     * Scavenges one stream batch by batch; false when the job is no longer this instance's to run.
     */
    private boolean scavenge(Tenant tenant, UUID jobId, String stream) {
        int busy = 0;
        while (!stopping) {
            Batch batch;
            try {
                batch = batches.removeNext(tenant, jobId, owner, stream, batchSize);
            } catch (BatchAbandonedException abandoned) {
                if (abandoned.reason() == Reason.JOB_TAKEN_OVER) {
                    return false;
                }
                continue; // rules changed: look at the stream again
            } catch (RuntimeException failed) {
                if (!ScavengeRows.isLockTimeout(failed)) {
                    throw failed;
                }
                if (++busy >= BUSY_TRIES) {
                    LOG.info("Scavenge: stream " + stream + " stays locked; left to the next job");
                    return batches.leave(tenant, jobId, owner, stream);
                }
                if (!batches.heartbeat(tenant, jobId, owner)) {
                    return false;
                }
                pause(Math.min(MAX_PAUSE_MILLIS, 20L << Math.min(busy, 6)));
                continue;
            }
            busy = 0;
            forget(tenant, stream, batch);
            if (batch.streamFinished()) {
                return true;
            }
        }
        return false;
    }

    /** The batch committed: its events and snapshots leave the hot cache and join the metrics. */
    private void forget(Tenant tenant, String stream, Batch batch) {
        StreamId id = new StreamId(stream);
        if (batch.eventsRemoved() > 0) {
            eventChunks.evict(tenant, id, batch.fromVersion(), batch.toVersion());
        }
        for (RemovedSnapshot snapshot : batch.snapshotsRemoved()) {
            snapshotCache.evict(tenant, id, snapshot.version(), snapshot.createdAt());
        }
        metrics.scavenged(batch.eventsRemoved(), batch.snapshotsRemoved().size());
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The failure's innermost message, bounded, for the job's row. */
    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getClass().getSimpleName() + ": " + root.getMessage();
        return message.length() > 1000 ? message.substring(0, 1000) : message;
    }
}
