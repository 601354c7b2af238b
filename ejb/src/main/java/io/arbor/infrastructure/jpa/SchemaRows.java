package io.arbor.infrastructure.jpa;

import io.arbor.domain.Tenant;
import io.arbor.domain.schema.Compatibility;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * The schema registry's rows (event_types, event_schemas, event_upcasters, schema_registry), by
 * native SQL: they are read whole into a {@code SchemaRegistryState} rather than navigated as
 * entities, and jsonb is read back as text. Each tenant has its own registry: every statement is
 * one tenant's, filtered by it and under its row-level security setting. A tenant's generation row
 * is created by its first change; until then its generation is 0 (the empty registry).
 */
@ApplicationScoped
public class SchemaRows {
    @PersistenceContext(unitName = "arbor")
    private EntityManager em;

    @Inject TenantSetting tenantSetting;

    /** The EntityManager, with the transaction set to {@code tenant}'s rows. */
    private EntityManager em(Tenant tenant) {
        tenantSetting.use(tenant);
        return em;
    }

    /** The tenant registry's generation: one primary-key read, made by every append and read. */
    public long generation(Tenant tenant) {
        return ((Number)
                        em(tenant)
                                .createNativeQuery(
                                        "SELECT coalesce((SELECT generation FROM schema_registry"
                                                + " WHERE tenant = ?1), 0)")
                                .setParameter(1, tenant.value())
                                .getSingleResult())
                .longValue();
    }

    /**
     * Locks the registry for a change until the transaction ends, so registrations take turns (two
     * writers of one version cannot both see it free), and returns the generation.
     */
    public long lockForChange(Tenant tenant) {
        em(tenant)
                .createNativeQuery(
                        "INSERT INTO schema_registry (tenant, id, generation) VALUES (?1, 1, 0) ON"
                                + " CONFLICT (tenant) DO NOTHING")
                .setParameter(1, tenant.value())
                .executeUpdate();
        return ((Number)
                        em(tenant)
                                .createNativeQuery(
                                        "SELECT generation FROM schema_registry WHERE tenant = ?1"
                                                + " FOR UPDATE")
                                .setParameter(1, tenant.value())
                                .getSingleResult())
                .longValue();
    }

    /** Marks a change: readers of the next generation see it. Returns that generation. */
    public long changed(Tenant tenant) {
        return ((Number)
                        em(tenant)
                                .createNativeQuery(
                                        "UPDATE schema_registry SET generation = generation + 1"
                                                + " WHERE tenant = ?1 RETURNING generation")
                                .setParameter(1, tenant.value())
                                .getSingleResult())
                .longValue();
    }

    public Optional<Compatibility> compatibility(Tenant tenant, String type) {
        return em(tenant)
                .createNativeQuery(
                        "SELECT compatibility FROM event_types WHERE tenant = ?9 AND type = ?1")
                .setParameter(1, type)
                .setParameter(9, tenant.value())
                .getResultStream()
                .findFirst()
                .map(mode -> Compatibility.valueOf((String) mode));
    }

    public void ensureType(Tenant tenant, String type, Instant now) {
        em(tenant)
                .createNativeQuery(
                        "INSERT INTO event_types (tenant, type, created_at, updated_at) VALUES (?9, ?1,"
                                + " ?2, ?2) ON CONFLICT (tenant, type) DO NOTHING")
                .setParameter(1, type)
                .setParameter(9, tenant.value())
                .setParameter(2, Timestamp.from(now))
                .executeUpdate();
    }

    public void setCompatibility(Tenant tenant, String type, Compatibility mode, Instant now) {
        em(tenant)
                .createNativeQuery(
                        "INSERT INTO event_types (tenant, type, compatibility, created_at, updated_at)"
                                + " VALUES (?9, ?1, ?2, ?3, ?3) ON CONFLICT (tenant, type) DO UPDATE SET"
                                + " compatibility = EXCLUDED.compatibility, updated_at ="
                                + " EXCLUDED.updated_at")
                .setParameter(1, type)
                .setParameter(9, tenant.value())
                .setParameter(2, mode.name())
                .setParameter(3, Timestamp.from(now))
                .executeUpdate();
    }

