package io.arbor.faults;

import io.arbor.client.AppendResult;
import io.arbor.client.ArborClient;
import io.arbor.client.ArborException;
import io.arbor.client.ArborProblemException;
import io.arbor.client.ArborUnavailableException;
import io.arbor.client.Direction;
import io.arbor.client.ExpectedVersion;
import io.arbor.client.GlobalLogPage;
import io.arbor.client.LogFilter;
import io.arbor.client.NewEvent;
import io.arbor.client.RetryPolicy;
import io.arbor.client.StreamAppend;
import io.arbor.client.StreamNotFoundException;
import io.arbor.client.StreamPage;
import io.arbor.client.StreamsAppendResult;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The suite's requests, through Arbor's typed client ({@code client/}) with retries off: each call
 * is one HTTP request, and its outcome is turned back into what the server said (status and body)
 * for the history, or {@code "unknown: <exception>"} when no answer came.
 */
public final class Api {
    /**
     * What came back: a status, body and {@code Retry-After} header (null when none), or {@code
     * status == -1} and the exception.
     */
    public record Answer(int status, String body, String retryAfter) {
        public Answer(int status, String body) {
            this(status, body, null);
        }

        public boolean ok() {
            return status == 200 || status == 201;
        }
    }

    private final ArborClient client;

    /** A client of {@code server} sending {@code token} (null: none). */
    public Api(URI server, String token, Duration requestTimeout) {
        this.client =
                ArborClient.builder(server)
                        .token(token)
                        .connectTimeout(Duration.ofSeconds(3))
                        .requestTimeout(requestTimeout)
                        .retry(RetryPolicy.NONE)
                        .build();
    }

    /** One append; each event's data names its op and index, so a read-back can be traced. */
    public Answer append(String stream, String expected, List<UUID> ids, long op, int worker) {
        List<NewEvent> events = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            events.add(new NewEvent(ids.get(i), TYPE, data(op, i, worker), null, null));
        }
        try {
            AppendResult r = client.append(stream, ExpectedVersion.parse(expected), events);
            return acknowledged(
                    Json.createObjectBuilder()
                            .add("streamId", r.streamId())
                            .add("fromVersion", r.fromVersion())
                            .add("toVersion", r.toVersion()),
                    r.fromPosition(),
                    r.toPosition(),
                    r.replayed());
        } catch (ArborException e) {
            return answer(e);
        }
    }

    /**
     * One multi-stream append, {@code POST /events}: every part with its expected version ({@code
     * "any"} or a number) and events (none: a guard). Each event's data names its op and its index
     * in the whole request (counted over the parts, in order), so a read-back can be traced.
     */
    public Answer appendMulti(List<Attempt.Part> parts, long op, int worker) {
        List<StreamAppend> streams = new ArrayList<>(parts.size());
        int i = 0;
        for (Attempt.Part p : parts) {
            List<NewEvent> events = new ArrayList<>(p.eventIds().size());
            for (UUID id : p.eventIds()) {
                events.add(new NewEvent(id, TYPE, data(op, i++, worker), null, null));
            }
            streams.add(new StreamAppend(p.stream(), ExpectedVersion.parse(p.expected()), events));
        }
        try {
            StreamsAppendResult r = client.appendToStreams(streams);
            JsonArrayBuilder written = Json.createArrayBuilder();
            for (StreamsAppendResult.Written w : r.streams()) {
                written.add(
                        Json.createObjectBuilder()
                                .add("streamId", w.streamId())
                                .add("fromVersion", w.fromVersion())
                                .add("toVersion", w.toVersion()));
            }
            return acknowledged(
                    Json.createObjectBuilder().add("streams", written),
                    r.fromPosition(),
                    r.toPosition(),
                    r.replayed());
        } catch (ArborException e) {
            return answer(e);
        }
    }

    /**
     * Seeds {@code stream} with {@code events} new events in one append (at most the server's
     * {@code arbor.append.max-events}), each tagged with the stream's id, so that removing them
     * removes {@code event_tags} rows too; throws {@link ArborException} when not acknowledged.
     */
    public void seed(String stream, int events) {
        List<NewEvent> batch = new ArrayList<>(events);
        for (int i = 1; i <= events; i++) {
            batch.add(
                    NewEvent.of(SEEDED_TYPE, Json.createObjectBuilder().add("n", i).build())
                            .withTags(stream));
        }
        client.append(stream, ExpectedVersion.NO_STREAM, batch);
    }

    private static final String TYPE = "FaultSuiteAppended";

    private static final String SEEDED_TYPE = "FaultSuiteSeeded";

    /** The answer an append got, as the server's body had it: 201, or 200 for a replay. */
    private static Answer acknowledged(
            JsonObjectBuilder body, long fromPosition, long toPosition, boolean replayed) {
        return new Answer(
                replayed ? 200 : 201,
                body.add("fromPosition", fromPosition)
                        .add("toPosition", toPosition)
                        .build()
                        .toString());
    }

    private static JsonObject data(long op, int i, int worker) {
        return Json.createObjectBuilder().add("op", op).add("i", i).add("w", worker).build();
    }

    /** What a request that failed with {@code e} was answered, or that it got no answer. */
    static Answer answer(ArborException e) {
        if (e instanceof ArborProblemException p) {
            return problem(p);
        }
        // With retries off, a 503 arrives wrapped; no answer at all arrives as its exception.
        if (e instanceof ArborUnavailableException
                && e.getCause() instanceof ArborProblemException p) {
            return problem(p);
        }
        Throwable cause =
                e instanceof ArborUnavailableException && e.getCause() != null ? e.getCause() : e;
        return new Answer(
                Attempt.UNKNOWN,
                "unknown: " + cause.getClass().getName() + ": " + cause.getMessage());
    }

    private static Answer problem(ArborProblemException p) {
        return new Answer(p.status(), p.problem().body().toString(), p.retryAfter());
    }

    /** A page of one category's global log; throws {@link ArborException} when not answered. */
    public GlobalLogPage globalLog(long after, int limit, String category) {
        return client.readAllPage(after, limit, LogFilter.category(category));
    }

    /** A page of a stream, or null when the stream does not exist. */
    public StreamPage stream(String stream, long from, int limit) {
        try {
            return client.readStreamPage(stream, from, limit, Direction.FORWARD);
        } catch (StreamNotFoundException e) {
            return null;
        }
    }
}
