package io.arbor.application;

import com.fasterxml.jackson.databind.JsonNode;
import io.arbor.domain.InvalidInputException;
import io.arbor.domain.NewEvent;
import io.arbor.domain.QueryText;
import io.arbor.domain.Tenant;
import io.arbor.domain.schema.Compatibility;
import io.arbor.domain.schema.DeclarativeUpcaster;
import io.arbor.domain.schema.EventTypeNotFoundException;
import io.arbor.domain.schema.EventTypeState;
import io.arbor.domain.schema.IncompatibleSchemaException;
import io.arbor.domain.schema.SchemaBreak;
import io.arbor.domain.schema.SchemaConflictException;
import io.arbor.domain.schema.SchemaRegistryState;
import io.arbor.infrastructure.cache.SchemaRegistryCache;
import io.arbor.infrastructure.jpa.SchemaRows;
import io.arbor.infrastructure.jpa.TranslatesStoreFailures;
import io.arbor.infrastructure.schema.JsonSchemas;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The event type registry: schema versions, compatibility modes and declarative upcasters, one
 * registry per tenant. Every change runs in one transaction that holds the tenant registry's lock,
 * so registrations take turns and each one is checked against what is really there, then bumps the
 * registry's generation.
 */
@Stateless
@TranslatesStoreFailures
public class SchemaRegistry {
    @Inject SchemaRows rows;
    @Inject StreamHeads heads;
    @Inject SchemaRegistryCache cache;
    @Inject JsonSchemas schemas;
    @Inject JavaUpcasters javaUpcasters;

    /** The outcome of a registration: whether it was new, and the entry as stored. */
    public record Registration(boolean created, String stored) {}

    /**
     * The tenant's registry as of now: never older than any change acknowledged before this call.
     * In a transaction, like every read of tenant rows ({@code TenantSetting}).
     */
    public SchemaRegistryState current(Tenant tenant) {
        return cache.state(tenant, rows.generation(tenant), () -> rows.registryJson(tenant));
    }

    /** One type, with its versions; 404 when the registry has never heard of it. */
    public EventTypeState type(Tenant tenant, String type) {
        EventTypeState state = current(tenant).type(checkType(type));
        if (state == null) {
            throw new EventTypeNotFoundException("The registry has no event type " + type);
        }
        return state;
    }

