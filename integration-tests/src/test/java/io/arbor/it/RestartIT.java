package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * State lives in PostgreSQL only: after the whole Payara domain restarts (a new JVM, an empty data
 * grid), every event, version, position and snapshot reads back identical, and a hard-deleted
 * stream stays a tombstone.
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

    /** A tombstone lives in PostgreSQL: after a restart, the stream is refused 410 as before. */
    @Test
    void aHardDeletedStreamIsStill410AfterADomainRestart() throws Exception {
        String stream = Arbor.newStream("tombstone");
        arbor.append(stream, "0", "Opened");
        assertEquals(
                204,
                arbor.send("DELETE", "/streams/" + stream + "?mode=hard", null, null).status());

        restartDomain();

        assertEquals(410, arbor.get("/streams/" + stream + "/events").status());
        assertEquals(410, arbor.append(stream, "\"any\"", "Reopened").status());
        assertEquals(410, arbor.append(stream, "\"no_stream\"", "Reopened").status());
    }

    private List<String> readBack(String stream) {
        return List.of(
                arbor.get("/streams/" + stream + "/events").body(),
                arbor.get("/streams/" + stream + "/events?direction=backward").body(),
                arbor.get("/streams/" + stream + "/snapshot").body(),
                arbor.get("/streams/" + stream).body());
    }

    private static void restartDomain() throws Exception {
        Domain.asadmin("restart-domain", System.getProperty("arbor.domain"));
        Domain.awaitReady();
    }
}