    /** The latest version of {@code type}, 0 when it has none. */
    public int latestVersion(Tenant tenant, String type) {
        return ((Number)
                        em(tenant)
                                .createNativeQuery(
                                        "SELECT coalesce(max(version), 0) FROM event_schemas WHERE"
                                                + " tenant = ?9 AND type = ?1")
                                .setParameter(1, type)
                                .setParameter(9, tenant.value())
                                .getSingleResult())
                .intValue();
    }

    /** The schema of one version, as jsonb text. */
    public Optional<String> schema(Tenant tenant, String type, int version) {
        return em(tenant)
                .createNativeQuery(
                        "SELECT schema::text FROM event_schemas WHERE tenant = ?9 AND type = ?1 AND"
                                + " version = ?2")
                .setParameter(1, type)
                .setParameter(9, tenant.value())
                .setParameter(2, version)
                .getResultStream()
                .findFirst()
                .map(String.class::cast);
    }

    public void insertSchema(Tenant tenant, String type, int version, String schema, Instant now) {
        em(tenant)
                .createNativeQuery(
                        "INSERT INTO event_schemas (tenant, type, version, schema, created_at)"
                                + " VALUES (?9, ?1, ?2, ?3, ?4)")
                .setParameter(1, type)
                .setParameter(9, tenant.value())
                .setParameter(2, version)
                .setParameter(3, schema)
                .setParameter(4, Timestamp.from(now))
                .executeUpdate();
    }

    /** The operations of one declarative upcaster, as jsonb text. */
    public Optional<String> upcaster(Tenant tenant, String type, int fromVersion) {
        return em(tenant)
                .createNativeQuery(
                        "SELECT operations::text FROM event_upcasters WHERE tenant = ?9 AND type = ?1"
                                + " AND from_version = ?2")
                .setParameter(1, type)
                .setParameter(9, tenant.value())
                .setParameter(2, fromVersion)
                .getResultStream()
                .findFirst()
                .map(String.class::cast);
    }

    public void insertUpcaster(
            Tenant tenant, String type, int fromVersion, String operations, Instant now) {
        em(tenant)
                .createNativeQuery(
                        "INSERT INTO event_upcasters (tenant, type, from_version, operations,"
                                + " created_at) VALUES (?9, ?1, ?2, ?3, ?4)")
                .setParameter(1, type)
                .setParameter(9, tenant.value())
                .setParameter(2, fromVersion)
                .setParameter(3, operations)
                .setParameter(4, Timestamp.from(now))
                .executeUpdate();
    }

    /**
     * The tenant's whole registry as one JSON text: {@code {"generation", "types": [{"type",
     * "compatibility", "schemas": [v1, v2, …], "upcasters": {"1": [operations…]}}]}}. One
     * statement, hence one snapshot: the content is exactly that of the generation it carries,
     * which is what lets it be cached under that generation.
     */
    public String registryJson(Tenant tenant) {
        return (String)
                em(tenant)
                        .createNativeQuery(
                                "SELECT json_build_object('generation', coalesce((SELECT"
                                        + " r.generation FROM schema_registry r WHERE r.tenant ="
                                        + " ?1), 0), 'types', (SELECT"
                                        + " coalesce(json_agg(json_build_object('type', t.type,"
                                        + " 'compatibility', t.compatibility, 'schemas', (SELECT"
                                        + " coalesce(json_agg(s.schema ORDER BY s.version), '[]')"
                                        + " FROM event_schemas s WHERE s.tenant = t.tenant AND"
                                        + " s.type = t.type), 'upcasters', (SELECT"
                                        + " coalesce(json_object_agg(u.from_version,"
                                        + " u.operations), '{}') FROM event_upcasters u WHERE"
                                        + " u.tenant = t.tenant AND u.type = t.type)) ORDER BY"
                                        + " t.type), '[]') FROM event_types t WHERE t.tenant ="
                                        + " ?1))::text")
                        .setParameter(1, tenant.value())
                        .getSingleResult();
    }
}
