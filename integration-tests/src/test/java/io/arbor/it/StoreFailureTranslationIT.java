package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every service that reaches the database translates its failures in one place, the interceptor of
 * {@code @TranslatesStoreFailures}, as deployed on Payara: a statement cancelled in PostgreSQL
 * (what the statement timeout does) is a 503 {@code timed-out} with Retry-After on the read, group,
 * registry and snapshot paths. Untranslated, it would reach the web layer as a persistence fault
 * and be answered 500. (Appends: AppendTimeoutIT, and the lost races of ConcurrencyIT.)
 *
 * <p>Each test makes Arbor's statement wait for a lock the test holds, cancels it while it waits,
 * then lets go.
 */
class StoreFailureTranslationIT extends ArborIT {
    /** The critical section of the global log's positions (changeset 2026-11-25-50). */
    private static final String GLOBAL_LOG_SECTION = "SELECT pg_advisory_xact_lock(1098015343, 0)";

    @Test
    void aCancelledGlobalLogReadIsTimedOut() throws Exception {
        assertTimedOut(lockedBy(GLOBAL_LOG_SECTION), () -> arbor.get("/events?after=0&limit=1"));
    }

    @Test
    void aCancelledConsumerGroupReadIsTimedOut() throws Exception {
        Groups groups = new Groups(arbor);
        String group = Groups.newGroup();
        groups.create(group, "{\"filter\":{\"category\":\"" + Arbor.newCategory() + "\"}}");
        assertTimedOut(lockedBy(GLOBAL_LOG_SECTION), () -> groups.get(group));
    }

    @Test
    void aCancelledSchemaRegistrationIsTimedOut() throws Exception {
        String tenant = "tr-" + UUID.randomUUID().toString().substring(0, 8);
        Arbor admin = Tokens.tenantAdmin(tenant, "translation");
        String type = "T" + UUID.randomUUID().toString().replace("-", "");
        String schema = "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\"}";
        assertEquals(201, admin.put("/schemas/" + type + "/versions/1", schema).status());
        // Registrations take the tenant registry's row lock.
        assertTimedOut(
                lockedBy(
                        "SELECT 1 FROM schema_registry WHERE tenant = '" + tenant + "' FOR UPDATE"),
                () -> admin.put("/schemas/" + type + "/versions/2", schema));
    }

    @Test
    void aCancelledSnapshotSaveIsTimedOut() throws Exception {
        String stream = Arbor.newStream("translated");
        assertEquals(201, arbor.append(stream, "0", "Opened").status());
        // The snapshot's foreign key waits for the stream row's lock.
        assertTimedOut(
                lockedBy("SELECT 1 FROM streams WHERE stream_id = '" + stream + "' FOR UPDATE"),
                () ->
                        arbor.put(
                                "/streams/" + stream + "/snapshot",
                                "{\"version\":1,\"type\":\"State\",\"data\":{}}"));
    }

    /** A transaction of the tables' owner that has run {@code sql}; closing it rolls back. */
    private static Connection lockedBy(String sql) throws SQLException {
        Connection owner = Database.connect();
        owner.setAutoCommit(false);
        owner.createStatement().execute(sql);
        return owner;
    }

    private static void assertTimedOut(Connection holder, Supplier<Reply> request)
            throws Exception {
        CompletableFuture<Reply> reply;
        try (holder) {
            reply = CompletableFuture.supplyAsync(request);
            cancelArborsStatementWaitingForALock();
            holder.rollback();
        }
        Reply answer = reply.get(30, TimeUnit.SECONDS);
        assertEquals(503, answer.status(), answer::toString);
        assertEquals(
                "urn:arbor:problem:timed-out", answer.json().getString("type"), answer::toString);
        assertTrue(answer.header("Retry-After") != null, answer::toString);
    }

    /**
     * Waits until one of Arbor's sessions waits for a lock, and cancels its statement as the
     * statement timeout would (SQLState 57014). Arbor's sessions are its application role's, which
     * may cancel its own.
     */
    private static void cancelArborsStatementWaitingForALock() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (Connection application = Database.connectAsApplication();
                PreparedStatement cancel =
                        application.prepareStatement(
                                "SELECT count(pg_cancel_backend(pid)) FROM pg_stat_activity"
                                        + " WHERE usename = current_user AND datname ="
                                        + " current_database() AND wait_event_type = 'Lock'"
                                        + " AND pid <> pg_backend_pid()")) {
            while (System.nanoTime() < deadline) {
                try (ResultSet cancelled = cancel.executeQuery()) {
                    cancelled.next();
                    if (cancelled.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("no statement of Arbor waited for the lock within 20 s");
    }
}
