package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.client.ArborClient;
import io.arbor.client.ExpectedVersion;
import io.arbor.client.NewEvent;
import io.arbor.client.RecordedEvent;
import io.arbor.client.StreamMetadata;
import io.arbor.it.CliIT.Run;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code arbor verify}, {@code export} and {@code import} with deleted and truncated streams
 * (docs/lifecycle.md): a tenant holding a truncated and scavenged stream, a hard-deleted one, a
 * soft-deleted one and one with retention metadata verifies without anomalies; its export, imported
 * into a fresh tenant, recreates each (the hard-deleted id refused with 410 there too); verify
 * still names a changed event of a truncated stream; import refuses a file whose seed was changed.
 * (The same after pg_dump backup and restore: server-config/dr-drill.sh.)
 */
class LifecycleExportIT extends ArborIT {
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    private static String adminOf(String tenant) {
        return Tokens.token("arbor-admin").tenant(tenant).subject("lifecycle-" + tenant).sign();
    }

    private static ArborClient clientOf(String token) {
        return ArborClient.builder(URI.create(Arbor.HOST)).token(token).build();
    }

    /** The CLI as {@code token}'s tenant, with the database (as its owner). */
    private static Run arbor(String token, String tenant, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(
                List.of(
                        "--token", token,
                        "--tenant", tenant,
                        "--db-url", System.getProperty("arbor.db.url"),
                        "--db-user", Database.ownerUser(),
                        "--db-password", Database.ownerPassword()));
        return CliIT.arbor(all.toArray(String[]::new));
    }

    private static void append(ArborClient client, String stream, int count) {
        client.append(
                stream,
                ExpectedVersion.ANY,
                IntStream.rangeClosed(1, count)
                        .mapToObj(
                                n ->
                                        NewEvent.of(
                                                "Counted",
                                                Json.createObjectBuilder().add("n", n).build()))
                        .toList());
    }

    /**
     * What scavenging leaves after a truncation (S's job, simulated in SQL as decisions.md allows):
     * the hidden rows and their tag rows gone, the chain anchor holding the last removed version's
     * hash, in one transaction.
     */
    private static void scavenge(String tenant, String stream, long before) throws SQLException {
        String where =
                " WHERE tenant = '"
                        + tenant
                        + "' AND stream_id = '"
                        + stream
                        + "' AND version < "
                        + before;
        Database.execute(
                "BEGIN; INSERT INTO stream_chain_anchors (tenant, stream_id, version, hash)"
                        + " SELECT tenant, stream_id, version, hash FROM events"
                        + where
                        + " ORDER BY version DESC LIMIT 1; DELETE FROM event_tags t USING events e"
                        + " WHERE t.tenant = e.tenant AND t.global_position = e.global_position"
                        + " AND e.tenant = '"
                        + tenant
                        + "' AND e.stream_id = '"
                        + stream
                        + "' AND e.version < "
                        + before
                        + "; DELETE FROM events"
                        + where
                        + "; COMMIT");
    }

    private static int status(ArborClient client, String stream) {
        try {
            client.streamInfo(stream);
            return 200;
        } catch (io.arbor.client.ArborProblemException problem) {
            return problem.status();
        }
    }

