package io.arbor.faults;

import io.arbor.client.ArborClient;
import io.arbor.faults.ScavengeCheck.Row;
import io.arbor.faults.ScavengeCheck.Rule;
import io.arbor.faults.ScavengeCheck.Seeded;
import io.arbor.faults.ScavengeCheck.Stored;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code scavenge} scenario's own streams and job: seeds streams through the REST API (so their
 * events are hashed and tagged as any append's), hides their events with retention rules written
 * with SQL as the tables' owner (one rule per stream, {@link Rule}), drives the scavenge ({@code
 * POST /admin/scavenge}, {@code GET /admin/scavenge/{jobId}}) and reads the streams back over JDBC
 * for {@link ScavengeCheck}.
 */
final class HiddenStreams {
    /** One answer of {@code GET /admin/scavenge/{jobId}}: its state and events removed so far. */
    record JobState(String state, long eventsRemoved) {}

    private final Api api;
    private final Control control;
    private final URI base;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(3))
                    .build();
    private final List<Seeded> seeded = new ArrayList<>();

    HiddenStreams(Api api, Control control, URI base, String token) {
        this.api = api;
        this.control = control;
        this.base = base;
        this.token = token;
    }

    /**
     * {@code streams} streams {@code category-<rule>-<k>} of {@code events} events each, the rules
     * taken in turn (so every fifth stream is untouched).
     */
    List<Seeded> seed(String category, int streams, int events) {
        Rule[] rules = Rule.values();
        for (int k = 0; k < streams; k++) {
            Rule rule = rules[k % rules.length];
            String id =
                    category
                            + "-"
                            + rule.name().toLowerCase(Locale.ROOT).replace("_", "")
                            + "-"
                            + k;
            api.seed(id, events);
            seeded.add(new Seeded(id, events, rule));
        }
        return List.copyOf(seeded);
    }

    /** Writes every seeded stream's rule on its row, in one transaction. */
    void hide() throws SQLException {
        try (Connection c = control.connectOwner()) {
            c.setAutoCommit(false);
            for (Seeded s : seeded) {
                String set =
                        switch (s.rule()) {
                            case HARD_DELETED -> "deleted = 'hard', truncate_before = version + 1";
                            case SOFT_DELETED -> "deleted = 'soft', truncate_before = version + 1";
                            case TRUNCATED -> "truncate_before = version / 2 + 1";
                            case MAX_COUNT -> "max_count = " + ScavengeCheck.MAX_COUNT_KEPT;
                            case UNTOUCHED -> null;
                        };
                if (set == null) {
                    continue;
                }
                try (PreparedStatement ps =
                        c.prepareStatement("UPDATE streams SET " + set + " WHERE stream_id = ?")) {
                    ps.setString(1, s.streamId());
                    if (ps.executeUpdate() != 1) {
                        throw new IllegalStateException("no stream row for " + s.streamId());
                    }
                }
            }
            c.commit();
        }
    }

    /** Asks for a scavenge of the token's tenant; returns its job id. */
    String startScavenge() throws IOException, InterruptedException {
        HttpResponse<String> r = send("POST", "/admin/scavenge");
        if (r.statusCode() != 202) {
            throw new IllegalStateException(
                    "POST /admin/scavenge answered " + r.statusCode() + ": " + r.body());
        }
        return ArborClient.parseObject(r.body()).getString("jobId");
    }

    /** The job's state now, or null when the server gave no answer (or not Arbor's 200). */
    JobState job(String jobId) {
        try {
            HttpResponse<String> r = send("GET", "/admin/scavenge/" + jobId);
            if (r.statusCode() != 200) {
                return null;
            }
            JsonObject o = ArborClient.parseObject(r.body());
            return new JobState(o.getString("state"), o.getJsonNumber("eventsRemoved").longValue());
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private HttpResponse<String> send(String method, String path)
            throws IOException, InterruptedException {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(base.resolve("/arbor/api" + path))
                        .timeout(Duration.ofSeconds(10))
                        .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Every seeded stream's rows in {@code events}, chain anchor and deleted state, read with the
     * store-wide read scope (the checker's read of the events table).
     */
    Map<String, Stored> readBack() throws SQLException {
        List<String> ids = seeded.stream().map(Seeded::streamId).toList();
        Map<String, List<Row>> rows = new HashMap<>();
        Map<String, long[]> anchorVersions = new HashMap<>();
        Map<String, byte[]> anchorHashes = new HashMap<>();
        Map<String, String> deleted = new HashMap<>();
        try (Connection c = control.connectStoreWide()) {
            Array streams = c.createArrayOf("varchar", ids.toArray());
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT stream_id, event_id, version, type, schema_version, data::text,"
                                    + " metadata::text, tags::text, hash FROM events"
                                    + " WHERE stream_id = ANY (?) ORDER BY stream_id, version")) {
                ps.setArray(1, streams);
                try (ResultSet r = ps.executeQuery()) {
                    while (r.next()) {
                        rows.computeIfAbsent(r.getString(1), k -> new ArrayList<>())
                                .add(
                                        new Row(
                                                (UUID) r.getObject(2),
                                                r.getLong(3),
                                                r.getString(4),
                                                r.getInt(5),
                                                r.getString(6),
                                                r.getString(7),
                                                tags(r.getString(8)),
                                                r.getBytes(9)));
                    }
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT stream_id, version, hash FROM stream_chain_anchors"
                                    + " WHERE stream_id = ANY (?)")) {
                ps.setArray(1, streams);
                try (ResultSet r = ps.executeQuery()) {
                    while (r.next()) {
                        anchorVersions.put(r.getString(1), new long[] {r.getLong(2)});
                        anchorHashes.put(r.getString(1), r.getBytes(3));
                    }
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT stream_id, deleted FROM streams WHERE stream_id = ANY (?)")) {
                ps.setArray(1, streams);
                try (ResultSet r = ps.executeQuery()) {
                    while (r.next()) {
                        deleted.put(r.getString(1), r.getString(2));
                    }
                }
            }
            c.rollback();
        }
        Map<String, Stored> out = new LinkedHashMap<>();
        for (String id : ids) {
            out.put(
                    id,
                    new Stored(
                            id,
                            rows.getOrDefault(id, List.of()),
                            anchorVersions.getOrDefault(id, new long[] {0})[0],
                            anchorHashes.get(id),
                            deleted.containsKey(id) ? deleted.get(id) : "missing"));
        }
        return out;
    }

    private static List<String> tags(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readArray().getValuesAs(JsonString.class).stream()
                    .map(JsonString::getString)
                    .toList();
        }
    }
}