    /**
     * Registers {@code schemaText} as {@code version} of {@code type}: new (created), identical to
     * what is there (not created), or refused: 400 for a schema that is not one or a gap in the
     * versions, 409 for a different schema at a taken version or a break of the type's mode.
     */
    public Registration register(Tenant tenant, String type, int version, String schemaText) {
        checkType(type);
        if (version < 1) {
            throw InvalidInputException.parameter("version", "Schema versions start at 1");
        }
        JsonNode schema = JsonSchemas.parse(schemaText);
        List<JsonSchemas.Violation> problems = schemas.problemsOf(schema);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(
                    problems.get(0).pointer(),
                    "Not a JSON Schema (draft 2020-12) Arbor accepts: " + describe(problems));
        }
        rows.lockForChange(tenant);
        int latest = rows.latestVersion(tenant, type);
        if (version <= latest) {
            String stored = rows.schema(tenant, type, version).orElseThrow();
            if (JsonSchemas.parse(stored).equals(schema)) {
                return new Registration(false, stored);
            }
            throw new SchemaConflictException(
                    "Version "
                            + version
                            + " of "
                            + type
                            + " is already registered with a different schema;"
                            + " a registered version never changes (register version "
                            + (latest + 1)
                            + " instead)");
        }
        if (version != latest + 1) {
            throw InvalidInputException.parameter(
                    "version",
                    "Versions of "
                            + type
                            + " have no gaps: the next one is "
                            + (latest + 1)
                            + ", not "
                            + version);
        }
        if (latest >= 1) {
            Compatibility mode = rows.compatibility(tenant, type).orElse(Compatibility.BACKWARD);
            JsonNode previous = JsonSchemas.parse(rows.schema(tenant, type, latest).orElseThrow());
            List<SchemaBreak> breaks = mode.check(previous, schema);
            if (!breaks.isEmpty()) {
                throw new IncompatibleSchemaException(type, version, mode, breaks);
            }
        }
        Instant now = now();
        rows.ensureType(tenant, type, now);
        rows.insertSchema(tenant, type, version, schemaText, now);
        markChanged(tenant);
        return new Registration(true, rows.schema(tenant, type, version).orElseThrow());
    }

    /** Sets the mode the type's next versions are checked in (the type need not have a schema). */
    public void setCompatibility(Tenant tenant, String type, Compatibility mode) {
        checkType(type);
        rows.lockForChange(tenant);
        rows.setCompatibility(tenant, type, mode, now());
        markChanged(tenant);
    }

    /**
     * Registers a declarative upcaster from {@code fromVersion} to {@code fromVersion + 1}, both of
     * which must be registered versions. Identical to the one there: not created; different, or a
     * step a Java upcaster already takes: 409.
     */
    public Registration registerUpcaster(
            Tenant tenant, String type, int fromVersion, String operationsText) {
        checkType(type);
        if (fromVersion < 1) {
            throw InvalidInputException.parameter("fromVersion", "Schema versions start at 1");
        }
        DeclarativeUpcaster upcaster =
                DeclarativeUpcaster.parse(type, fromVersion, JsonSchemas.parse(operationsText));
        if (javaUpcasters.find(type, fromVersion) != null) {
            throw new SchemaConflictException(
                    "A Java upcaster ("
                            + javaUpcasters.find(type, fromVersion).getClass().getName()
                            + ") already turns "
                            + type
                            + " version "
                            + fromVersion
                            + " into "
                            + (fromVersion + 1));
        }
        rows.lockForChange(tenant);
        int latest = rows.latestVersion(tenant, type);
        if (latest < fromVersion + 1) {
            throw new SchemaConflictException(
                    "An upcaster from version "
                            + fromVersion
                            + " of "
                            + type
                            + " needs versions "
                            + fromVersion
                            + " and "
                            + (fromVersion + 1)
                            + " registered; the latest is "
                            + latest);
        }
        Optional<String> existing = rows.upcaster(tenant, type, fromVersion);
        if (existing.isPresent()) {
            if (JsonSchemas.parse(existing.get()).equals(upcaster.operationsJson())) {
                return new Registration(false, existing.get());
            }
            throw new SchemaConflictException(
                    "An upcaster from version "
                            + fromVersion
                            + " of "
                            + type
                            + " is already registered with other operations;"
                            + " registered upcasters never change");
        }
        rows.insertUpcaster(tenant, type, fromVersion, upcaster.operationsText(), now());
        markChanged(tenant);
        return new Registration(true, rows.upcaster(tenant, type, fromVersion).orElseThrow());
    }

    private static String describe(List<JsonSchemas.Violation> problems) {
        return problems.stream()
                .map(
                        problem ->
                                problem.pointer().isEmpty()
                                        ? problem.message()
                                        : problem.pointer() + ": " + problem.message())
                .toList()
                .toString();
    }

    /** The name rule of event types, for names that arrive in a path. */
    private static String checkType(String type) {
        if (type == null || type.isEmpty() || type.length() > NewEvent.MAX_TYPE_LENGTH) {
            throw InvalidInputException.parameter(
                    "type", "An event type is 1 to " + NewEvent.MAX_TYPE_LENGTH + " characters");
        }
        // No event can have such a type (an append refuses it), and PostgreSQL cannot store it.
        return QueryText.check("type", type);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Bumps the registry's generation under a lease on it in the data grid ({@link
     * StreamHeads#changeRegistry}); the new generation is reported there after the commit, before
     * the change is acknowledged, so reads on any instance upcast with it.
     */
    private void markChanged(Tenant tenant) {
        heads.changeRegistry(tenant, () -> rows.changed(tenant));
    }
}
