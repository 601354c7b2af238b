package io.arbor.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arbor.domain.Append;
import io.arbor.domain.NewEvent;
import io.arbor.domain.OutgoingEvent;
import io.arbor.domain.RecordedEvent;
import io.arbor.domain.StreamAppend;
import io.arbor.domain.schema.DeclarativeUpcaster;
import io.arbor.domain.schema.EventTypeState;
import io.arbor.domain.schema.EventViolation;
import io.arbor.domain.schema.InvalidEventDataException;
import io.arbor.domain.schema.SchemaRegistryState;
import io.arbor.infrastructure.schema.JsonSchemas;
import io.arbor.spi.Upcaster;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What the registry means for events: on the way in, validation against the type's schema (and the
 * schema version each event is stored with); on the way out, upcasting to the type's latest
 * version.
 */
@ApplicationScoped
public class EventSchemas {
    @Inject JsonSchemas schemas;
    @Inject JavaUpcasters javaUpcasters;

    @Inject
    @ConfigProperty(name = "arbor.schemas.require-registered")
    boolean requireRegistered;

    /**
     * The batch with every event's schema version settled, once every event with a registered type
     * follows its schema: the version it names, else the latest. All violations of the batch are
     * collected, then the whole batch is refused, before anything is written.
     */
    public List<NewEvent> validate(List<NewEvent> batch, SchemaRegistryState registry) {
        List<NewEvent> settled = new ArrayList<>(batch.size());
        List<EventViolation> violations = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            NewEvent event = batch.get(i);
            String at = "/events/" + i;
            EventTypeState type = registry.type(event.type());
            if (type == null || type.latestVersion() == 0) {
                if (requireRegistered) {
                    violations.add(
                            new EventViolation(
                                    i,
                                    at + "/type",
                                    "Event type "
                                            + event.type()
                                            + " has no registered schema, and"
                                            + " arbor.schemas.require-registered is true"));
                }
                if (event.schemaVersion() != null && event.schemaVersion() != 1) {
                    // Stored as given, such an event would claim a version no schema defines:
                    // once the type is registered (from version 1), it would be taken for data
                    // of that version, validated never and upcast from the wrong step, or not
                    // at all.
                    violations.add(
                            new EventViolation(
                                    i,
                                    at + "/schemaVersion",
                                    "Event type "
                                            + event.type()
                                            + " has no registered schema, so its events are at"
                                            + " schema version 1, not "
                                            + event.schemaVersion()
                                            + "; register its schema versions first"));
                    continue;
                }
                settled.add(event.withSchemaVersion(1));
                continue;
            }
            int version =
                    event.schemaVersion() == null ? type.latestVersion() : event.schemaVersion();
            String schema = type.schema(version);
            if (schema == null) {
                violations.add(
                        new EventViolation(
                                i,
                                at + "/schemaVersion",
                                "Event type "
                                        + event.type()
                                        + " has schema versions 1 to "
                                        + type.latestVersion()
                                        + ", not "
                                        + version));
                continue;
            }
            for (JsonSchemas.Violation violation :
                    schemas.validate(schema, JsonSchemas.parse(event.data()))) {
                violations.add(
                        new EventViolation(
                                i, at + "/data" + violation.pointer(), violation.message()));
            }
            settled.add(event.withSchemaVersion(version));
        }
        if (!violations.isEmpty()) {
            throw new InvalidEventDataException(violations);
        }
        return settled;
    }

    /**
     * The append with every written event's schema version settled ({@link #validate(List,
     * SchemaRegistryState)} for each stream's events); the violations of every stream are
     * collected, their pointers prefixed with where the stream is in the request, then the whole
     * append is refused.
     */
    public Append validate(Append append, SchemaRegistryState registry) {
        List<StreamAppend> settled = new ArrayList<>(append.streams().size());
        List<EventViolation> violations = new ArrayList<>();
        for (StreamAppend part : append.streams()) {
            try {
                settled.add(part.withEvents(validate(part.events(), registry)));
            } catch (InvalidEventDataException invalid) {
                invalid.violations()
                        .forEach(
                                violation ->
                                        violations.add(
                                                new EventViolation(
                                                        violation.eventIndex(),
                                                        part.at() + violation.pointer(),
                                                        violation.message())));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidEventDataException(violations);
        }
        return append.withStreams(settled);
    }

    /**
     * {@code events} with each one's data brought up to its type's latest registered version, one
     * step at a time: a Java upcaster for the step if one is deployed, else the declarative one. An
     * event stops at the first step that has neither, and says which version it reached.
     */
    public List<OutgoingEvent> upcast(
            List<? extends OutgoingEvent> events, SchemaRegistryState registry) {
        List<OutgoingEvent> result = new ArrayList<>(events.size());
        for (OutgoingEvent event : events) {
            EventTypeState type = registry.type(event.type());
            // Most events are at their type's latest version: they go out as they are, and an
            // event the cache serves is never decoded.
            boolean behind = type != null && event.schemaVersion() < type.latestVersion();
            result.add(behind ? upcast(event.record(), type) : event);
        }
        return result;
    }

    private RecordedEvent upcast(RecordedEvent event, EventTypeState type) {
        if (type == null || event.schemaVersion() >= type.latestVersion()) {
            return event;
        }
        String data = event.data();
        int version = event.schemaVersion();
        while (version < type.latestVersion()) {
            Upcaster java = javaUpcasters.find(event.type(), version);
            DeclarativeUpcaster declared = type.upcasters().get(version);
            if (java != null) {
                data = java.upcast(jsonObject(data)).toString();
            } else if (declared != null) {
                JsonNode tree = JsonSchemas.parse(data);
                data = JsonSchemas.text(declared.apply((ObjectNode) tree));
            } else {
                break;
            }
            version++;
        }
        if (version == event.schemaVersion()) {
            return event;
        }
        return new RecordedEvent(
                event.eventId(),
                event.streamId(),
                event.version(),
                event.globalPosition(),
                event.type(),
                version,
                data,
                event.metadata(),
                event.tags(),
                event.recordedAt(),
                event.writtenBy());
    }

    private static JsonObject jsonObject(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
