package io.arbor.web.api;

import io.arbor.application.JavaUpcasters;
import io.arbor.application.SchemaRegistry;
import io.arbor.application.SchemaRegistry.Registration;
import io.arbor.domain.InvalidInputException;
import io.arbor.domain.schema.Compatibility;
import io.arbor.domain.schema.DeclarativeUpcaster;
import io.arbor.domain.schema.EventTypeNotFoundException;
import io.arbor.domain.schema.EventTypeState;
import io.arbor.web.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The event type registry: schema versions, compatibility modes, declarative upcasters. */
@Path("/schemas")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class SchemaResource {
    @Inject SchemaRegistry registry;
    @Inject JavaUpcasters javaUpcasters;
    @Inject JsonBodies bodies;
    @Inject Caller caller;

    @GET
    public Response types() {
        List<String> types = new ArrayList<>();
        new TreeMap<>(registry.current(caller.tenant()).types())
                .values()
                .forEach(
                        type ->
                                types.add(
                                        JsonText.object()
                                                .string("type", type.type())
                                                .number("latestVersion", latest(type))
                                                .string(
                                                        "compatibility",
                                                        type.compatibility().name())
                                                .toString()));
        return JsonResponse.of(200, JsonText.object().rawArray("types", types).toString());
    }

    @GET
    @Path("/{type}")
    public Response type(@PathParam("type") String type) {
        EventTypeState state = registry.type(caller.tenant(), type);
        List<String> versions = new ArrayList<>();
        for (int v = 1; v <= state.latestVersion(); v++) {
            versions.add(Integer.toString(v));
        }
        return JsonResponse.of(
                200,
                JsonText.object()
                        .string("type", state.type())
                        .string("compatibility", state.compatibility().name())
                        .number("latestVersion", latest(state))
                        .rawArray("versions", versions)
                        .rawArray("upcasters", upcasters(state))
                        .toString());
    }

    @GET
    @Path("/{type}/versions/{version}")
    public Response version(@PathParam("type") String type, @PathParam("version") String version) {
        int number = version(version);
        String schema = registry.type(caller.tenant(), type).schema(number);
        if (schema == null) {
            throw new EventTypeNotFoundException(
                    "Event type " + type + " has no schema version " + number);
        }
        return JsonResponse.of(200, schemaVersion(type, number, schema));
    }

    @PUT
    @Path("/{type}/versions/{version}")
    public Response register(
            @PathParam("type") String type,
            @PathParam("version") String version,
            @Context HttpHeaders headers,
            InputStream body) {
        int number = version(version);
        JsonObject schema = bodies.readObject(headers, body);
        // A valid schema may still hold what jsonb cannot store (U+0000, 1e999999): a 400 here,
        // not a failed insert (a 500) under the registry's lock.
        StorableJson.check(schema, "");
        Registration registration =
                registry.register(caller.tenant(), type, number, schema.toString());
        return JsonResponse.of(
                registration.created() ? 201 : 200,
                schemaVersion(type, number, registration.stored()));
    }

    @PUT
    @Path("/{type}/compatibility")
    public Response compatibility(
            @PathParam("type") String type, @Context HttpHeaders headers, InputStream body) {
        JsonObject request = bodies.readObject(headers, body);
        JsonFields fields = new JsonFields(request, "", Set.of("compatibility"));
        Compatibility mode =
                Compatibility.parse(fields.requiredString("compatibility"), "/compatibility");
        registry.setCompatibility(caller.tenant(), type, mode);
        return JsonResponse.of(
                200,
                JsonText.object()
                        .string("type", type)
                        .string("compatibility", mode.name())
                        .toString());
    }

    @PUT
    @Path("/{type}/upcasters/{fromVersion}")
    public Response registerUpcaster(
            @PathParam("type") String type,
            @PathParam("fromVersion") String fromVersion,
            @Context HttpHeaders headers,
            InputStream body) {
        int from =
                (int)
                        QueryParameters.integer(
                                "fromVersion", fromVersion, 1, Integer.MAX_VALUE - 1, 0);
        JsonObject request = bodies.readObject(headers, body);
        JsonFields fields = new JsonFields(request, "", Set.of("operations"));
        if (fields.isAbsent("operations")) {
            throw new InvalidInputException(
                    "/operations", "operations is required: a non-empty array of operations");
        }
        StorableJson.check(fields.value("operations"), "/operations");
        Registration registration =
                registry.registerUpcaster(
                        caller.tenant(), type, from, fields.value("operations").toString());
        return JsonResponse.of(
                registration.created() ? 201 : 200,
                declarativeStep(JsonText.object().string("type", type), from, registration.stored())
                        .toString());
    }

    private List<String> upcasters(EventTypeState state) {
        Map<Integer, String> steps = new TreeMap<>();
        for (Map.Entry<Integer, DeclarativeUpcaster> step : state.upcasters().entrySet()) {
            steps.put(
                    step.getKey(),
                    declarativeStep(
                                    JsonText.object(),
                                    step.getKey(),
                                    step.getValue().operationsText())
                            .toString());
        }
        for (Map.Entry<Integer, String> step : javaUpcasters.forType(state.type()).entrySet()) {
            steps.put(
                    step.getKey(),
                    JsonText.object()
                            .number("fromVersion", step.getKey())
                            .number("toVersion", step.getKey() + 1)
                            .string("kind", "java")
                            .string("class", step.getValue())
                            .toString());
        }
        return new ArrayList<>(steps.values());
    }

    /** A declarative upcaster's step, as registered and as listed with its type. */
    private static JsonText declarativeStep(JsonText json, int from, String operations) {
        return json.number("fromVersion", from)
                .number("toVersion", from + 1)
                .string("kind", "declarative")
                .raw("operations", operations);
    }

    private static String schemaVersion(String type, int version, String schema) {
        return JsonText.object()
                .string("type", type)
                .number("version", version)
                .raw("schema", schema)
                .toString();
    }

    private static Long latest(EventTypeState type) {
        return type.latestVersion() == 0 ? null : (long) type.latestVersion();
    }

    private static int version(String text) {
        return (int) QueryParameters.integer("version", text, 1, Integer.MAX_VALUE, 0);
    }
}
