package io.arbor.it.contract;

import io.arbor.it.Arbor;
import io.arbor.it.Reply;
import io.arbor.it.Tokens;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * {@link Store} over the REST API as api.md writes it, with the suite's raw HTTP client ({@link
 * Arbor}): the request bodies built by hand, the status codes and problem types read as they come.
 */
final class RestStore implements Store {
    private final Arbor arbor;

    /** The default tenant, as the suite's admin token sees it. */
    RestStore() {
        this(new Arbor());
    }

    private RestStore(Arbor arbor) {
        this.arbor = arbor;
    }

    @Override
    public Outcome append(String stream, Expected expected, List<Event> events) {
        JsonObject body =
                Json.createObjectBuilder()
                        .add("expectedVersion", expectedJson(expected))
                        .add("events", eventsJson(events))
                        .build();
        String request = "POST /streams/" + stream + "/events";
        Reply reply = arbor.post("/streams/" + stream + "/events", body.toString());
        return answer(
                request,
                reply,
                (result, replayed) ->
                        new Appended(
                                result.getJsonNumber("fromVersion").longValue(),
                                result.getJsonNumber("toVersion").longValue(),
                                result.getJsonNumber("fromPosition").longValue(),
                                result.getJsonNumber("toPosition").longValue(),
                                replayed),
                false);
    }

    @Override
    public Outcome appendToStreams(List<StreamEvents> streams) {
        JsonArrayBuilder entries = Json.createArrayBuilder();
        for (StreamEvents entry : streams) {
            JsonObjectBuilder json =
                    Json.createObjectBuilder()
                            .add("streamId", entry.stream())
                            .add("expectedVersion", expectedJson(entry.expected()));
            if (!entry.events().isEmpty()) {
                json.add("events", eventsJson(entry.events()));
            }
            entries.add(json);
        }
        String request = "POST /events";
        Reply reply =
                arbor.post(
                        "/events",
                        Json.createObjectBuilder().add("streams", entries).build().toString());
        return answer(
                request,
                reply,
                (result, replayed) -> {
                    List<StreamVersions> written = new ArrayList<>();
                    for (JsonObject stream :
                            result.getJsonArray("streams").getValuesAs(JsonObject.class)) {
                        written.add(
                                new StreamVersions(
                                        stream.getString("streamId"),
                                        stream.getJsonNumber("fromVersion").longValue(),
                                        stream.getJsonNumber("toVersion").longValue()));
                    }
                    return new AppendedToStreams(
                            written,
                            result.getJsonNumber("fromPosition").longValue(),
                            result.getJsonNumber("toPosition").longValue(),
                            replayed);
                },
                true);
    }

    /**
     * An append's answer as an outcome: {@code stored} reads a 200 or 201 body (and whether it was
     * a replay); a wrong expected version lists every failing stream when {@code severalStreams}.
     */
    private Outcome answer(
            String request,
            Reply reply,
            BiFunction<JsonObject, Boolean, Outcome> stored,
            boolean severalStreams) {
        return switch (reply.status()) {
            case 200, 201 -> stored.apply(reply.json(), reply.status() == 200);
            case 400 -> {
                requireProblem(request, reply);
                yield new InvalidInput();
            }
            case 409 -> {
                requireProblem(request, reply);
                JsonObject problem = reply.json();
                yield switch (problem.getString("type", "")) {
                    case "urn:arbor:problem:wrong-expected-version" -> {
                        Map<String, Long> actual = new LinkedHashMap<>();
                        if (severalStreams) {
                            for (JsonObject conflict :
                                    problem.getJsonArray("conflicts")
                                            .getValuesAs(JsonObject.class)) {
                                actual.put(
                                        conflict.getString("streamId"),
                                        conflict.getJsonNumber("actualVersion").longValue());
                            }
                        }
                        yield new WrongExpectedVersion(
                                problem.getJsonNumber("actualVersion").longValue(), actual);
                    }
                    case "urn:arbor:problem:duplicate-event-id" -> new DuplicateEventId();
                    default -> throw unexpected(request, reply);
                };
            }
            default -> throw unexpected(request, reply);
        };
    }

    @Override
    public OptionalLong version(String stream) {
        Reply reply = arbor.get("/streams/" + stream);
        return switch (reply.status()) {
            case 200 -> OptionalLong.of(reply.json().getJsonNumber("version").longValue());
            case 404 -> OptionalLong.empty();
            default -> throw unexpected("GET /streams/" + stream, reply);
        };
    }

    @Override
    public Optional<StreamPage> read(String stream, long from, int limit, Direction direction) {
        String path =
                "/streams/"
                        + stream
                        + "/events?from="
                        + from
                        + "&limit="
                        + limit
                        + "&direction="
                        + (direction == Direction.FORWARD ? "forward" : "backward");
        Reply reply = arbor.get(path);
        return switch (reply.status()) {
            case 200 -> {
                JsonObject page = reply.json();
                JsonValue next = page.get("next");
                yield Optional.of(
                        new StreamPage(
                                page.getJsonNumber("version").longValue(),
                                events(page),
                                next.getValueType() == JsonValue.ValueType.NUMBER
                                        ? OptionalLong.of(page.getJsonNumber("next").longValue())
                                        : OptionalLong.empty()));
            }
            case 404 -> Optional.empty();
            default -> throw unexpected("GET " + path, reply);
        };
    }

    @Override
    public LogPage readLog(long after, int limit) {
        String path = "/events?after=" + after + "&limit=" + limit;
        Reply reply = arbor.get(path);
        if (reply.status() != 200) {
            throw unexpected("GET " + path, reply);
        }
        JsonObject page = reply.json();
        return new LogPage(events(page), page.getJsonNumber("lastPosition").longValue());
    }

    @Override
    public Store asTenant(String tenant) {
        return new RestStore(Tokens.tenantAdmin(tenant, "contract-" + tenant));
    }

    private static List<StoredEvent> events(JsonObject page) {
        return page.getJsonArray("events").stream()
                .map(JsonValue::asJsonObject)
                .map(
                        event ->
                                new StoredEvent(
                                        UUID.fromString(event.getString("eventId")),
                                        event.getString("streamId"),
                                        event.getJsonNumber("version").longValue(),
                                        event.getJsonNumber("globalPosition").longValue(),
                                        event.getString("type"),
                                        event.getJsonObject("data"),
                                        event.getJsonObject("metadata")))
                .toList();
    }

    /** A refusal is problem+json (api.md), never the container's bare error page. */
    private static void requireProblem(String request, Reply reply) {
        if (!reply.isProblem()) {
            throw unexpected(request, reply);
        }
    }

    private static AssertionError unexpected(String request, Reply reply) {
        return new AssertionError(
                "the contract has no answer like this to " + request + ": " + reply);
    }

    private static JsonValue expectedJson(Expected expected) {
        return expected.keyword() == null
                ? Json.createValue(expected.version())
                : Json.createValue(expected.keyword());
    }

    private static JsonArrayBuilder eventsJson(List<Event> events) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (Event event : events) {
            JsonObjectBuilder json =
                    Json.createObjectBuilder()
                            .add("eventId", event.id().toString())
                            .add("type", event.type())
                            .add("data", event.data());
            if (event.metadata() != null) {
                json.add("metadata", event.metadata());
            }
            array.add(json);
        }
        return array;
    }
}
