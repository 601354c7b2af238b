package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A database outage: readiness is DOWN with a reason and every request is answered 503 with
 * Retry-After in bounded time while Arbor cannot reach PostgreSQL; within 10 s of it coming back,
 * appends succeed again by themselves, with no restart. The database is made unreachable for Arbor
 * alone: new connections to it are refused and Arbor's open ones are terminated, as a stopped
 * server would.
 */
class ReadinessIT extends ArborIT {

    @Test
    void readinessIsDownWithAReasonWhileTheDatabaseIsUnreachableAndUpAfter() throws Exception {
        String database = Database.name();
        try (Connection admin = Database.connectToMaintenanceDatabase();
                Statement sql = admin.createStatement();
                Connection application = Database.connectToMaintenanceDatabaseAsApplication();
                Statement applicationSql = application.createStatement()) {
            try {
                sql.execute("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS false");
                // Arbor's sessions are its application role's, which may end its own.
                applicationSql.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                                + database
                                + "' AND usename = current_user");
                Reply down = awaitReadiness(reply -> reply.status() == 503, 30);
                JsonObject check = check(down.json(), "database");
                assertEquals("DOWN", check.getString("status"), down::toString);
                assertTrue(
                        check.getJsonObject("data").getString("reason").length() > 0,
                        down::toString);

                // Requests are answered, quickly, with a retryable 503; none hangs.
                String stream = Arbor.newStream("outage");
                assertUnavailableWithin(15, () -> arbor.append(stream, "0", "A"));
                assertUnavailableWithin(15, () -> arbor.get("/streams/" + stream + "/events"));
                assertUnavailableWithin(15, () -> arbor.get("/events?after=0&limit=1"));
            } finally {
                sql.execute("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS true");
            }
            // Back by itself, with no restart, within 10 s of the database coming back.
            long back = System.nanoTime();
            Reply appended = null;
            while (System.nanoTime() - back < TimeUnit.SECONDS.toNanos(10)) {
                appended = arbor.append(Arbor.newStream("recovered"), "0", "A");
                if (appended.status() == 201) {
                    break;
                }
                Thread.sleep(250);
            }
            assertEquals(201, appended.status(), "not recovered 10 s after: " + appended);
            Reply up = awaitReadiness(reply -> reply.status() == 200, 30);
            assertEquals("UP", check(up.json(), "database").getString("status"));
        }
    }

    private static void assertUnavailableWithin(int seconds, Supplier<Reply> request) {
        long began = System.nanoTime();
        Reply reply = request.get();
        long took = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began);
        assertEquals(503, reply.status(), reply::toString);
        assertTrue(reply.isProblem(), reply::toString);
        assertTrue(reply.header("Retry-After") != null, "no Retry-After: " + reply);
        assertTrue(took < seconds, "answered after " + took + " s: " + reply);
    }

    private Reply awaitReadiness(Predicate<Reply> wanted, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Reply last = null;
        while (System.nanoTime() < deadline) {
            last = arbor.get(Arbor.HOST + "/health/ready");
            if (wanted.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("readiness never reached the expected state; last: " + last);
    }

    private static JsonObject check(JsonObject health, String name) {
        for (JsonValue check : health.getJsonArray("checks")) {
            if (name.equals(check.asJsonObject().getString("name"))) {
                return check.asJsonObject();
            }
        }
        throw new AssertionError("no " + name + " check in " + health);
    }
}
