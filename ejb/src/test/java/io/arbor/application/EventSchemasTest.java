package io.arbor.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.arbor.domain.NewEvent;
import io.arbor.domain.schema.Compatibility;
import io.arbor.domain.schema.EventTypeState;
import io.arbor.domain.schema.InvalidEventDataException;
import io.arbor.domain.schema.SchemaRegistryState;
import io.arbor.infrastructure.schema.JsonSchemas;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Validation on append against a registry, without a server. */
class EventSchemasTest {
    private static final SchemaRegistryState REGISTRY =
            new SchemaRegistryState(
                    7,
                    Map.of(
                            "Deposited",
                            new EventTypeState(
                                    "Deposited",
                                    Compatibility.BACKWARD,
                                    List.of(
                                            "{\"required\":[\"amount\"]}",
                                            "{\"required\":[\"amount\",\"currency\"]}"),
                                    Map.of())));

    private static EventSchemas schemas(boolean requireRegistered) {
        EventSchemas schemas = new EventSchemas();
        schemas.schemas = new JsonSchemas();
        schemas.javaUpcasters = new JavaUpcasters();
        schemas.requireRegistered = requireRegistered;
        return schemas;
    }

    @Test
    void eventsAreStoredWithTheLatestVersionOrTheOneTheyName() {
        List<NewEvent> settled =
                schemas(false)
                        .validate(
                                List.of(
                                        new NewEvent(
                                                null,
                                                "Deposited",
                                                null,
                                                "{\"amount\":1,\"currency\":\"EUR\"}",
                                                null),
                                        new NewEvent(null, "Deposited", 1, "{\"amount\":1}", null),
                                        new NewEvent(null, "Other", null, "{}", null)),
                                REGISTRY);
        assertEquals(List.of(2, 1, 1), settled.stream().map(NewEvent::schemaVersion).toList());
    }

    @Test
    void anUnregisteredTypeIsRefusedOnlyWhenRegistrationIsRequired() {
        List<NewEvent> batch = List.of(new NewEvent(null, "Other", null, "{}", null));
        assertEquals(1, schemas(false).validate(batch, REGISTRY).size());
        InvalidEventDataException refused =
                assertThrows(
                        InvalidEventDataException.class,
                        () -> schemas(true).validate(batch, REGISTRY));
        assertEquals("/events/0/type", refused.violations().get(0).pointer());
    }

    @Test
    void anUnregisteredTypeTakesOnlySchemaVersionOne() {
        List<NewEvent> settled =
                schemas(false)
                        .validate(
                                List.of(
                                        new NewEvent(null, "Other", null, "{}", null),
                                        new NewEvent(null, "Other", 1, "{}", null)),
                                REGISTRY);
        assertEquals(List.of(1, 1), settled.stream().map(NewEvent::schemaVersion).toList());

        InvalidEventDataException refused =
                assertThrows(
                        InvalidEventDataException.class,
                        () ->
                                schemas(false)
                                        .validate(
                                                List.of(
                                                        new NewEvent(
                                                                null,
                                                                "Deposited",
                                                                1,
                                                                "{\"amount\":1}",
                                                                null),
                                                        new NewEvent(null, "Other", 2, "{}", null)),
                                                REGISTRY));
        assertEquals(
                List.of("1 /events/1/schemaVersion"),
                refused.violations().stream()
                        .map(v -> v.eventIndex() + " " + v.pointer())
                        .toList());
    }

    @Test
    void everyViolationOfTheBatchIsListed() {
        InvalidEventDataException refused =
                assertThrows(
                        InvalidEventDataException.class,
                        () ->
                                schemas(false)
                                        .validate(
                                                List.of(
                                                        new NewEvent(
                                                                null, "Deposited", 1, "{}", null),
                                                        new NewEvent(
                                                                null,
                                                                "Deposited",
                                                                1,
                                                                "{\"amount\":1}",
                                                                null),
                                                        new NewEvent(
                                                                null, "Deposited", 9, "{}", null)),
                                                REGISTRY));
        assertEquals(
                List.of("0 /events/0/data", "2 /events/2/schemaVersion"),
                refused.violations().stream()
                        .map(v -> v.eventIndex() + " " + v.pointer())
                        .toList());
    }
}
