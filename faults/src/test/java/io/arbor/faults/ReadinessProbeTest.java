package io.arbor.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The readiness probe asks the server root, and tells DOWN during a window from UP after it. */
class ReadinessProbeTest {

    @Test
    void theReadinessUrlIsOnTheServerRootWhateverTheBasePath() {
        URI expected = URI.create("http://127.0.0.1:24080/health/ready");
        assertEquals(expected, ReadinessProbe.readinessUri(URI.create("http://127.0.0.1:24080")));
        assertEquals(expected, ReadinessProbe.readinessUri(URI.create("http://127.0.0.1:24080/")));
        assertEquals(
                expected,
                ReadinessProbe.readinessUri(URI.create("http://127.0.0.1:24080/arbor/api/")));
    }

    @Test
    void downDuringTheOutageAndUpAfterAreSeen() throws Exception {
        List<String> paths = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    paths.add(exchange.getRequestURI().getPath());
                    // Three DOWN answers, then UP.
                    int status = calls.incrementAndGet() <= 3 ? 503 : 200;
                    exchange.sendResponseHeaders(status, -1);
                    exchange.close();
                });
        server.start();
        try {
            URI base =
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/arbor/api");
            long t0 = System.nanoTime();
            try (ReadinessProbe probe = new ReadinessProbe(base, 10).start()) {
                assertTrue(probe.awaitUp(t0, t0 + 10_000_000_000L));
                long upAt = System.nanoTime();
                assertTrue(probe.downBetween(t0, upAt));
                assertFalse(probe.downBetween(upAt, upAt + 1_000_000_000L));
                assertEquals(3L, probe.statuses().get(503));
            }
            assertEquals("/health/ready", paths.get(0));
        } finally {
            server.stop(0);
        }
    }
}