    @Test
    void deletedAndTruncatedStreamsVerifyAndSurviveExportAndImportIntoAnotherTenant()
            throws Exception {
        String source = "lc-src-" + suffix;
        String target = "lc-dst-" + suffix;
        String sourceToken = adminOf(source);
        String targetToken = adminOf(target);
        ArborClient from = clientOf(sourceToken);
        ArborClient to = clientOf(targetToken);

        append(from, "trunc-1", 5);
        from.setStreamMetadata("trunc-1", new StreamMetadata(null, null, 3L, null));
        scavenge(source, "trunc-1", 3);
        append(from, "hard-1", 2);
        from.deleteStream("hard-1", true);
        append(from, "soft-1", 2);
        from.deleteStream("soft-1", false);
        append(from, "meta-1", 3);
        JsonObject metadata =
                Json.createObjectBuilder()
                        .add("maxCount", 10)
                        .add("custom", Json.createObjectBuilder().add("owner", "ops"))
                        .build();
        from.setStreamMetadata("meta-1", StreamMetadata.of(metadata));

        Run verify = arbor(sourceToken, source, "verify", "--json");
        assertEquals(0, verify.status(), verify::toString);
        JsonObject summary = verify.jsonLines().get(0);
        assertEquals(1, summary.getInt("truncatedStreams"), verify.out());
        assertEquals(1, summary.getInt("tombstones"), verify.out());
        assertEquals(1, summary.getInt("softDeletedStreams"), verify.out());
        assertEquals(1, summary.getInt("chainAnchors"), verify.out());

        Path file = Files.createTempFile("arbor-lifecycle", ".ndjson");
        Run export = arbor(sourceToken, source, "export", "--out", file.toString(), "--json");
        assertEquals(0, export.status(), export::toString);
        assertEquals(4, export.jsonLines().get(0).getInt("streamRecords"), export.out());

        Run imported = arbor(targetToken, target, "import", file.toString(), "--json");
        assertEquals(0, imported.status(), imported::toString);
        assertEquals(6, imported.jsonLines().get(0).getInt("written"), imported.out());

        // The tombstone: refused with 410 for reads and appends, in the tenant it was imported to.
        assertEquals(410, status(to, "hard-1"));
        Reply append = new Arbor(targetToken).append("hard-1", "\"any\"", "Again");
        assertEquals(410, append.status(), append.body());
        assertTrue(append.body().contains("urn:arbor:problem:stream-deleted"), append.body());
        // Soft-deleted: 404, and the next append continues the numbering.
        assertEquals(404, status(to, "soft-1"));
        assertEquals(
                3,
                to.append(
                                "soft-1",
                                ExpectedVersion.ANY,
                                NewEvent.of("Back", Json.createObjectBuilder().build()))
                        .fromVersion());
        // Truncated: the same events at the same versions, with the same hashes.
        assertEquals(
                from.readStream("trunc-1").map(RecordedEvent::hash).toList(),
                to.readStream("trunc-1").map(RecordedEvent::hash).toList());
        assertEquals(3, to.streamInfo("trunc-1").firstVersion());
        assertEquals(
                List.of(3L, 4L, 5L), to.readStream("trunc-1").map(RecordedEvent::version).toList());
        assertEquals(
                from.streamInfo("trunc-1").previousHash(), to.streamInfo("trunc-1").previousHash());
        // Metadata: set again as it was.
        assertEquals(
                new Arbor(sourceToken).get("/streams/meta-1/metadata").body(),
                new Arbor(targetToken).get("/streams/meta-1/metadata").body());

        Run verifyTarget = arbor(targetToken, target, "verify", "--json");
        assertEquals(0, verifyTarget.status(), verifyTarget::toString);

        // A changed event of the truncated stream is still named, stream and version.
        Database.execute(
                "UPDATE events SET data = data || '{\"changed\":true}' WHERE tenant = '"
                        + target
                        + "' AND stream_id = 'trunc-1' AND version = 4");
        Run corrupt = arbor(targetToken, target, "verify", "--json");
        assertEquals(1, corrupt.status(), corrupt::toString);
        assertTrue(corrupt.out().contains("stream trunc-1 v4: hash chain broken"), corrupt.out());

        // Import of a file whose truncated stream has another seed: refused, nothing written.
        String third = "lc-bad-" + suffix;
        String thirdToken = adminOf(third);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String seed = from.streamInfo("trunc-1").previousHash();
        Path changed = Files.createTempFile("arbor-lifecycle-changed", ".ndjson");
        Files.write(
                changed,
                lines.stream()
                        .map(
                                l ->
                                        l.replace(
                                                "\"previousHash\":\"" + seed,
                                                "\"previousHash\":\"" + "0".repeat(64)))
                        .toList(),
                StandardCharsets.UTF_8);
        Run refused = arbor(thirdToken, third, "import", changed.toString());
        assertEquals(1, refused.status(), refused::toString);
        assertTrue(refused.err().contains("stream trunc-1 v3"), refused.err());
        assertEquals(
                0,
                Database.queryLong("SELECT count(*) FROM streams WHERE tenant = '" + third + "'"),
                "nothing written");
        assertEquals(
                List.of(),
                clientOf(thirdToken).listStreams(null).toList(),
                "nothing written, through the API either");
        Files.delete(file);
        Files.delete(changed);
    }
}
