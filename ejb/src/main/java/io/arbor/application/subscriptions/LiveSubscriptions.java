package io.arbor.application.subscriptions;

import io.arbor.application.EventReader;
import io.arbor.domain.SubscriptionFilter;
import io.arbor.domain.Tenant;
import io.arbor.domain.TooManySubscriptionsException;
import io.arbor.infrastructure.metrics.ArborMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricUnits;

/**
 * Live subscriptions (api.md, "Live subscriptions"): where the web module opens one. Each runs on
 * its own thread, which blocks on its subscriber's connection, so a slow connection holds up no one
 * else; the instance serves at most {@code arbor.subscriptions.max-per-instance}. How a
 * subscription catches up and joins the shared tail: {@link Subscription}; the one reader of the
 * log: {@link LogTailer}.
 */
@ApplicationScoped
public class LiveSubscriptions {
    @Inject EventReader reader;
    @Inject LogTailer tailer;
    @Inject ArborMetrics metrics;

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "arbor.subscriptions.max-per-instance")
    int maxSubscriptions;

    @Inject
    @ConfigProperty(name = "arbor.subscriptions.page-size")
    int pageSize;

    @Inject
    @ConfigProperty(name = "arbor.subscriptions.buffer-events")
    int bufferEvents;

    @Inject
    @ConfigProperty(name = "arbor.subscriptions.checkpoint-interval-ms")
    long checkpointMillis;

    @Inject
    @ConfigProperty(name = "arbor.subscriptions.heartbeat-seconds")
    long heartbeatSeconds;

    @Inject
    @ConfigProperty(name = "arbor.subscriptions.max-catch-up-reads")
    int maxCatchUpReads;

    @Inject
    @ConfigProperty(name = "arbor.subscriptions.recheck-after-ms")
    long recheckMillis;

    private final Map<Subscription, Thread> active = new ConcurrentHashMap<>();
    private SubscriptionSettings settings;
    private Semaphore catchUpReads;
    private volatile boolean shutDown;

    /** Created at deployment, so that its gauges exist before the first subscription. */
    void startWithTheApplication(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // the observer only makes CDI create the bean now; @PostConstruct does the work
    }

    @PostConstruct
    void register() {
        long heartbeatMillis = Math.max(1, heartbeatSeconds) * 1_000;
        catchUpReads = new Semaphore(Math.max(1, maxCatchUpReads));
        settings =
                new SubscriptionSettings(
                        pageSize,
                        bufferEvents,
                        Math.max(1, Math.min(1_000, Math.min(checkpointMillis, heartbeatMillis))),
                        checkpointMillis,
                        heartbeatMillis,
                        Math.max(0, recheckMillis));
        metrics.gauge(
                "arbor.subscriptions.active",
                "Live subscriptions connected to this instance",
                MetricUnits.NONE,
                active::size);
        metrics.gauge(
                "arbor.subscriptions.buffered.events",
                "Events waiting in live subscribers' buffers on this instance (each buffer is"
                        + " bounded by arbor.subscriptions.buffer-events)",
                MetricUnits.NONE,
                () -> active.keySet().stream().mapToLong(Subscription::buffered).sum());
        metrics.gauge(
                "arbor.subscriptions.tailer.lag",
                "Global-log positions announced by appends that this instance's tailer has not yet"
                        + " read and offered to its subscribers",
                MetricUnits.NONE,
                tailer::lag);
    }

    /**
     * Starts a subscription to the tenant's events after {@code after} (a global position, or a
     * version for a stream) that sends its frames to {@code sink}; returns at once.
     *
     * @throws TooManySubscriptionsException when the instance serves its limit already
     */
    public void open(
            Tenant tenant,
            SubscriptionFilter filter,
            long after,
            boolean upcast,
            SubscriptionSink sink) {
        Subscription subscription =
                new Subscription(
                        tenant,
                        filter,
                        after,
                        upcast,
                        sink,
                        settings,
                        reader,
                        tailer,
                        metrics,
                        catchUpReads);
        synchronized (active) {
            if (shutDown || active.size() >= maxSubscriptions) {
                throw new TooManySubscriptionsException(maxSubscriptions);
            }
            Thread thread =
                    threads.newThread(
                            () -> {
                                try {
                                    subscription.run();
                                } finally {
                                    active.remove(subscription);
                                }
                            });
            thread.setName("arbor-subscription-" + thread.getId());
            thread.setDaemon(true);
            active.put(subscription, thread);
            thread.start();
        }
    }

    /**
     * The server stops or the application is undeployed: every subscription ends, no thread stays.
     */
    @PreDestroy
    void stopAll() {
        synchronized (active) {
            shutDown = true;
        }
        active.forEach(
                (subscription, thread) -> {
                    subscription.stop();
                    thread.interrupt();
                });
        long deadline = System.currentTimeMillis() + 5_000;
        for (Thread thread : active.values()) {
            try {
                thread.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
