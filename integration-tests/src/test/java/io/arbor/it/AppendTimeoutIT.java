package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An append that runs past its time limits is rolled back and answered 503 timed-out with
 * Retry-After, having written nothing. Test-only triggers make chosen streams slow; the limits are
 * the defaults (statement 10 s, transaction 15 s).
 */
class AppendTimeoutIT extends ArborIT {

    @AfterEach
    void removeSlowTriggers() throws Exception {
        Database.execute("DROP TRIGGER IF EXISTS arbor_test_slow_event ON events");
        Database.execute("DROP TRIGGER IF EXISTS arbor_test_slow_stream ON streams");
    }

    private static void sleepOnInsert(String trigger, String table, String prefix, int seconds)
            throws Exception {
        Database.execute(
                "CREATE OR REPLACE FUNCTION "
                        + trigger
                        + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep("
                        + seconds
                        + "); RETURN NEW; END $$");
        Database.execute("DROP TRIGGER IF EXISTS " + trigger + " ON " + table);
        Database.execute(
                "CREATE TRIGGER "
                        + trigger
                        + " BEFORE INSERT ON "
                        + table
                        + " FOR EACH ROW WHEN (NEW.stream_id LIKE '"
                        + prefix
                        + "%') EXECUTE FUNCTION "
                        + trigger
                        + "()");
    }

    @Test
    void aStatementPastTheStatementTimeoutIsCancelledAndWritesNothing() throws Exception {
        String stream = Arbor.newStream("slowstatement");
        sleepOnInsert("arbor_test_slow_event", "events", "slowstatement-", 30);

        long began = System.nanoTime();
        Reply reply = arbor.append(stream, "\"any\"", "A", "B");
        long seconds = (System.nanoTime() - began) / 1_000_000_000L;

        assertTimedOutAndNothingWritten(stream, reply);
        assertTrue(seconds >= 9 && seconds < 25, "answered after " + seconds + " s");
    }

    @Test
    void aTransactionPastTheTransactionTimeoutIsRolledBackAndWritesNothing() throws Exception {
        String stream = Arbor.newStream("slowtransaction");
        // Two statements of 8 s each: each under the statement timeout, together over the
        // transaction timeout.
        sleepOnInsert("arbor_test_slow_stream", "streams", "slowtransaction-", 8);
        sleepOnInsert("arbor_test_slow_event", "events", "slowtransaction-", 8);

        Reply reply = arbor.append(stream, "\"any\"", "A");

        assertTimedOutAndNothingWritten(stream, reply);
        assertTrue(
                reply.json().getString("detail").contains("transaction timeout"), reply::toString);
    }

    private void assertTimedOutAndNothingWritten(String stream, Reply reply) throws Exception {
        assertEquals(503, reply.status(), reply::toString);
        assertTrue(reply.isProblem(), reply::toString);
        assertEquals("urn:arbor:problem:timed-out", reply.json().getString("type"));
        assertNotNull(reply.header("Retry-After"), "Retry-After on " + reply);
        assertEquals(404, arbor.get("/streams/" + stream).status());
        assertEquals(
                0,
                Database.queryLong(
                        "SELECT count(*) FROM events WHERE stream_id = '" + stream + "'"));
        removeSlowTriggers();
        assertEquals(201, arbor.append(Arbor.newStream("afterslow"), "0", "A").status());
    }
}
