package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * State lives in PostgreSQL only: after the whole Payara domain restarts (a new JVM, an empty data
 * grid), every event, version, position and snapshot reads back identical.
 */
class RestartIT extends ArborIT {

    @Test
    void eventsVersionsPositionsAndSnapshotSurviveADomainRestart() throws Exception {
        String stream = Arbor.newStream("durable");
        arbor.append(stream, "0", "Opened", "Deposited", "Deposited");
        arbor.append(stream, "3", "Withdrawn");
        assertEquals(
                201,
                arbor.put(
                                "/streams/" + stream + "/snapshot",
                                "{\"version\":3,\"type\":\"AccountState\",\"data\":{\"balance\":7}}")
                        .status());
        List<String> before = readBack(stream);

        restartDomain();

        assertEquals(before, readBack(stream));
    }

    private List<String> readBack(String stream) {
        return List.of(
                arbor.get("/streams/" + stream + "/events").body(),
                arbor.get("/streams/" + stream + "/events?direction=backward").body(),
                arbor.get("/streams/" + stream + "/snapshot").body(),
                arbor.get("/streams/" + stream).body());
    }

    private static void restartDomain() throws Exception {
        File asadmin = new File(System.getProperty("arbor.payara.home"), "bin/asadmin");
        Process restart =
                new ProcessBuilder(
                                asadmin.getPath(),
                                "--port",
                                System.getProperty("arbor.admin.port"),
                                "restart-domain",
                                System.getProperty("arbor.domain"))
                        .inheritIO()
                        .start();
        assertTrue(restart.waitFor(180, TimeUnit.SECONDS), "restart-domain timed out");
        assertEquals(0, restart.exitValue(), "restart-domain failed");
        awaitReady();
    }

    private static void awaitReady() throws InterruptedException {
        Arbor arbor = new Arbor();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            try {
                if (arbor.get(Arbor.HOST + "/health/ready").status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // the server is still starting
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Arbor was not ready within 180 s of the restart");
    }
}
