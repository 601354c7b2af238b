package io.arbor.infrastructure.cache;

import com.fasterxml.jackson.databind.JsonNode;
import io.arbor.domain.Tenant;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.cache.Cache;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Each tenant's schema registry by generation. The caller takes the tenant's current generation
 * (from PostgreSQL, one primary-key read; for a stream read, with the stream's head from {@link
 * io.arbor.application.StreamHeads}) and asks for that generation's registry: this instance's last
 * decoded one of the tenant if it is that generation, else the grid's copy (JSON text keyed by
 * database epoch, tenant and generation), else the database's. A generation's content never
 * changes, so an entry is never stale; a registry change makes a new generation, which every
 * instance's next read of it sees.
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

    /** The newest registry decoded here, per tenant. */
    private final Map<Tenant, SchemaRegistryState> latest = new ConcurrentHashMap<>();

    void openAtStartup(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // Observing start-up creates the bean then, so the cache and its gauges exist from the
        // start.
    }

    @PostConstruct
    void open() {
        generations = caches.open(CacheName.SCHEMAS, "arbor-schema-registry", maxEntries);
    }

    /**
     * The tenant's registry at {@code generation} or later.
     *
     * @param loader the registry's JSON text from the database (it may be of a later generation)
     */
    public SchemaRegistryState state(Tenant tenant, long generation, Supplier<String> loader) {
        SchemaRegistryState known = latest.get(tenant);
        if (known != null && known.generation() >= generation) {
            metrics.cacheHit(CacheName.SCHEMAS);
            return known;
        }
        String json = generations == null ? null : generations.get(key(tenant, generation));
        if (json != null) {
            metrics.cacheHit(CacheName.SCHEMAS);
        } else {
            metrics.cacheMiss(CacheName.SCHEMAS);
            json = loader.get();
        }
        SchemaRegistryState state = decode(json);
        if (generations != null) {
            generations.put(key(tenant, state.generation()), json);
        }
        latest.merge(
                tenant,
                state,
                (current, read) -> current.generation() < read.generation() ? read : current);
        return state;
    }

    private String key(Tenant tenant, long generation) {
        return epoch.value() + ' ' + tenant.value() + ' ' + generation;
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
