package io.arbor.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives load and measures it: closed loops (N clients, each sends its next request when the last
 * one answered) and an open loop (requests at a fixed rate, latency counted from when each request
 * was due, so a slow server cannot hide its queue: no coordinated omission). A warm-up runs first
 * and is not recorded. Progress is printed every two seconds. The server's CPU ({@link ServerCpu})
 * is sampled at the start and the end of the measured window.
 */
final class Load {
    /** What one request ended as, as counted by the scenario. */
    enum Outcome {
        /** Did what was asked (201, 200). */
        OK,
        /** An expected answer that is not progress: a 409 to a writer with a stale version. */
        REFUSED,
        /** Anything else: a failure of the run. */
        FAILED
    }

    /** One client's next request; returns what it ended as, and the units (events, reads) done. */
    interface Client {
        Outcome call(Units units) throws Exception;
    }

    /** How many units (events, reads) a request accomplished; 1 unless the client says so. */
    static final class Units {
        long value = 1;
    }

    /** What a run measured. */
    record Result(
            String label,
            double seconds,
            long ok,
            long refused,
            long failed,
            long units,
            Histogram latencyMicros,
            List<String> failures,
            ServerCpu.Used cpu) {
        double perSecond() {
            return ok / seconds;
        }

        double unitsPerSecond() {
            return units / seconds;
        }

        double p50Millis() {
            return latencyMicros.getValueAtPercentile(50) / 1000.0;
        }

        double p99Millis() {
            return latencyMicros.getValueAtPercentile(99) / 1000.0;
        }

        double maxMillis() {
            return latencyMicros.getMaxValue() / 1000.0;
        }
    }

    private Load() {}

    /**
     * {@code clients} closed loops for {@code warmupMillis}, then {@code measureMillis} recorded.
     */
    static Result closed(
            String label,
            ServerCpu cpu,
            int clients,
            long warmupMillis,
            long measureMillis,
            IntFunction<Client> clientFor)
            throws InterruptedException {
        return closed(label, cpu, clients, warmupMillis, measureMillis, () -> false, clientFor);
    }

    /**
     * {@code clients} closed loops for {@code warmupMillis}, then recorded until {@code
     * measureMillis} have passed or {@code done} holds, whichever comes first: no request is sent
     * once {@code done} holds, and the window then ends with the last answer. {@code done} is asked
     * before every request, so it must be cheap (a flag another thread sets).
     */
    static Result closed(
            String label,
            ServerCpu cpu,
            int clients,
            long warmupMillis,
            long measureMillis,
            BooleanSupplier done,
            IntFunction<Client> clientFor)
            throws InterruptedException {
        Recorder latencies = new Recorder(3);
        Counters counters = new Counters();
        long start = System.nanoTime();
        long measureFrom = start + warmupMillis * 1_000_000;
        long end = measureFrom + measureMillis * 1_000_000;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Client client = clientFor.apply(c);
            Thread thread =
                    new Thread(
                            () -> {
                                Units units = new Units();
                                while (true) {
                                    long sent = System.nanoTime();
                                    if (sent >= end) {
                                        return;
                                    }
                                    if (done.getAsBoolean()) {
                                        counters.endedEarly.set(true);
                                        return;
                                    }
                                    units.value = 1;
                                    Outcome outcome = counters.call(client, units);
                                    long answered = System.nanoTime();
                                    // Every request sent in the window counts, however late it
                                    // answers: the window then ends with the last answer.
                                    if (sent >= measureFrom) {
                                        latencies.recordValue((answered - sent) / 1000);
                                        counters.count(outcome, units.value);
                                        counters.lastAnswer.accumulateAndGet(answered, Math::max);
                                    }
                                }
                            },
                            label + "-" + c);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        Progress progress = Progress.start(label, start, measureFrom, end, counters);
        TimeUnit.NANOSECONDS.sleep(Math.max(0, measureFrom - System.nanoTime()));
        ServerCpu.Window window = cpu.start();
        for (Thread thread : threads) {
            thread.join();
        }
        ServerCpu.Used used = window.stop();
        progress.stop();
        long last = counters.lastAnswer.get();
        double seconds =
                ((counters.endedEarly.get() ? Math.max(last, measureFrom) : Math.max(end, last))
                                - measureFrom)
                        / 1e9;
        return counters.result(label, seconds, latencies.getIntervalHistogram(), used);
    }

