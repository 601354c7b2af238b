package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hot cache: repeated reads are served from it with the very bytes a database read gives, it
 * never hides a newer snapshot, and it stays within its configured bound.
 */
class CacheIT extends ArborIT {
    private static final String EVENTS = "cache=\"events\"";
    private static final String SNAPSHOTS = "cache=\"snapshots\"";
    private static final String HEADS = "cache=\"heads\"";

    @Test
    void repeatedReadsOfAHotStreamAreHitsWithTheSameBytesAsADatabaseRead() {
        String stream = Arbor.newStream("hot");
        for (int i = 0; i < 5; i++) {
            arbor.append(stream, "\"any\"", "A", "B", "C", "D", "E");
        }
        String path = "/streams/" + stream + "/events?limit=25";
        double hits = Metrics.value(arbor, "arbor_cache_hits_total", EVENTS);
        double misses = Metrics.value(arbor, "arbor_cache_misses_total", EVENTS);

        Reply first = arbor.get(path);
        assertTrue(
                Metrics.value(arbor, "arbor_cache_misses_total", EVENTS) > misses,
                "first read misses");
        double missesAfterFirst = Metrics.value(arbor, "arbor_cache_misses_total", EVENTS);
        Reply second = arbor.get(path);
        assertTrue(
                Metrics.value(arbor, "arbor_cache_hits_total", EVENTS) > hits, "second read hits");
        assertEquals(missesAfterFirst, Metrics.value(arbor, "arbor_cache_misses_total", EVENTS));
        Reply fromDatabase =
                arbor.send("GET", path, null, null, List.of("Cache-Control", "no-cache"));

        assertEquals(200, first.status());
        assertEquals(first.body(), second.body(), "a hit answers the same bytes as the miss");
        assertEquals(
                first.body(), fromDatabase.body(), "a hit answers the same bytes as the database");
        String backward = "/streams/" + stream + "/events?direction=backward&from=17&limit=9";
        assertEquals(
                arbor.send("GET", backward, null, null, List.of("Cache-Control", "no-cache"))
                        .body(),
                arbor.get(backward).body());
    }

    /**
     * The committed heads: a stream's head is taken from the grid once a read has filled it, every
     * append raises it before it answers, and an append refused before its commit leaves it
     * trusted. Counted by {@code arbor_cache_hits_total{cache="heads"}}.
     */
    @Test
    void aHotStreamsHeadComesFromTheGridAndEachAppendRaisesIt() {
        String stream = Arbor.newStream("heads");
        assertEquals(201, arbor.append(stream, "0", "A").status());
        String path = "/streams/" + stream + "/events?limit=1000";

        double misses = Metrics.value(arbor, "arbor_cache_misses_total", HEADS);
        assertTrue(arbor.get(path).body().contains("\"version\":1,\"events\""));
        assertTrue(
                Metrics.value(arbor, "arbor_cache_misses_total", HEADS) > misses,
                "the first read asks PostgreSQL and fills the head");
        double hits = Metrics.value(arbor, "arbor_cache_hits_total", HEADS);
        assertTrue(arbor.get(path).body().contains("\"version\":1,\"events\""));
        assertTrue(
                Metrics.value(arbor, "arbor_cache_hits_total", HEADS) > hits,
                "the second read trusts the grid's head");

        for (int version = 2; version <= 6; version++) {
            assertEquals(201, arbor.append(stream, String.valueOf(version - 1), "B").status());
            hits = Metrics.value(arbor, "arbor_cache_hits_total", HEADS);
            String page = arbor.get(path).body();
            assertTrue(page.contains("\"version\":" + version + ",\"events\""), page);
            assertTrue(
                    Metrics.value(arbor, "arbor_cache_hits_total", HEADS) > hits,
                    "the append raised the head it committed: no database probe");
        }

        assertEquals(409, arbor.append(stream, "2", "Late").status());
        hits = Metrics.value(arbor, "arbor_cache_hits_total", HEADS);
        assertTrue(arbor.get(path).body().contains("\"version\":6,\"events\""));
        assertTrue(
                Metrics.value(arbor, "arbor_cache_hits_total", HEADS) > hits,
                "an append refused before its commit wrote nothing and left the head trusted");
    }

    @Test
    void readsAfterAnAppendSeeTheNewVersionAtOnce() {
        String stream = Arbor.newStream("grows");
        arbor.append(stream, "0", "A");
        for (int version = 1; version <= 12; version++) {
            String page = arbor.get("/streams/" + stream + "/events?limit=1000").body();
            assertTrue(page.contains("\"version\":" + version + ",\"events\""), page);
            assertTrue(page.contains("\"version\":" + version + ",\"globalPosition\""), page);
            arbor.append(stream, String.valueOf(version), "Next");
        }
    }

    @Test
    void snapshotsAreCachedButANewerOrReplacedSnapshotIsNeverHidden() {
        String stream = Arbor.newStream("snapcache");
        arbor.append(stream, "0", "A", "B", "C");
        String path = "/streams/" + stream + "/snapshot";
        arbor.put(path, "{\"version\":1,\"type\":\"S\",\"data\":{\"n\":1}}");
        double hits = Metrics.value(arbor, "arbor_cache_hits_total", SNAPSHOTS);
        arbor.get(path);
        arbor.get(path);
        assertTrue(Metrics.value(arbor, "arbor_cache_hits_total", SNAPSHOTS) > hits);

        arbor.put(path, "{\"version\":2,\"type\":\"S\",\"data\":{\"n\":2}}");
        assertEquals(2, arbor.get(path).json().getInt("version"));
        arbor.put(path, "{\"version\":2,\"type\":\"S\",\"data\":{\"n\":22}}");
        assertEquals(22, arbor.get(path).json().getJsonObject("data").getInt("n"));
    }

    @Test
    void theEventCacheEvictsAtItsConfiguredBound() {
        int bound = Integer.getInteger("arbor.cache.events.max-chunks");
        int chunkSize = Integer.getInteger("arbor.cache.chunk-size");
        int chunksToFill = 2 * bound;
        double evictions = Metrics.value(arbor, "arbor_cache_evictions", EVENTS);
        String stream = Arbor.newStream("bounded");
        long events = (long) chunksToFill * chunkSize;
        String batch =
                "{\"type\":\"Fill\",\"data\":{}},".repeat(999) + "{\"type\":\"Fill\",\"data\":{}}";
        for (long written = 0; written < events; written += 1000) {
            assertEquals(
                    201,
                    arbor.post("/streams/" + stream + "/events", "{\"events\":[" + batch + "]}")
                            .status());
        }
        for (long from = 1; from <= events; from += 1000) {
            assertEquals(
                    200,
                    arbor.get("/streams/" + stream + "/events?limit=1000&from=" + from).status());
        }
        double size = Metrics.value(arbor, "arbor_cache_size", EVENTS);
        assertTrue(size <= bound, "cache holds " + size + " chunks, bound " + bound);
        assertTrue(size >= bound * 0.5, "cache evicted far below its bound: " + size);
        assertTrue(
                Metrics.value(arbor, "arbor_cache_evictions", EVENTS) > evictions,
                "no eviction counted");
    }
}
