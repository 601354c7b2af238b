package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

/** The server's own endpoints next to the API: health and metrics (OpenAPI: {@link OpenApiIT}). */
class ServiceEndpointsIT extends ArborIT {

    @Test
    void readinessIsUpWithTheDatabaseCheck() {
        Reply ready = arbor.get(Arbor.HOST + "/health/ready");
        assertEquals(200, ready.status(), ready::toString);
        JsonObject health = ready.json();
        assertEquals("UP", health.getString("status"));
        boolean databaseChecked = false;
        for (JsonValue check : health.getJsonArray("checks")) {
            databaseChecked |= "database".equals(check.asJsonObject().getString("name"));
        }
        assertTrue(databaseChecked, ready::toString);
        assertEquals(200, arbor.get(Arbor.HOST + "/health/live").status());
    }

    @Test
    void metricsExposeEveryArborSeriesAndThePoolsVendorMetrics() {
        String metrics = arbor.get(Arbor.HOST + "/metrics").body();
        for (String name :
                new String[] {
                    "arbor_append_latency_microseconds{",
                    "arbor_read_latency_microseconds{kind=\"stream\"",
                    "arbor_events_appended_total{",
                    "arbor_append_conflicts_total{",
                    "arbor_append_retries_total{",
                    "arbor_cache_hits_total{cache=\"events\"",
                    "arbor_cache_misses_total{cache=\"snapshots\"",
                    "arbor_cache_size{cache=\"events\"",
                    "arbor_cache_evictions{cache=\"events\"",
                    "arbor_events_total{",
                    "arbor_streams_total{",
                    "arbor_events_growth_rate_per_second{",
                    "arbor_global_log_head_position{",
                    "arbor_global_log_reader_lag{",
                    "connection_pool_arbor_pool_usedConnection_total{"
                }) {
            assertTrue(metrics.contains(name), "/metrics lacks " + name);
        }
    }

    @Test
    void readinessAlsoChecksTheDataGrid() {
        JsonObject health = arbor.get(Arbor.HOST + "/health/ready").json();
        boolean gridChecked = false;
        for (JsonValue check : health.getJsonArray("checks")) {
            JsonObject c = check.asJsonObject();
            if ("data-grid".equals(c.getString("name"))) {
                gridChecked = "UP".equals(c.getString("status"));
            }
        }
        assertTrue(gridChecked, health::toString);
    }
}