    /**
     * {@code perSecond} requests a second for {@code millis} (after a warm-up at the same rate),
     * sent by up to {@code maxInFlight} threads; latency is measured from when a request was due.
     */
    static Result open(
            String label,
            ServerCpu cpu,
            double perSecond,
            int maxInFlight,
            long warmupMillis,
            long millis,
            IntFunction<Client> clientFor)
            throws InterruptedException {
        Recorder latencies = new Recorder(3);
        Counters counters = new Counters();
        ExecutorService pool = Executors.newFixedThreadPool(maxInFlight);
        ThreadLocal<Client> clients = new ThreadLocal<>();
        LongAdder threadIds = new LongAdder();
        long start = System.nanoTime();
        long measureFrom = start + warmupMillis * 1_000_000;
        long end = measureFrom + millis * 1_000_000;
        double periodNanos = 1e9 / perSecond;
        Progress progress = Progress.start(label, start, measureFrom, end, counters);
        ServerCpu.Window window = null;
        for (long i = 0; ; i++) {
            long due = start + (long) (i * periodNanos);
            if (due >= end) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (window == null && due >= measureFrom) {
                window = cpu.start();
            }
            pool.execute(
                    () -> {
                        Client client = clients.get();
                        if (client == null) {
                            threadIds.increment();
                            client = clientFor.apply(threadIds.intValue());
                            clients.set(client);
                        }
                        Units units = new Units();
                        Outcome outcome = counters.call(client, units);
                        long answered = System.nanoTime();
                        if (due >= measureFrom) {
                            latencies.recordValue((answered - due) / 1000);
                            counters.count(outcome, units.value);
                        }
                    });
        }
        pool.shutdown();
        pool.awaitTermination(5, TimeUnit.MINUTES);
        ServerCpu.Used used = window == null ? cpu.start().stop() : window.stop();
        progress.stop();
        double seconds = Math.max(millis, (System.nanoTime() - measureFrom) / 1_000_000) / 1000.0;
        return counters.result(label, seconds, latencies.getIntervalHistogram(), used);
    }

    /** Shared counts of a run; the first few failures are kept to be shown. */
    private static final class Counters {
        final LongAdder ok = new LongAdder();
        final LongAdder refused = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder units = new LongAdder();
        final LongAdder sentAll = new LongAdder();
        final AtomicLong lastAnswer = new AtomicLong();
        final AtomicBoolean endedEarly = new AtomicBoolean();
        final List<String> failures = new ArrayList<>();
        final ConcurrentHashMap<String, Boolean> seen = new ConcurrentHashMap<>();

        Outcome call(Client client, Units units) {
            sentAll.increment();
            try {
                Outcome outcome = client.call(units);
                if (outcome == Outcome.FAILED) {
                    failedWith("unexpected answer");
                }
                return outcome;
            } catch (Exception e) {
                failedWith(e.toString());
                return Outcome.FAILED;
            }
        }

        /** Failures count in the warm-up too: a run with any failure is not a measurement. */
        private void failedWith(String what) {
            failed.increment();
            remember(what);
        }

        void count(Outcome outcome, long unitCount) {
            switch (outcome) {
                case OK -> {
                    ok.increment();
                    units.add(unitCount);
                }
                case REFUSED -> refused.increment();
                case FAILED -> {}
            }
        }

        void remember(String what) {
            if (seen.size() < 5 && seen.putIfAbsent(what, true) == null) {
                synchronized (failures) {
                    failures.add(what);
                }
            }
        }

        Result result(String label, double seconds, Histogram latencies, ServerCpu.Used cpu) {
            return new Result(
                    label,
                    seconds,
                    ok.sum(),
                    refused.sum(),
                    failed.sum(),
                    units.sum(),
                    latencies,
                    List.copyOf(failures),
                    cpu);
        }
    }

    /** Prints, every two seconds, where a run is and its request rate since the last line. */
    private static final class Progress {
        private final Thread thread;
        private volatile boolean running = true;

        private Progress(String label, long measureFrom, long end, Counters counters) {
            thread =
                    new Thread(
                            () -> report(label, measureFrom, end, counters), label + "-progress");
            thread.setDaemon(true);
        }

        static Progress start(
                String label, long start, long measureFrom, long end, Counters counters) {
            Progress progress = new Progress(label, measureFrom, end, counters);
            progress.thread.start();
            return progress;
        }

        private void report(String label, long measureFrom, long end, Counters counters) {
            long lastSent = 0;
            long lastAt = System.nanoTime();
            while (running) {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                long sent = counters.sentAll.sum();
                String phase =
                        now < measureFrom
                                ? "warming up"
                                : String.format(
                                        Locale.ROOT,
                                        "measuring %.0f/%.0f s",
                                        Math.min(now - measureFrom, end - measureFrom) / 1e9,
                                        (end - measureFrom) / 1e9);
                System.out.printf(
                        Locale.ROOT,
                        "    .. %s: %s, %.0f requests/s, %d failed%n",
                        label,
                        phase,
                        (sent - lastSent) / ((now - lastAt) / 1e9),
                        counters.failed.sum());
                lastSent = sent;
                lastAt = now;
            }
        }

        void stop() {
            running = false;
            thread.interrupt();
        }
    }
}
