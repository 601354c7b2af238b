package io.arbor.client;

import io.arbor.spi.EventHash;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A client for one Arbor server: every endpoint of api.md, plus the read-only listing and event
 * lookup that the operations tools need.
 *
 * <pre>{@code
 * ArborClient arbor = ArborClient.connect(URI.create("http://localhost:8080/arbor/api"));
 * JsonObject data = Json.createObjectBuilder().add("amount", 10).build();
 * AppendResult r = arbor.append("account-42", ExpectedVersion.NO_STREAM,
 *         List.of(NewEvent.of("Deposited", data)));
 * try (Stream<RecordedEvent> events = arbor.readStream("account-42")) {
 *     events.forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Thread-safe; share one instance. It speaks HTTP/1.1 only: Payara's Grizzly stalled on
 * cleartext HTTP/2 upgrades under load. Every request is retried after a 503 or a connection
 * failure as its {@link RetryPolicy} says; that is safe because event ids are chosen by the client
 * (see {@link NewEvent}). Failures are unchecked: {@link ArborProblemException} and its subclasses
 * for problem+json answers, {@link ArborUnavailableException} when the server stays unreachable.
 * Every request carries the bearer token of {@link Builder#token} (default: {@code $ARBOR_TOKEN});
 * {@link DevelopmentTokens} mints tokens for a development server.
 *
 * <p>The paging methods ({@link #readStream}, {@link #readAll}, {@link #follow}, {@link
 * #listStreams}) return lazy {@link Stream}s that fetch one page at a time as they are consumed.
 * Live subscriptions ({@link #subscribe}, {@link #subscribeToStream}) push events over Server-Sent
 * Events instead, each on a thread of its own. Consumer groups ({@link #putGroup}, {@link #fetch},
 * {@link #ack}, …) keep their checkpoint on the server and share their events among competing
 * consumers; {@link #groupConsumer} runs one consumer's loop.
 */
public final class ArborClient {
    private static final int MAX_PAGE = 1000;

    private final URI base;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final RetryPolicy retry;
    private final boolean bypassCache;
    private final boolean storedForm;
    private final BiConsumer<HttpRequest, HttpResponse<String>> observer;
    private final Duration reconnectBackoff;
    private final Duration idleTimeout;
    private final Supplier<String> token;

    private ArborClient(Builder builder) {
        String text = builder.baseUrl.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(builder.connectTimeout)
                        .build();
        this.requestTimeout = builder.requestTimeout;
        this.retry = builder.retry;
        this.bypassCache = builder.bypassCache;
        this.storedForm = builder.storedForm;
        this.observer = builder.observer;
        this.reconnectBackoff = builder.reconnectBackoff;
        this.idleTimeout = builder.idleTimeout;
        this.token = builder.token;
    }

    /** A client with default timeouts and retries for the API at {@code baseUrl}. */
    public static ArborClient connect(URI baseUrl) {
        return builder(baseUrl).build();
    }

    /**
     * A builder for the API at {@code baseUrl}, e.g. {@code http://localhost:8080/arbor/api}. A URL
     * without a path ({@code http://host:8080}) gets {@code /arbor/api}.
     */
    public static Builder builder(URI baseUrl) {
        return new Builder(baseUrl);
    }

    /** The API's base URL. */
    public URI baseUrl() {
        return base;
    }

    // ------------------------------------------------------------------ append

    /**
     * Appends events to a stream in one transaction (all or none).
     *
     * @throws WrongExpectedVersionException when the stream is not at {@code expected}
     * @throws DuplicateEventIdException when an id is stored already, elsewhere or in part
     * @throws BadRequestException for an invalid stream id or event
     */
    public AppendResult append(String streamId, ExpectedVersion expected, List<NewEvent> events) {
        Objects.requireNonNull(expected, "expected");
        if (events.isEmpty()) {
            throw new IllegalArgumentException("an append needs at least one event");
        }
        JsonObject body =
                Json.createObjectBuilder()
                        .add("expectedVersion", expected.toJson())
                        .add("events", eventsJson(events))
                        .build();
        Reply reply = send("POST", "streams/" + segment(streamId) + "/events", body);
        JsonObject json = reply.json();
        return new AppendResult(
                json.getString("streamId"),
                json.getJsonNumber("fromVersion").longValue(),
                json.getJsonNumber("toVersion").longValue(),
                json.getJsonNumber("fromPosition").longValue(),
                json.getJsonNumber("toPosition").longValue(),
                reply.status() == 200);
    }

    /** Appends one event. */
    public AppendResult append(String streamId, ExpectedVersion expected, NewEvent event) {
        return append(streamId, expected, List.of(event));
    }

    /**
     * Appends to several streams in one transaction ({@code POST /events}): every stream's events
     * or none, and only if every stream's expectation holds (guards' included).
     *
     * @throws WrongExpectedVersionException when any stream is not at its expectation ({@link
     *     WrongExpectedVersionException#conflicts} lists every one)
     * @throws DuplicateEventIdException when an id is stored already, elsewhere or in part
     * @throws BadRequestException for an invalid entry, a stream listed twice, or too many events
     */
    public StreamsAppendResult appendToStreams(List<StreamAppend> streams) {
        JsonArrayBuilder entries = Json.createArrayBuilder();
        for (StreamAppend stream : streams) {
            JsonObjectBuilder entry =
                    Json.createObjectBuilder()
                            .add("streamId", stream.streamId())
                            .add("expectedVersion", stream.expected().toJson());
            if (!stream.events().isEmpty()) {
                entry.add("events", eventsJson(stream.events()));
            }
            entries.add(entry);
        }
        Reply reply =
                send("POST", "events", Json.createObjectBuilder().add("streams", entries).build());
        JsonObject json = reply.json();
        List<StreamsAppendResult.Written> written = new ArrayList<>();
        for (JsonObject stream : json.getJsonArray("streams").getValuesAs(JsonObject.class)) {
            written.add(
                    new StreamsAppendResult.Written(
                            stream.getString("streamId"),
                            stream.getJsonNumber("fromVersion").longValue(),
                            stream.getJsonNumber("toVersion").longValue()));
        }
        return new StreamsAppendResult(
                written,
                json.getJsonNumber("fromPosition").longValue(),
                json.getJsonNumber("toPosition").longValue(),
                reply.status() == 200);
    }

    private static JsonArrayBuilder eventsJson(List<NewEvent> events) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (NewEvent event : events) {
            JsonObjectBuilder json =
                    Json.createObjectBuilder()
                            .add("eventId", event.eventId().toString())
                            .add("type", event.type())
                            .add("data", event.data());
            if (event.metadata() != null) {
                json.add("metadata", event.metadata());
            }
            if (event.schemaVersion() != null) {
                json.add("schemaVersion", event.schemaVersion());
            }
            if (!event.tags().isEmpty()) {
                json.add("tags", Json.createArrayBuilder(event.tags()));
            }
            array.add(json);
        }
        return array;
    }

    // ----------------------------------------------------------- stream reads

    /**
     * One page of a stream.
     *
     * @param from the first version to read; null for the first (forward) or last (backward)
     * @param limit 1 to 1,000
     * @throws StreamNotFoundException when the stream does not exist
     */
    public StreamPage readStreamPage(String streamId, Long from, int limit, Direction direction) {
        StringBuilder path =
                new StringBuilder("streams/")
                        .append(segment(streamId))
                        .append("/events?limit=")
                        .append(limit)
                        .append("&direction=")
                        .append(direction.wire());
        if (from != null) {
            path.append("&from=").append(from);
        }
        if (storedForm) {
            path.append("&upcast=false");
        }
        JsonObject json = send("GET", path.toString(), null).json();
        JsonValue next = json.get("next");
        return new StreamPage(
                json.getString("streamId"),
                json.getJsonNumber("version").longValue(),
                events(json.getJsonArray("events")),
                next instanceof JsonNumber n
                        ? OptionalLong.of(n.longValue())
                        : OptionalLong.empty());
    }

    /** Every event of a stream, forward from version 1, fetched lazily a page at a time. */
    public Stream<RecordedEvent> readStream(String streamId) {
        return readStream(streamId, null, Direction.FORWARD, MAX_PAGE);
    }

    /**
     * A stream's events from {@code from} (null: its first or last version) in {@code direction},
     * fetched lazily {@code pageSize} at a time. The stream's existence is checked by the first
     * page, when the returned stream is first consumed.
     *
     * @throws StreamNotFoundException (on consumption) when the stream does not exist
     */
    public Stream<RecordedEvent> readStream(
            String streamId, Long from, Direction direction, int pageSize) {
        return pages(
                new Object() {
                            OptionalLong cursor = from == null ? null : OptionalLong.of(from);

                            List<RecordedEvent> next() {
                                if (cursor != null && cursor.isEmpty()) {
                                    return null;
                                }
                                StreamPage page =
                                        readStreamPage(
                                                streamId,
                                                cursor == null ? null : cursor.getAsLong(),
                                                pageSize,
                                                direction);
                                cursor = page.next();
                                return page.events();
                            }
                        }
                        ::next);
    }

    /**
     * A stream's head.
     *
     * @throws StreamNotFoundException when it does not exist
     */
    public StreamInfo streamInfo(String streamId) {
        JsonObject json = send("GET", "streams/" + segment(streamId), null).json();
        return new StreamInfo(
                json.getString("streamId"),
                json.getJsonNumber("version").longValue(),
                Instant.parse(json.getString("createdAt")),
                Instant.parse(json.getString("updatedAt")),
                // A server before stream lifecycle (issue 19) sends neither: every version shown,
                // so the chain starts from genesis.
                json.containsKey("firstVersion")
                        ? json.getJsonNumber("firstVersion").longValue()
                        : 1,
                json.containsKey("firstVersion")
                        ? (json.isNull("previousHash") ? null : json.getString("previousHash"))
                        : EventHash.toHex(EventHash.GENESIS));
    }

    // ---------------------------------------------------------- stream lifecycle

    /**
     * The stream's metadata (retention rules and custom data).
     *
     * @throws StreamNotFoundException when it does not exist or is soft-deleted
     * @throws StreamDeletedException when it was hard-deleted
     */
    public StreamMetadata streamMetadata(String streamId) {
        return StreamMetadata.of(
                send("GET", "streams/" + segment(streamId) + "/metadata", null).json());
    }

    /**
     * Replaces the stream's metadata: a null rule is no rule, a null {@code custom} is {@code {}}.
     * The rules hide events from reads at once.
     *
     * @return the metadata as stored
     * @throws BadRequestException for a rule below 1, or a {@code truncateBefore} past the head
     * @throws StreamNotFoundException when it does not exist or is soft-deleted
     * @throws StreamDeletedException when it was hard-deleted
     */
    public StreamMetadata setStreamMetadata(String streamId, StreamMetadata metadata) {
        JsonObjectBuilder body = Json.createObjectBuilder();
        addIfPresent(body, "maxAge", metadata.maxAge());
        addIfPresent(body, "maxCount", metadata.maxCount());
        addIfPresent(body, "truncateBefore", metadata.truncateBefore());
        if (metadata.custom() != null) {
            body.add("custom", metadata.custom());
        }
        return StreamMetadata.of(
                send("PUT", "streams/" + segment(streamId) + "/metadata", body.build()).json());
    }

    /**
     * Deletes the stream (an admin's right). Soft: its reads answer 404 until the next append,
     * which continues its numbering. Hard: a tombstone, refused to every read and append, forever.
     *
     * @throws StreamNotFoundException when it does not exist
     * @throws StreamDeletedException when it was hard-deleted already
     */
    public void deleteStream(String streamId, boolean hard) {
        send("DELETE", "streams/" + segment(streamId) + (hard ? "?mode=hard" : ""), null);
    }

    // -------------------------------------------------------------- global log

    /** One page of the global log: events with a position greater than {@code after}. */
    public GlobalLogPage readAllPage(long after, int limit, LogFilter filter) {
        StringBuilder path = new StringBuilder("events?after=").append(after);
        path.append("&limit=").append(limit);
        if (filter.category() != null) {
            path.append("&category=").append(query(filter.category()));
        }
        if (filter.type() != null) {
            path.append("&type=").append(query(filter.type()));
        }
        if (storedForm) {
            path.append("&upcast=false");
        }
        JsonObject json = send("GET", path.toString(), null).json();
        return new GlobalLogPage(
                events(json.getJsonArray("events")),
                json.getJsonNumber("lastPosition").longValue());
    }

    /**
     * One page of the events matching {@code query} after {@code after} ({@code POST
     * /events/query}), in position order; pass {@link GlobalLogPage#lastPosition} as the next
     * {@code after}.
     *
     * @throws BadRequestException for a query the server refuses (the problem names the item)
     */
    public GlobalLogPage queryPage(EventQuery query, long after, int limit) {
        JsonObject body = query.toJson().add("after", after).add("limit", limit).build();
        JsonObject json = send("POST", "events/query", body).json();
        return new GlobalLogPage(
                events(json.getJsonArray("events")),
                json.getJsonNumber("lastPosition").longValue());
    }

    /**
     * The events matching {@code query} after {@code after}, up to the log's end as of the last
     * page read, fetched lazily; each matching committed event once, in increasing position.
     */
    public Stream<RecordedEvent> query(EventQuery query, long after) {
        return logPages(after, position -> queryPage(query, position, MAX_PAGE));
    }

    /**
     * The global log after {@code after}, up to its end as of the last page read, fetched lazily.
     * Every committed event appears exactly once, in increasing position.
     */
    public Stream<RecordedEvent> readAll(long after, LogFilter filter) {
        return readAll(after, filter, MAX_PAGE);
    }

    /** As {@link #readAll(long, LogFilter)}, {@code pageSize} events per request. */
    public Stream<RecordedEvent> readAll(long after, LogFilter filter, int pageSize) {
        return logPages(after, position -> readAllPage(position, pageSize, filter));
    }

    /**
     * The events of log pages read one after another from {@code after} by {@code page} (each from
     * the last position of the one before), until a page is empty.
     */
    private Stream<RecordedEvent> logPages(
            long after, java.util.function.LongFunction<GlobalLogPage> page) {
        return pages(
                new Object() {
                            long position = after;
                            boolean done;

                            List<RecordedEvent> next() {
                                if (done) {
                                    return null;
                                }
                                GlobalLogPage read = page.apply(position);
                                position = read.lastPosition();
                                done = read.events().isEmpty();
                                return read.events();
                            }
                        }
                        ::next);
    }

    /**
     * Follows the global log live: the events after {@code after}, then each new one as it commits,
     * forever. Polls every {@code pollInterval} while there is nothing new. End it by closing or
     * short-circuiting the stream ({@code limit}, {@code takeWhile}, {@code findFirst}) or by
     * interrupting the thread (the stream then ends, with the interrupt flag set).
     *
     * <p>A page that fails after the {@link RetryPolicy} ends the stream with its exception; use
     * {@link #follow(long, LogFilter, Duration, Duration, FollowListener)} to ride out outages.
     */
    public Stream<RecordedEvent> follow(long after, LogFilter filter, Duration pollInterval) {
        return following(after, filter, pollInterval, null, FollowListener.SILENT);
    }

    /**
     * As {@link #follow(long, LogFilter, Duration)}, but an outage does not end it: while the
     * server is unreachable, keeps answering 503, or answers 404/502/504 without being Arbor
     * (Payara while the application is undeployed or still deploying; a proxy), it waits
     * (exponential backoff with jitter, from half a second up to {@code maxBackoff}) and asks
     * again, forever, telling {@code listener} of each failed attempt and of the reconnection.
     * Nothing is lost or repeated across an outage: it resumes after the last position it
     * delivered. Problems that are Arbor's answers (400, 500, …) still end it with their exception.
     */
    public Stream<RecordedEvent> follow(
            long after,
            LogFilter filter,
            Duration pollInterval,
            Duration maxBackoff,
            FollowListener listener) {
        return following(
                after,
                filter,
                pollInterval,
                new RetryPolicy(
                        Integer.MAX_VALUE,
                        Duration.ofMillis(Math.min(500, maxBackoff.toMillis())),
                        maxBackoff),
                Objects.requireNonNull(listener, "listener"));
    }

    /** The follower; {@code reconnect} null: an outage ends it. */
    private Stream<RecordedEvent> following(
            long after,
            LogFilter filter,
            Duration pollInterval,
            RetryPolicy reconnect,
            FollowListener listener) {
        return pages(
                new Object() {
                            long position = after;
                            boolean caughtUp;
                            int failures;
                            long downSince;

                            List<RecordedEvent> next() {
                                while (true) {
                                    if (Thread.currentThread().isInterrupted()) {
                                        return null;
                                    }
                                    if (caughtUp && !sleep(pollInterval)) {
                                        return null;
                                    }
                                    GlobalLogPage page;
                                    try {
                                        page = readAllPage(position, MAX_PAGE, filter);
                                    } catch (ArborException e) {
                                        if (reconnect == null
                                                || Thread.currentThread().isInterrupted()
                                                || !isOutage(e)) {
                                            throw e;
                                        }
                                        if (failures++ == 0) {
                                            downSince = System.nanoTime();
                                        }
                                        Duration wait = reconnect.backoff(failures);
                                        listener.disconnected(e, failures, down(), wait);
                                        if (!sleep(wait)) {
                                            return null;
                                        }
                                        caughtUp = false;
                                        continue;
                                    }
                                    if (failures > 0) {
                                        listener.reconnected(failures, down());
                                        failures = 0;
                                    }
                                    position = page.lastPosition();
                                    caughtUp = page.events().size() < MAX_PAGE;
                                    if (!page.events().isEmpty()) {
                                        return page.events();
                                    }
                                }
                            }

                            Duration down() {
                                return Duration.ofNanos(System.nanoTime() - downSince);
                            }
                        }
                        ::next);
    }

    // ---------------------------------------------------------- subscriptions

    /**
     * Subscribes to the global log (api.md, "Live subscriptions"): every event after {@code after}
     * that matches {@code filter}, history first, then live as each commits, each exactly once and
     * in position order, handed to {@code listener} on the subscription's own thread, until the
     * returned subscription is closed. It rides out outages (the server restarting, its database
     * away, a dropped connection) by reconnecting with backoff up to {@link
     * Builder#reconnectBackoff} and resuming after the last position it processed; an answer that
     * is Arbor's own (400, 500) ends it ({@link SubscriptionListener#failed}).
     *
     * <pre>{@code
     * try (Subscription s = arbor.subscribe(LogFilter.category("account"), 0, event -> project(event))) {
     *     ...
     * }
     * }</pre>
     */
    public Subscription subscribe(LogFilter filter, long after, SubscriptionListener listener) {
        StringBuilder path = new StringBuilder("events/subscribe?after=").append(after);
        if (filter.category() != null) {
            path.append("&category=").append(query(filter.category()));
        }
        if (filter.type() != null) {
            path.append("&type=").append(query(filter.type()));
        }
        return subscription(path.toString(), false, after, listener, "log " + filter);
    }

    /**
     * Subscribes to one stream: its events after version {@code afterVersion}, history then live,
     * each once and in version order, as {@link #subscribe} does for the log. A stream that does
     * not exist ends it at once with {@link StreamNotFoundException} ({@link
     * SubscriptionListener#failed}).
     */
    public Subscription subscribeToStream(
            String streamId, long afterVersion, SubscriptionListener listener) {
        return subscription(
                "streams/" + segment(streamId) + "/subscribe?after=" + afterVersion,
                true,
                afterVersion,
                listener,
                "stream " + streamId);
    }

    private Subscription subscription(
            String path, boolean stream, long after, SubscriptionListener listener, String name) {
        Objects.requireNonNull(listener, "listener");
        URI uri = base.resolve(path);
        return new Subscription(
                        http,
                        position -> {
                            HttpRequest.Builder request =
                                    HttpRequest.newBuilder(uri)
                                            // Bounds the wait for the answer's head only; the
                                            // stream itself is watched by the idle timeout.
                                            .timeout(requestTimeout)
                                            .header(
                                                    "Accept",
                                                    "text/event-stream, application/problem+json")
                                            .GET();
                            authorize(request);
                            if (position != after) {
                                // The server prefers it to ?after: where this client got to.
                                request.header("Last-Event-ID", Long.toString(position));
                            }
                            return request.build();
                        },
                        stream,
                        after,
                        listener,
                        reconnectBackoff,
                        idleTimeout,
                        name)
                .start();
    }

    /**
     * Whether a failure means "Arbor is not there right now" rather than "Arbor said no": the
     * retries ran out, any 502/503/504, or a 404 that is not problem+json (Payara's page for an
     * application that is not deployed; Arbor's own 404s are problem+json).
     */
    static boolean isOutage(ArborException e) {
        if (e instanceof ArborUnavailableException) {
            return true;
        }
        if (e instanceof ArborProblemException problem) {
            int status = problem.status();
            return status == 502
                    || status == 503
                    || status == 504
                    || (status == 404 && !problem.problemJson());
        }
        return false;
    }

    /**
     * {@link #isOutage}, or a 5xx page that is not problem+json: Payara's own, not Arbor's answer;
     * Payara serves one now and then while it boots (docs/fault-suite.md, "a 500 page while
     * booting"), and what follows the server across restarts (a subscription, a group consumer)
     * must outlive the restart.
     */
    static boolean isOutageOrBootPage(ArborException e) {
        return isOutage(e)
                || (e instanceof ArborProblemException problem
                        && problem.status() >= 500
                        && !problem.problemJson());
    }

    /**
     * The last {@code n} events of the global log after {@code after} (all of them when there are
     * fewer), in position order, without reading the log from {@code after} to its end: it bisects
     * {@code after} for the greatest position that still has {@code n} events beyond it, about
     * 2·log2(end − after) requests of at most {@code n} events each. Events that commit meanwhile
     * may or may not be included; a follower started after the last one returned misses none.
     *
     * @param n 1 to 1,000
     */
    public List<RecordedEvent> lastEvents(long after, LogFilter filter, int n) {
        return lastEvents(after, n, (position, limit) -> readAllPage(position, limit, filter));
    }

    /** A global-log page reader: the events after {@code position}, at most {@code limit}. */
    interface PageReader {
        GlobalLogPage read(long position, int limit);
    }

    static List<RecordedEvent> lastEvents(long after, int n, PageReader log) {
        if (n < 1 || n > MAX_PAGE) {
            throw new IllegalArgumentException("n is 1 to " + MAX_PAGE);
        }
        // Invariant: the page after lo is full (n events); the page after hi is not.
        List<RecordedEvent> best = log.read(after, n).events();
        if (best.size() < n) {
            return best;
        }
        long lo = after;
        long hi;
        long step = Math.max(1024, n);
        while (true) {
            long from = best.get(best.size() - 1).globalPosition();
            hi = step > Long.MAX_VALUE - from ? Long.MAX_VALUE : from + step;
            List<RecordedEvent> page = log.read(hi, n).events();
            if (page.size() < n) {
                break;
            }
            lo = hi;
            best = page;
            step = step > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : step * 2;
        }
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            List<RecordedEvent> page = log.read(mid, n).events();
            if (page.size() == n) {
                lo = mid;
                best = page;
            } else {
                hi = mid;
            }
        }
        return best;
    }

    /**
     * One event by its id ({@code GET /events/{eventId}}, beyond api.md).
     *
     * @throws EventNotFoundException when no event has that id
     */
    public RecordedEvent event(UUID eventId) {
        return event(
                send("GET", "events/" + eventId + (storedForm ? "?upcast=false" : ""), null)
                        .json());
    }

    // ---------------------------------------------------------------- streams

    /**
     * One page of the stream listing ({@code GET /streams}, beyond api.md): streams in id order
     * after {@code after} (null: from the start), optionally of one category.
     *
     * @return the page's streams; the next page starts after the last one's id
     */
    public List<StreamSummary> listStreamsPage(String category, String after, int limit) {
        StringBuilder path = new StringBuilder("streams?limit=").append(limit);
        if (category != null) {
            path.append("&category=").append(query(category));
        }
        if (after != null) {
            path.append("&after=").append(query(after));
        }
        JsonArray streams = send("GET", path.toString(), null).json().getJsonArray("streams");
        List<StreamSummary> result = new ArrayList<>(streams.size());
        for (JsonValue value : streams) {
            JsonObject json = value.asJsonObject();
            result.add(
                    new StreamSummary(
                            json.getString("streamId"),
                            json.getString("category"),
                            json.getJsonNumber("version").longValue(),
                            Instant.parse(json.getString("createdAt")),
                            Instant.parse(json.getString("updatedAt"))));
        }
        return result;
    }

    /** Every stream (of {@code category}, or all when null) in id order, fetched lazily. */
    public Stream<StreamSummary> listStreams(String category) {
        return pages(
                new Object() {
                            String after;
                            boolean done;

                            List<StreamSummary> next() {
                                if (done) {
                                    return null;
                                }
                                List<StreamSummary> page =
                                        listStreamsPage(category, after, MAX_PAGE);
                                done = page.size() < MAX_PAGE;
                                if (!page.isEmpty()) {
                                    after = page.get(page.size() - 1).streamId();
                                }
                                return page;
                            }
                        }
                        ::next);
    }

    // -------------------------------------------------------------- snapshots

    /**
     * Saves a snapshot of a stream at {@code version} (1 to the stream's version).
     *
     * @throws StreamNotFoundException when the stream does not exist
     * @throws SnapshotBeyondHeadException when {@code version} is past the stream's head
     */
    public Snapshot saveSnapshot(String streamId, long version, String type, JsonObject data) {
        JsonObject body =
                Json.createObjectBuilder()
                        .add("version", version)
                        .add("type", type)
                        .add("data", data)
                        .build();
        return snapshot(send("PUT", "streams/" + segment(streamId) + "/snapshot", body).json());
    }

    /**
     * The stream's latest snapshot (the highest version saved).
     *
     * @throws SnapshotNotFoundException when it has none
     * @throws StreamNotFoundException when the stream does not exist
     */
    public Snapshot latestSnapshot(String streamId) {
        return snapshot(send("GET", "streams/" + segment(streamId) + "/snapshot", null).json());
    }

    /** The category of a stream id: the part before its first {@code -} (api.md). */
    public static String categoryOf(String streamId) {
        int dash = streamId.indexOf('-');
        return dash < 0 ? streamId : streamId.substring(0, dash);
    }

    // ---------------------------------------------------------- consumer groups

    /**
     * Creates a consumer group, or changes its settings (docs/consumer-groups.md). A PUT replaces
     * every setting; {@code startFrom} counts only when the group is created (then {@link
     * #resetGroup}).
     *
     * @throws GroupFilterChangedException when the group exists with another filter
     * @throws BadRequestException for an invalid name or setting
     */
    public GroupPutResult putGroup(String group, GroupSettings settings) {
        JsonObjectBuilder body = Json.createObjectBuilder();
        if (settings.filter() != null) {
            JsonObjectBuilder filter = Json.createObjectBuilder();
            addIfPresent(filter, "category", settings.filter().category());
            addIfPresent(filter, "type", settings.filter().type());
            addIfPresent(filter, "streamId", settings.filter().streamId());
            body.add("filter", filter);
        }
        if (settings.startFrom() != null) {
            body.add("startFrom", settings.startFrom().toJson());
        }
        addIfPresent(
                body, "strategy", settings.strategy() == null ? null : settings.strategy().wire());
        addIfPresent(body, "maxRetries", settings.maxRetries());
        addIfPresent(body, "ackTimeoutSeconds", settings.ackTimeoutSeconds());
        addIfPresent(body, "maxInFlight", settings.maxInFlight());
        Reply reply = send("PUT", groupPath(group, ""), body.build());
        return new GroupPutResult(reply.status() == 201, groupStatus(reply.json()));
    }

    /**
     * A consumer group's settings, checkpoint, lag and live consumers.
     *
     * @throws GroupNotFoundException when there is no such group
     */
    public GroupStatus group(String group) {
        return groupStatus(send("GET", groupPath(group, ""), null).json());
    }

    /** Every consumer group, by name. */
    public List<GroupStatus> listGroups() {
        JsonArray groups = send("GET", "subscriptions", null).json().getJsonArray("groups");
        List<GroupStatus> result = new ArrayList<>(groups.size());
        for (JsonValue value : groups) {
            result.add(groupStatus(value.asJsonObject()));
        }
        return result;
    }

    /**
     * Deletes a consumer group with its leases and parked events.
     *
     * @throws GroupNotFoundException when there is no such group
     */
    public void deleteGroup(String group) {
        send("DELETE", groupPath(group, ""), null);
    }

    /**
     * Leases up to {@code max} events of the group to {@code consumer}, waiting up to {@code
     * waitSeconds} for the first (a long poll; the request's timeout is the client's plus that
     * wait). Ack or nack each before the group's {@code ackTimeoutSeconds}, else it is delivered
     * again. For a group's consumer loop, see {@link #groupConsumer}.
     *
     * @param max 1 to 1,000
     * @param waitSeconds 0 (answer at once) to 60
     * @return the leased events, in the order the server chose them; empty when none came in time
     * @throws GroupNotFoundException when there is no such group
     */
    public List<Delivery> fetch(String group, String consumer, int max, int waitSeconds) {
        JsonObject body =
                Json.createObjectBuilder()
                        .add("consumer", consumer)
                        .add("max", max)
                        .add("waitSeconds", waitSeconds)
                        .build();
        JsonArray events =
                send(
                                "POST",
                                groupPath(group, "/fetch"),
                                body,
                                requestTimeout.plusSeconds(Math.max(0, waitSeconds)))
                        .json()
                        .getJsonArray("events");
        List<Delivery> result = new ArrayList<>(events.size());
        for (JsonValue value : events) {
            JsonObject json = value.asJsonObject();
            result.add(new Delivery(event(json), json.getInt("deliveryAttempt")));
        }
        return result;
    }

    /**
     * Acknowledges events leased to {@code consumer}: they are done.
     *
     * @param eventIds 1 to 1,000 distinct ids
     * @return how many were acked
     * @throws LeaseNotHeldException when one is not leased to the consumer (nothing acked)
     */
    public int ack(String group, String consumer, Collection<UUID> eventIds) {
        return send("POST", groupPath(group, "/ack"), lease(consumer, eventIds).build())
                .json()
                .getInt("acked");
    }

    /**
     * Gives back events leased to {@code consumer}: to be delivered again, parked or skipped.
     *
     * @return how many were nacked
     * @throws LeaseNotHeldException when one is not leased to the consumer (nothing nacked)
     */
    public int nack(String group, String consumer, Collection<UUID> eventIds, NackAction action) {
        JsonObject body = lease(consumer, eventIds).add("action", action.wire()).build();
        return send("POST", groupPath(group, "/nack"), body).json().getInt("nacked");
    }

    /**
     * One page of a group's parked events, in position order: those after position {@code after},
     * at most {@code limit} (1 to 1,000).
     */
    public ParkedPage parkedPage(String group, long after, int limit) {
        JsonObject json =
                send("GET", groupPath(group, "/parked?after=" + after + "&limit=" + limit), null)
                        .json();
        List<ParkedEvent> events = new ArrayList<>();
        for (JsonValue value : json.getJsonArray("events")) {
            JsonObject parked = value.asJsonObject();
            events.add(
                    new ParkedEvent(
                            event(parked),
                            parked.getInt("deliveryAttempt"),
                            Instant.parse(parked.getString("parkedAt")),
                            parked.getString("parkReason")));
        }
        JsonValue next = json.get("next");
        return new ParkedPage(
                events,
                next instanceof JsonNumber n
                        ? OptionalLong.of(n.longValue())
                        : OptionalLong.empty());
    }

    /** Every parked event of a group, in position order, fetched lazily a page at a time. */
    public Stream<ParkedEvent> parked(String group) {
        return pages(
                new Object() {
                            OptionalLong after = OptionalLong.of(0);

                            List<ParkedEvent> next() {
                                if (after.isEmpty()) {
                                    return null;
                                }
                                ParkedPage page = parkedPage(group, after.getAsLong(), MAX_PAGE);
                                after = page.next();
                                return page.events();
                            }
                        }
                        ::next);
    }

    /**
     * Makes every parked event of the group pending again; they are delivered before newer ones.
     *
     * @return how many were replayed
     */
    public int replayParked(String group) {
        return send("POST", groupPath(group, "/parked/replay"), null).json().getInt("replayed");
    }

    /**
     * Moves a group to {@code to}: leases and pending deliveries are dropped (their acks then
     * answer {@link LeaseNotHeldException}), parked events above the new position leave the parked
     * list, and delivery resumes after it. Rebuilding a read model is a reset to {@link
     * LogPoint#BEGINNING}.
     */
    public GroupStatus resetGroup(String group, LogPoint to) {
        JsonObject body = Json.createObjectBuilder().add("to", to.toJson()).build();
        return groupStatus(send("POST", groupPath(group, "/reset"), body).json());
    }

    /**
     * Asks for a scavenge of the caller's tenant (an admin's call): a job that removes the events
     * that lifecycle rules hide, in short batches. Answers the new job, or the tenant's queued or
     * running job when it has one; follow it with {@link #scavengeJob}.
     */
    public ScavengeJob requestScavenge() {
        return scavengeJob(send("POST", "admin/scavenge", null).json());
    }

    /**
     * A scavenge job of the caller's tenant.
     *
     * @throws ArborProblemException (404, {@code urn:arbor:problem:scavenge-job-not-found}) when
     *     the tenant has no such job
     */
    public ScavengeJob scavengeJob(UUID jobId) {
        return scavengeJob(send("GET", "admin/scavenge/" + jobId, null).json());
    }

    /** The caller's tenant's latest {@code limit} (1 to 100) scavenge jobs, latest first. */
    public List<ScavengeJob> scavengeJobs(int limit) {
        JsonArray jobs =
                send("GET", "admin/scavenge?limit=" + limit, null).json().getJsonArray("jobs");
        List<ScavengeJob> result = new ArrayList<>(jobs.size());
        for (JsonValue value : jobs) {
            result.add(scavengeJob(value.asJsonObject()));
        }
        return result;
    }

    private static ScavengeJob scavengeJob(JsonObject json) {
        return new ScavengeJob(
                UUID.fromString(json.getString("jobId")),
                json.getString("state"),
                Instant.parse(json.getString("requestedAt")),
                optionalInstant(json, "startedAt"),
                optionalInstant(json, "finishedAt"),
                json.getJsonNumber("streamsScanned").longValue(),
                json.isNull("streamsRemaining")
                        ? null
                        : json.getJsonNumber("streamsRemaining").longValue(),
                json.getJsonNumber("eventsRemoved").longValue(),
                json.getJsonNumber("snapshotsRemoved").longValue(),
                json.getJsonNumber("batches").longValue(),
                json.isNull("failure") ? null : json.getString("failure"));
    }

    /**
     * The archive catalogue: every range of the global log, where its events are (an admin's call).
     */
    public ArchiveCatalogue archiveCatalogue() {
        JsonObject json = send("GET", "admin/archive", null).json();
        List<ArchiveRange> ranges = new ArrayList<>();
        for (JsonValue value : json.getJsonArray("ranges")) {
            JsonObject range = value.asJsonObject();
            ranges.add(
                    new ArchiveRange(
                            range.getJsonNumber("from").longValue(),
                            range.getJsonNumber("to").longValue(),
                            range.getString("state"),
                            optionalInstant(range, "stateChangedAt"),
                            optionalLong(range, "events"),
                            optionalLong(range, "bytes"),
                            range.isNull("sha256") ? null : range.getString("sha256"),
                            optionalInstant(range, "maxRecordedAt")));
        }
        return new ArchiveCatalogue(
                json.getBoolean("configured"),
                json.isNull("dir") ? null : json.getString("dir"),
                json.getJsonNumber("graceSeconds").longValue(),
                ranges);
    }

    /**
     * Starts an archiver run (an admin's call): the sealed, hashed ranges ending at or below {@code
     * belowPosition} (null: those older than the server's {@code arbor.archive.older-than-days}) go
     * to the archive, and a grace later their partitions are dropped. Follow it with {@link
     * #archiveJob}.
     *
     * @throws ArborProblemException (409, {@code urn:arbor:problem:archive-not-configured}) when
     *     the server has no archive directory
     */
    public ArchiveJob runArchiver(Long belowPosition) {
        JsonObject body =
                belowPosition == null
                        ? null
                        : Json.createObjectBuilder().add("belowPosition", belowPosition).build();
        return archiveJob(send("POST", "admin/archive", body).json());
    }

    /**
     * Starts the restore of the range starting at {@code from} into PostgreSQL (an admin's call).
     */
    public ArchiveJob restoreArchivedRange(long from) {
        JsonObject body = Json.createObjectBuilder().add("from", from).build();
        return archiveJob(send("POST", "admin/archive/restore", body).json());
    }

    /**
     * An archiver job.
     *
     * @throws ArborProblemException (404, {@code urn:arbor:problem:archive-job-not-found})
     */
    public ArchiveJob archiveJob(UUID jobId) {
        return archiveJob(send("GET", "admin/archive/" + jobId, null).json());
    }

    private static ArchiveJob archiveJob(JsonObject json) {
        return new ArchiveJob(
                UUID.fromString(json.getString("jobId")),
                json.getString("kind"),
                json.getString("state"),
                optionalLong(json, "position"),
                Instant.parse(json.getString("requestedAt")),
                optionalInstant(json, "finishedAt"),
                json.getInt("archived"),
                json.getInt("detached"),
                json.getInt("restored"),
                json.getInt("skipped"),
                json.getJsonNumber("events").longValue(),
                json.isNull("failure") ? null : json.getString("failure"));
    }

    private static Long optionalLong(JsonObject json, String name) {
        return json.isNull(name) ? null : json.getJsonNumber(name).longValue();
    }

    private static Instant optionalInstant(JsonObject json, String name) {
        return json.isNull(name) ? null : Instant.parse(json.getString(name));
    }

    /**
     * A {@link GroupConsumer} for one consumer of a group: a thread that fetches, hands each event
     * to a handler, acks what it handled and nacks what it could not.
     *
     * <pre>{@code
     * try (GroupConsumer c = arbor.groupConsumer("projector", "worker-1").start(d -> project(d.event()))) {
     *     ...
     * }
     * }</pre>
     */
    public GroupConsumer.Builder groupConsumer(String group, String consumer) {
        return new GroupConsumer.Builder(this, group, consumer);
    }

    /** The retries of this client's requests, which a {@link GroupConsumer} also waits by. */
    RetryPolicy retryPolicy() {
        return retry;
    }

    private static String groupPath(String group, String rest) {
        return "subscriptions/" + segment(group) + rest;
    }

    private static JsonObjectBuilder lease(String consumer, Collection<UUID> eventIds) {
        JsonArrayBuilder ids = Json.createArrayBuilder();
        eventIds.forEach(id -> ids.add(id.toString()));
        return Json.createObjectBuilder().add("consumer", consumer).add("eventIds", ids);
    }

    private static void addIfPresent(JsonObjectBuilder json, String name, String value) {
        if (value != null) {
            json.add(name, value);
        }
    }

    private static void addIfPresent(JsonObjectBuilder json, String name, Integer value) {
        if (value != null) {
            json.add(name, value);
        }
    }

    private static void addIfPresent(JsonObjectBuilder json, String name, Long value) {
        if (value != null) {
            json.add(name, value);
        }
    }

    private static GroupStatus groupStatus(JsonObject json) {
        JsonObject filter = json.getJsonObject("filter");
        List<ConsumerStatus> consumers = new ArrayList<>();
        for (JsonValue value : json.getJsonArray("consumers")) {
            JsonObject consumer = value.asJsonObject();
            consumers.add(
                    new ConsumerStatus(
                            consumer.getString("consumer"),
                            consumer.getInt("inFlight"),
                            Instant.parse(consumer.getString("lastSeen"))));
        }
        return new GroupStatus(
                json.getString("group"),
                new GroupFilter(
                        filter.getString("category", null),
                        filter.getString("type", null),
                        filter.getString("streamId", null)),
                DeliveryStrategy.of(json.getString("strategy")),
                json.getInt("maxRetries"),
                json.getInt("ackTimeoutSeconds"),
                json.getInt("maxInFlight"),
                json.getJsonNumber("checkpoint").longValue(),
                json.getJsonNumber("headPosition").longValue(),
                json.getJsonNumber("lag").longValue(),
                json.getJsonNumber("inFlight").longValue(),
                json.getJsonNumber("parked").longValue(),
                consumers,
                Instant.parse(json.getString("createdAt")));
    }

    // ------------------------------------------------------------- internals

    private record Reply(int status, String body) {
        JsonObject json() {
            return parse(body);
        }
    }

    private Reply send(String method, String path, JsonObject body) {
        return send(method, path, body, requestTimeout);
    }

    private Reply send(String method, String path, JsonObject body, Duration timeout) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(timeout)
                        .header("Accept", "application/json, application/problem+json");
        if (bypassCache && body == null) {
            builder.header("Cache-Control", "no-cache");
        }
        authorize(builder);
        if (body != null) {
            builder.header("Content-Type", "application/json")
                    .method(
                            method,
                            HttpRequest.BodyPublishers.ofString(
                                    body.toString(), StandardCharsets.UTF_8));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpRequest request = builder.build();
        Exception last = null;
        for (int attempt = 1; ; attempt++) {
            Duration wait = null;
            try {
                HttpResponse<String> response =
                        http.send(
                                request,
                                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                observer.accept(request, response);
                int status = response.statusCode();
                if (status < 300) {
                    return new Reply(status, response.body());
                }
                ArborProblemException problem =
                        problem(status, response.body())
                                .withRetryAfter(
                                        response.headers().firstValue("Retry-After").orElse(null));
                if (status != 503) {
                    throw problem;
                }
                last = problem;
                wait = retryAfter(response);
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ArborUnavailableException(
                        "interrupted during " + method + " " + request.uri(), attempt, e);
            }
            if (attempt >= retry.maxAttempts()) {
                String why =
                        last instanceof ArborProblemException p
                                ? "answered 503: " + p.problem().detail()
                                : "unreachable: " + last;
                throw new ArborUnavailableException(
                        method + " " + request.uri() + " " + why, attempt, last);
            }
            Duration backoff = retry.backoff(attempt);
            if (wait != null
                    && wait.compareTo(backoff) > 0
                    && wait.compareTo(retry.maxBackoff()) <= 0) {
                backoff = wait;
            }
            if (!sleep(backoff)) {
                throw new ArborUnavailableException(
                        "interrupted during " + method + " " + request.uri(), attempt, last);
            }
        }
    }

    /**
     * Adds {@code Authorization: Bearer} when there is a token; asked for each request, so a
     * subscription's reconnection sends the token of that moment.
     */
    private void authorize(HttpRequest.Builder request) {
        String bearer = token.get();
        if (bearer != null && !bearer.isBlank()) {
            request.header("Authorization", "Bearer " + bearer.strip());
        }
    }

    /** The server's Retry-After in seconds, when it sent one. */
    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers()
                .firstValue("Retry-After")
                .filter(v -> v.chars().allMatch(Character::isDigit) && !v.isEmpty())
                .map(v -> Duration.ofSeconds(Long.parseLong(v)))
                .orElse(null);
    }

    static ArborProblemException problem(int status, String body) {
        JsonObject json;
        try {
            json = parse(body);
        } catch (JsonException | IllegalStateException e) {
            // Not problem+json (a proxy's HTML page, an empty body): keep what there is.
            json =
                    Json.createObjectBuilder()
                            .add("type", "urn:arbor:problem:http-" + status)
                            .add("title", "HTTP " + status)
                            .add("status", status)
                            .add("detail", body.length() > 500 ? body.substring(0, 500) : body)
                            .build();
            Problem problem = Problem.from(status, json);
            return status == 400
                    ? new BadRequestException(problem, false)
                    : new ArborProblemException(problem, false);
        }
        return ArborProblemException.of(Problem.from(status, json));
    }

    private static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Parses one JSON object (e.g. a line of an NDJSON export). */
    public static JsonObject parseObject(String text) {
        return parse(text);
    }

    static JsonObject parse(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    private static List<RecordedEvent> events(JsonArray array) {
        List<RecordedEvent> events = new ArrayList<>(array.size());
        for (JsonValue value : array) {
            events.add(event(value.asJsonObject()));
        }
        return events;
    }

    /** Reads one EVENT object (api.md) as the server sends it or as an NDJSON export holds it. */
    public static RecordedEvent event(JsonObject json) {
        JsonValue metadata = json.get("metadata");
        return new RecordedEvent(
                UUID.fromString(json.getString("eventId")),
                json.getString("streamId"),
                json.getJsonNumber("version").longValue(),
                json.getJsonNumber("globalPosition").longValue(),
                json.getString("type"),
                json.getInt("schemaVersion", 1),
                json.getJsonObject("data"),
                metadata instanceof JsonObject object ? object : JsonValue.EMPTY_JSON_OBJECT,
                json.get("tags") instanceof JsonArray tags
                        ? tags.getValuesAs(JsonString.class).stream()
                                .map(JsonString::getString)
                                .toList()
                        : List.of(),
                Instant.parse(json.getString("recordedAt")),
                json.getString("writtenBy", null),
                json.getString("hash", null));
    }

    /**
     * Writes one event as the EVENT object of api.md (the inverse of {@link #event(JsonObject)}).
     */
    public static JsonObject toJson(RecordedEvent event) {
        JsonObjectBuilder json =
                Json.createObjectBuilder()
                        .add("eventId", event.eventId().toString())
                        .add("streamId", event.streamId())
                        .add("version", event.version())
                        .add("globalPosition", event.globalPosition())
                        .add("type", event.type())
                        .add("schemaVersion", event.schemaVersion())
                        .add("data", event.data())
                        .add("metadata", event.metadata())
                        .add("tags", Json.createArrayBuilder(event.tags()))
                        .add("recordedAt", event.recordedAt().toString());
        if (event.writtenBy() != null) {
            json.add("writtenBy", event.writtenBy());
        }
        if (event.hash() != null) {
            json.add("hash", event.hash());
        }
        return json.build();
    }

    private static Snapshot snapshot(JsonObject json) {
        return new Snapshot(
                json.getString("streamId"),
                json.getJsonNumber("version").longValue(),
                json.getString("type"),
                json.getJsonObject("data"),
                Instant.parse(json.getString("createdAt")));
    }

    /**
     * A stream id as one path segment; ids are [A-Za-z0-9._:@-] but a bad one must stay one. A
     * segment of dots is percent-encoded too: {@code .} and {@code ..} are legal ids, and a URI
     * resolver removes them as dot segments ({@code streams/../events} became the global log, and
     * {@code arbor verify} died on it; issue 13). The server decodes {@code %2E} back to the dot.
     */
    static String segment(String streamId) {
        String encoded = URLEncoder.encode(streamId, StandardCharsets.UTF_8).replace("+", "%20");
        return encoded.chars().allMatch(c -> c == '.') ? encoded.replace(".", "%2E") : encoded;
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A lazy stream over pages; {@code next} returns null (or an empty list) at the end. */
    private static <T> Stream<T> pages(Supplier<List<T>> next) {
        Iterator<T> iterator =
                new Iterator<>() {
                    Iterator<T> page = List.<T>of().iterator();
                    boolean ended;

                    @Override
                    public boolean hasNext() {
                        while (!page.hasNext() && !ended) {
                            List<T> items = next.get();
                            if (items == null || items.isEmpty()) {
                                ended = true;
                            } else {
                                page = items.iterator();
                            }
                        }
                        return page.hasNext();
                    }

                    @Override
                    public T next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        return page.next();
                    }
                };
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(
                        iterator, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }

    /** Options of an {@link ArborClient}. */
    public static final class Builder {
        private final URI baseUrl;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private boolean bypassCache;
        private boolean storedForm;
        private BiConsumer<HttpRequest, HttpResponse<String>> observer = (request, response) -> {};
        private Duration reconnectBackoff = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(45);
        private Supplier<String> token;

        private Builder(URI baseUrl) {
            token(System.getenv("ARBOR_TOKEN"));
            String path = baseUrl.getPath();
            this.baseUrl =
                    path == null || path.isEmpty() || path.equals("/")
                            ? baseUrl.resolve("/arbor/api")
                            : baseUrl;
        }

        /** Time to open a connection (default 5 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Time for one request's answer (default 30 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Retries after 503 and connection failures (default {@link RetryPolicy#DEFAULT}). */
        public Builder retry(RetryPolicy policy) {
            this.retry = Objects.requireNonNull(policy);
            return this;
        }

        /**
         * Reads send {@code Cache-Control: no-cache}, so the server answers from PostgreSQL, not
         * its hot cache (default false). For tools that check what the database holds ({@code
         * verify}).
         */
        public Builder bypassCache(boolean bypass) {
            this.bypassCache = bypass;
            return this;
        }

        /**
         * Reads of streams, of the global log and of an event by id ask for events as stored
         * ({@code upcast=false}), not upcast to their types' latest schema versions (default
         * false). For tools that recompute hash chains ({@code verify}) or copy a store ({@code
         * export}).
         */
        public Builder storedForm(boolean stored) {
            this.storedForm = stored;
            return this;
        }

        /**
         * Called with every answer the server gives, before the client interprets it (retried
         * attempts included), e.g. to log them. Arbor's integration tests check each one against
         * the server's {@code /openapi}. An exception it throws ends the call.
         */
        public Builder observer(BiConsumer<HttpRequest, HttpResponse<String>> observer) {
            this.observer = Objects.requireNonNull(observer);
            return this;
        }

        /**
         * A subscription's longest wait between two reconnection attempts (default 10 s); the first
         * waits are shorter, from half a second doubling, with jitter.
         */
        public Builder reconnectBackoff(Duration max) {
            if (max.isNegative() || max.isZero()) {
                throw new IllegalArgumentException("reconnectBackoff must be positive");
            }
            this.reconnectBackoff = max;
            return this;
        }

        /**
         * How long a subscription's connection may bring nothing before it is taken for dead and
         * replaced (default 45 s: three of the server's 15 s heartbeats).
         */
        public Builder subscriptionIdleTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("subscriptionIdleTimeout must be positive");
            }
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * The bearer token sent with every request (a JWT; {@code bin/arbor token} mints one for a
         * development server). Default: the environment variable {@code ARBOR_TOKEN}; null or
         * blank: no {@code Authorization} header (a server with {@code
         * arbor.security.enabled=false}).
         */
        public Builder token(String token) {
            return tokenSupplier(() -> token);
        }

        /**
         * Where each request gets its bearer token (null or blank: none), asked before every
         * request and every reconnection of a subscription: for tokens that expire while a
         * subscription or a {@link GroupConsumer} runs, e.g. an identity provider's.
         */
        public Builder tokenSupplier(Supplier<String> tokens) {
            this.token = Objects.requireNonNull(tokens);
            return this;
        }

        public ArborClient build() {
            return new ArborClient(this);
        }
    }

    @Override
    public String toString() {
        return "ArborClient[" + base + "]";
    }
}
