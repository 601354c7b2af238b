package io.arbor.infrastructure.cache;

import com.fasterxml.jackson.databind.JsonNode;
import io.arbor.domain.schema.Compatibility;
import io.arbor.domain.schema.DeclarativeUpcaster;
import io.arbor.domain.schema.EventTypeState;
import io.arbor.domain.schema.SchemaRegistryState;
import io.arbor.infrastructure.metrics.ArborMetrics;
import io.arbor.infrastructure.metrics.ArborMetrics.CacheName;
import io.arbor.infrastructure.schema.JsonSchemas;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.cache.Cache;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The schema registry by generation. The caller probes the current generation in PostgreSQL (one
 * primary-key read) and asks for that generation's registry: this instance's last decoded one if it
 * is that generation, else the grid's copy (JSON text keyed by database epoch and generation), else
 * the database's. A generation's content never changes, so an entry is never stale; a registry
 * change makes a new generation, which every instance's next probe sees.
 */
@ApplicationScoped
public class SchemaRegistryCache {
    @Inject
    @ConfigProperty(name = "arbor.cache.schemas.max-entries")
    int maxEntries;

    @Inject StoreEpoch epoch;
    @Inject HotCaches caches;
    @Inject ArborMetrics metrics;

    private Cache<String, String> generations;
    private volatile SchemaRegistryState latest;

    void openAtStartup(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // Observing start-up creates the bean then, so the cache and its gauges exist from the
        // start.
    }

    @PostConstruct
    void open() {
        generations = caches.open(CacheName.SCHEMAS, "arbor-schema-registry", maxEntries);
    }

    /**
     * The registry at {@code generation} or later.
     *
     * @param loader the registry's JSON text from the database (it may be of a later generation)
     */
    public SchemaRegistryState state(long generation, Supplier<String> loader) {
        SchemaRegistryState known = latest;
        if (known != null && known.generation() >= generation) {
            metrics.cacheHit(CacheName.SCHEMAS);
            return known;
        }
        String json = generations == null ? null : generations.get(key(generation));
        if (json != null) {
            metrics.cacheHit(CacheName.SCHEMAS);
        } else {
            metrics.cacheMiss(CacheName.SCHEMAS);
            json = loader.get();
        }
        SchemaRegistryState state = decode(json);
        if (generations != null) {
            generations.put(key(state.generation()), json);
        }
        SchemaRegistryState current = latest;
        if (current == null || current.generation() < state.generation()) {
            latest = state;
        }
        return state;
    }

    private String key(long generation) {
        return epoch.value() + ' ' + generation;
    }

    /** Reads the JSON of {@code SchemaRows.registryJson}. */
    static SchemaRegistryState decode(String json) {
        JsonNode root = JsonSchemas.parse(json);
        Map<String, EventTypeState> types = new HashMap<>();
        for (JsonNode type : root.get("types")) {
            String name = type.get("type").asText();
            List<String> schemas = new ArrayList<>();
            for (JsonNode schema : type.get("schemas")) {
                schemas.add(JsonSchemas.text(schema));
            }
            Map<Integer, DeclarativeUpcaster> upcasters = new HashMap<>();
            Iterator<Map.Entry<String, JsonNode>> steps = type.get("upcasters").fields();
            while (steps.hasNext()) {
                Map.Entry<String, JsonNode> step = steps.next();
                int from = Integer.parseInt(step.getKey());
                upcasters.put(from, DeclarativeUpcaster.parse(name, from, step.getValue()));
            }
            types.put(
                    name,
                    new EventTypeState(
                            name,
                            Compatibility.valueOf(type.get("compatibility").asText()),
                            schemas,
                            upcasters));
        }
        return new SchemaRegistryState(root.get("generation").asLong(), types);
    }
}
