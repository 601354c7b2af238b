package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Readiness follows the database: DOWN with a reason while Arbor cannot reach PostgreSQL, UP again
 * by itself once it can, with no restart. The database is made unreachable for Arbor alone: new
 * connections to it are refused and Arbor's open ones are terminated, as a stopped server would.
 */
class ReadinessIT extends ArborIT {

    @Test
    void readinessIsDownWithAReasonWhileTheDatabaseIsUnreachableAndUpAfter() throws Exception {
        String database = Database.name();
        try (Connection admin = Database.connectToMaintenanceDatabase();
                Statement sql = admin.createStatement()) {
            try {
                sql.execute("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS false");
                sql.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                                + database
                                + "' AND usename = current_user");
                Reply down = awaitReadiness(reply -> reply.status() == 503, 30);
                JsonObject check = check(down.json(), "database");
                assertEquals("DOWN", check.getString("status"), down::toString);
                assertTrue(
                        check.getJsonObject("data").getString("reason").length() > 0,
                        down::toString);
            } finally {
                sql.execute("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS true");
            }
            Reply up = awaitReadiness(reply -> reply.status() == 200, 30);
            assertEquals("UP", check(up.json(), "database").getString("status"));
            assertEquals(201, arbor.append(Arbor.newStream("recovered"), "0", "A").status());
        }
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
