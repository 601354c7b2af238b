package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The test domain's administration: asadmin commands, and waiting until Arbor is ready. */
final class Domain {
    private Domain() {}

    /** Runs {@code asadmin ARGS} against the test domain; fails the test unless it succeeds. */
    static String asadmin(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(new File(System.getProperty("arbor.payara.home"), "bin/asadmin").getPath());
        command.add("--port");
        command.add(System.getProperty("arbor.admin.port"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(180, TimeUnit.SECONDS), String.join(" ", args) + " timed out");
        assertEquals(0, process.exitValue(), String.join(" ", args) + ": " + output);
        return output;
    }

    /** Waits until {@code /health/ready} answers 200 (a restart, an enable); fails after 180 s. */
    static void awaitReady() throws InterruptedException {
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
        throw new AssertionError("Arbor was not ready within 180 s");
    }
}
