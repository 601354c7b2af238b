package io.arbor.infrastructure.jpa;

import io.arbor.domain.schema.Compatibility;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * The schema registry's rows (event_types, event_schemas, event_upcasters, schema_registry), by
 * native SQL: they are read whole into a {@code SchemaRegistryState} rather than navigated as
 * entities, and jsonb is read back as text.
 */
@ApplicationScoped
public class SchemaRows {
    @PersistenceContext(unitName = "arbor")
    private EntityManager em;

    /** The registry's generation: one primary-key read, made by every append and read. */
    public long generation() {
        return ((Number)
                        em.createNativeQuery("SELECT generation FROM schema_registry WHERE id = 1")
                                .getSingleResult())
                .longValue();
    }

    /**
     * Locks the registry for a change until the transaction ends, so registrations take turns (two
     * writers of one version cannot both see it free), and returns the generation.
     */
    public long lockForChange() {
        return ((Number)
                        em.createNativeQuery(
                                        "SELECT generation FROM schema_registry WHERE id = 1 FOR"
                                                + " UPDATE")
                                .getSingleResult())
                .longValue();
    }

    /** Marks a change: readers of the next generation see it. Returns that generation. */
    public long changed() {
        em.createNativeQuery("UPDATE schema_registry SET generation = generation + 1 WHERE id = 1")
                .executeUpdate();
        return generation();
    }

    public Optional<Compatibility> compatibility(String type) {
        return em.createNativeQuery("SELECT compatibility FROM event_types WHERE type = ?1")
                .setParameter(1, type)
                .getResultStream()
                .findFirst()
                .map(mode -> Compatibility.valueOf((String) mode));
    }

    public void ensureType(String type, Instant now) {
        em.createNativeQuery(
                        "INSERT INTO event_types (type, created_at, updated_at) VALUES (?1, ?2, ?2)"
                                + " ON CONFLICT (type) DO NOTHING")
                .setParameter(1, type)
                .setParameter(2, Timestamp.from(now))
                .executeUpdate();
    }

    public void setCompatibility(String type, Compatibility mode, Instant now) {
        em.createNativeQuery(
                        "INSERT INTO event_types (type, compatibility, created_at, updated_at)"
                                + " VALUES (?1, ?2, ?3, ?3) ON CONFLICT (type) DO UPDATE SET"
                                + " compatibility = EXCLUDED.compatibility, updated_at ="
                                + " EXCLUDED.updated_at")
                .setParameter(1, type)
                .setParameter(2, mode.name())
                .setParameter(3, Timestamp.from(now))
                .executeUpdate();
    }

    /** The latest version of {@code type}, 0 when it has none. */
    public int latestVersion(String type) {
        return ((Number)
                        em.createNativeQuery(
                                        "SELECT coalesce(max(version), 0) FROM event_schemas WHERE"
                                                + " type = ?1")
                                .setParameter(1, type)
                                .getSingleResult())
                .intValue();
    }

    /** The schema of one version, as jsonb text. */
    public Optional<String> schema(String type, int version) {
        return em.createNativeQuery(
                        "SELECT schema::text FROM event_schemas WHERE type = ?1 AND version = ?2")
                .setParameter(1, type)
                .setParameter(2, version)
                .getResultStream()
                .findFirst()
                .map(String.class::cast);
    }

    public void insertSchema(String type, int version, String schema, Instant now) {
        em.createNativeQuery(
                        "INSERT INTO event_schemas (type, version, schema, created_at)"
                                + " VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, type)
                .setParameter(2, version)
                .setParameter(3, schema)
                .setParameter(4, Timestamp.from(now))
                .executeUpdate();
    }

    /** The operations of one declarative upcaster, as jsonb text. */
    public Optional<String> upcaster(String type, int fromVersion) {
        return em.createNativeQuery(
                        "SELECT operations::text FROM event_upcasters WHERE type = ?1 AND"
                                + " from_version = ?2")
                .setParameter(1, type)
                .setParameter(2, fromVersion)
                .getResultStream()
                .findFirst()
                .map(String.class::cast);
    }

    public void insertUpcaster(String type, int fromVersion, String operations, Instant now) {
        em.createNativeQuery(
                        "INSERT INTO event_upcasters (type, from_version, operations, created_at)"
                                + " VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, type)
                .setParameter(2, fromVersion)
                .setParameter(3, operations)
                .setParameter(4, Timestamp.from(now))
                .executeUpdate();
    }

    /**
     * The whole registry as one JSON text: {@code {"generation", "types": [{"type",
     * "compatibility", "schemas": [v1, v2, …], "upcasters": {"1": [operations…]}}]}}. One
     * statement, hence one snapshot: the content is exactly that of the generation it carries,
     * which is what lets it be cached under that generation.
     */
    public String registryJson() {
        return (String)
                em.createNativeQuery(
                                "SELECT json_build_object('generation', r.generation, 'types',"
                                        + " (SELECT coalesce(json_agg(json_build_object('type',"
                                        + " t.type, 'compatibility', t.compatibility, 'schemas',"
                                        + " (SELECT coalesce(json_agg(s.schema ORDER BY s.version),"
                                        + " '[]') FROM event_schemas s WHERE s.type = t.type),"
                                        + " 'upcasters', (SELECT coalesce(json_object_agg(u.from_version,"
                                        + " u.operations), '{}') FROM event_upcasters u WHERE u.type ="
                                        + " t.type)) ORDER BY t.type), '[]') FROM event_types t))::text"
                                        + " FROM schema_registry r WHERE r.id = 1")
                        .getSingleResult();
    }
}
