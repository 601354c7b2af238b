package io.arbor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's own logic against a scripted local HTTP server: error mapping, retries, paging and
 * the request it sends. (Its behaviour against the real server is ClientIT's.)
 */
class ArborClientTest {
    private static final RetryPolicy FAST =
            new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(5));

    private HttpServer server;
    private final Queue<String[]> replies = new ConcurrentLinkedQueue<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    /** Scripts the next answer: status, content type, body. */
    private void reply(int status, String body) {
        reply(status, body, null);
    }

    /** Scripts the next answer, with a Retry-After header unless {@code retryAfter} is null. */
    private void reply(int status, String body, String retryAfter) {
        replies.add(
                new String[] {
                    Integer.toString(status),
                    status >= 400 ? "application/problem+json" : "application/json",
                    body,
                    retryAfter
                });
    }

    private ArborClient client() throws IOException {
        return client(options -> options);
    }

    /** A client of the scripted server, built with {@code options} beside the fast retries. */
    private ArborClient client(UnaryOperator<ArborClient.Builder> options) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                (HttpExchange exchange) -> {
                    requests.add(
                            exchange.getRequestMethod()
                                    + " "
                                    + exchange.getRequestURI()
                                    + " "
                                    + exchange.getProtocol());
                    authorizations.add(
                            String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                    bodies.add(
                            new String(
                                    exchange.getRequestBody().readAllBytes(),
                                    StandardCharsets.UTF_8));
                    String[] next = replies.poll();
                    if (next == null) {
                        next = new String[] {"500", "text/plain", "unscripted"};
                    }
                    byte[] body = next[2].getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", next[1]);
                    if (next.length > 3 && next[3] != null) {
                        exchange.getResponseHeaders().add("Retry-After", next[3]);
                    }
                    exchange.sendResponseHeaders(Integer.parseInt(next[0]), body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
        server.start();
        return options.apply(
                        ArborClient.builder(
                                        URI.create(
                                                "http://127.0.0.1:"
                                                        + server.getAddress().getPort()))
                                .retry(FAST))
                .build();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static String problem(int status, String kind, String extra) {
        return "{\"type\":\"urn:arbor:problem:"
                + kind
                + "\",\"title\":\"t\",\"status\":"
                + status
                + ",\"detail\":\"d\""
                + extra
                + "}";
    }

    @Test
    void anExportLineWithNumbersAsPostgresqlPrintsThemAndDeepDataIsRead() {
        String big = "1" + "0".repeat(1200);
        String deep = "[".repeat(1000) + "]".repeat(1000);
        var line =
                ArborClient.parseObject(
                        "{\"data\":{\"huge\":"
                                + big
                                + ",\"tiny\":-0."
                                + "0".repeat(1199)
                                + "1},"
                                + "\"metadata\":{\"deep\":"
                                + deep
                                + "}}");
        assertEquals(
                new java.math.BigDecimal(big),
                line.getJsonObject("data").getJsonNumber("huge").bigDecimalValue());
        assertTrue(line.getJsonObject("metadata").toString().endsWith(deep + "}"));
    }

    @Test
    void anEventKeepsItsWriterTagsAndHashThroughExportAndBack() {
        jakarta.json.JsonObject stored =
                Json.createObjectBuilder()
                        .add("eventId", UUID.randomUUID().toString())
                        .add("streamId", "account-1")
                        .add("version", 1)
                        .add("globalPosition", 7)
                        .add("type", "Opened")
                        .add("schemaVersion", 1)
                        .add("data", Json.createObjectBuilder().add("owner", "ada"))
                        .add("metadata", Json.createObjectBuilder())
                        .add("tags", Json.createArrayBuilder().add("account:1").add("vip"))
                        .add("recordedAt", "2026-12-06T03:00:00Z")
                        .add("writtenBy", "ada@example")
                        .add("hash", "ab".repeat(32))
                        .build();
        RecordedEvent event = ArborClient.event(stored);
        assertEquals("ada@example", event.writtenBy());
        assertEquals(java.util.List.of("account:1", "vip"), event.tags());
        assertEquals(event.tags(), NewEvent.copyOf(event).tags());
        assertEquals("ab".repeat(32), event.hash());
        assertEquals(stored, ArborClient.toJson(event));
        RecordedEvent anonymous =
                ArborClient.event(Json.createObjectBuilder(stored).remove("writtenBy").build());
        assertEquals(null, anonymous.writtenBy());
        assertFalse(ArborClient.toJson(anonymous).containsKey("writtenBy"));
    }

    @Test
    void appendSendsClientIdsAndExpectedVersionOverHttp11() throws IOException {
        ArborClient arbor = client();
        reply(
                201,
                "{\"streamId\":\"a-1\",\"fromVersion\":1,\"toVersion\":1,\"fromPosition\":7,\"toPosition\":7}");
        NewEvent event =
                NewEvent.of("Opened", Json.createObjectBuilder().add("n", 1).build())
                        .withMetadata(Json.createObjectBuilder().add("by", "test").build());
        AppendResult result = arbor.append("a-1", ExpectedVersion.exactly(0), event);
        assertEquals(new AppendResult("a-1", 1, 1, 7, 7, false), result);
        assertEquals("POST /arbor/api/streams/a-1/events HTTP/1.1", requests.get(0));
        var sent = ArborClient.parse(bodies.get(0));
        assertEquals(0, sent.getInt("expectedVersion"));
        var json = sent.getJsonArray("events").getJsonObject(0);
        assertEquals(event.eventId().toString(), json.getString("eventId"));
        assertEquals("test", json.getJsonObject("metadata").getString("by"));
    }

    @Test
    void tagsAreSentWithTheEventAndAQueryPostsItsItems() throws IOException {
        ArborClient arbor = client();
        reply(
                201,
                "{\"streamId\":\"a-1\",\"fromVersion\":1,\"toVersion\":1,\"fromPosition\":7,\"toPosition\":7}");
        arbor.append(
                "a-1",
                ExpectedVersion.ANY,
                NewEvent.of("Enrolled", Json.createObjectBuilder().build())
                        .withTags("course:c1", "student:s7"));
        assertEquals(
                "[\"course:c1\",\"student:s7\"]",
                ArborClient.parse(bodies.get(0))
                        .getJsonArray("events")
                        .getJsonObject(0)
                        .getJsonArray("tags")
                        .toString());
        reply(200, "{\"events\":[],\"lastPosition\":9}");
        GlobalLogPage page =
                arbor.queryPage(
                        EventQuery.of(
                                QueryItem.tags("course:c1").ofTypes("Enrolled"),
                                QueryItem.types("Closed")),
                        9,
                        50);
        assertEquals(9, page.lastPosition());
        assertEquals("POST /arbor/api/events/query HTTP/1.1", requests.get(1));
        assertEquals(
                "{\"items\":[{\"types\":[\"Enrolled\"],\"tags\":[\"course:c1\"]},"
                        + "{\"types\":[\"Closed\"]}],\"after\":9,\"limit\":50}",
                bodies.get(1));
    }

    @Test
    void aReplayedAppendIsReportedAsReplayed() throws IOException {
        ArborClient arbor = client();
        reply(
                200,
                "{\"streamId\":\"a-1\",\"fromVersion\":1,\"toVersion\":1,\"fromPosition\":7,\"toPosition\":7}");
        assertTrue(
                arbor.append(
                                "a-1",
                                ExpectedVersion.ANY,
                                NewEvent.of("X", Json.createObjectBuilder().build()))
                        .replayed());
    }

    @Test
    void wrongExpectedVersionCarriesExpectedAndActual() throws IOException {
        ArborClient arbor = client();
        reply(
                409,
                problem(
                        409,
                        "wrong-expected-version",
                        ",\"streamId\":\"a-1\",\"expectedVersion\":\"no_stream\",\"actualVersion\":3"));
        var e =
                assertThrows(
                        WrongExpectedVersionException.class,
                        () ->
                                arbor.append(
                                        "a-1",
                                        ExpectedVersion.NO_STREAM,
                                        NewEvent.of("X", Json.createObjectBuilder().build())));
        assertEquals("no_stream", e.expectedVersion());
        assertEquals(3, e.actualVersion());
        assertEquals("a-1", e.streamId());
        assertEquals(409, e.status());
        assertEquals(1, requests.size(), "a 409 is an answer, not retried");
    }

    @Test
    void appendToStreamsSendsEveryEntryGuardsWithoutEventsAndReadsEveryConflict()
            throws IOException {
        ArborClient arbor = client();
        reply(
                201,
                "{\"streams\":[{\"streamId\":\"a-1\",\"fromVersion\":3,\"toVersion\":4}],"
                        + "\"fromPosition\":9,\"toPosition\":10}");
        NewEvent one = NewEvent.of("X", Json.createObjectBuilder().build());
        NewEvent two = NewEvent.of("Y", Json.createObjectBuilder().build());
        StreamsAppendResult result =
                arbor.appendToStreams(
                        List.of(
                                new StreamAppend(
                                        "a-1", ExpectedVersion.exactly(2), List.of(one, two)),
                                StreamAppend.guard("b-1", ExpectedVersion.NO_STREAM)));
        assertEquals(
                new StreamsAppendResult(
                        List.of(new StreamsAppendResult.Written("a-1", 3, 4)), 9, 10, false),
                result);
        assertEquals("POST /arbor/api/events HTTP/1.1", requests.get(0));
        var entries = ArborClient.parse(bodies.get(0)).getJsonArray("streams");
        assertEquals(2, entries.getJsonObject(0).getJsonArray("events").size());
        assertEquals(2, entries.getJsonObject(0).getInt("expectedVersion"));
        assertEquals("no_stream", entries.getJsonObject(1).getString("expectedVersion"));
        assertFalse(entries.getJsonObject(1).containsKey("events"));

        reply(
                409,
                problem(
                        409,
                        "wrong-expected-version",
                        ",\"streamId\":\"a-1\",\"expectedVersion\":2,\"actualVersion\":5,"
                                + "\"conflicts\":[{\"streamId\":\"a-1\",\"expectedVersion\":2,"
                                + "\"actualVersion\":5},{\"streamId\":\"b-1\","
                                + "\"expectedVersion\":\"no_stream\",\"actualVersion\":1}]"));
        var conflict =
                assertThrows(
                        WrongExpectedVersionException.class,
                        () ->
                                arbor.appendToStreams(
                                        List.of(
                                                new StreamAppend(
                                                        "a-1",
                                                        ExpectedVersion.exactly(2),
                                                        List.of(one)),
                                                StreamAppend.guard(
                                                        "b-1", ExpectedVersion.NO_STREAM))));
        assertEquals(
                List.of(
                        new WrongExpectedVersionException.Conflict("a-1", "2", 5),
                        new WrongExpectedVersionException.Conflict("b-1", "no_stream", 1)),
                conflict.conflicts());
    }

    @Test
    void problemsBecomeTypedExceptions() throws IOException {
        ArborClient arbor = client();
        reply(404, problem(404, "stream-not-found", ""));
        assertThrows(StreamNotFoundException.class, () -> arbor.streamInfo("nope"));
        reply(404, problem(404, "snapshot-not-found", ""));
        assertThrows(SnapshotNotFoundException.class, () -> arbor.latestSnapshot("a-1"));
        reply(400, problem(400, "invalid-request", ",\"pointer\":\"/events/0/type\""));
        var bad =
                assertThrows(
                        BadRequestException.class,
                        () -> arbor.readStreamPage("a-1", 1L, 10, Direction.FORWARD));
        assertEquals("/events/0/type", bad.pointer());
        reply(413, problem(413, "request-too-large", ",\"limit\":10"));
        var other = assertThrows(ArborProblemException.class, () -> arbor.streamInfo("a-1"));
        assertEquals("request-too-large", other.problem().kind());
        assertEquals(10, other.problem().number("limit"));
        reply(502, "<html>bad gateway</html>");
        var proxy = assertThrows(ArborProblemException.class, () -> arbor.streamInfo("a-1"));
        assertEquals(502, proxy.status());
        assertTrue(proxy.problem().detail().contains("bad gateway"));
    }

    @Test
    void a503IsRetriedUntilItSucceeds() throws IOException {
        ArborClient arbor = client();
        reply(503, problem(503, "store-unavailable", ""));
        reply(503, problem(503, "store-unavailable", ""));
        reply(
                200,
                "{\"streamId\":\"a-1\",\"version\":2,\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":\"2026-01-02T00:00:00Z\"}");
        assertEquals(2, arbor.streamInfo("a-1").version());
        assertEquals(3, requests.size());
    }

    @Test
    void a503ThatPersistsEndsInUnavailableAfterEveryAttempt() throws IOException {
        ArborClient arbor = client();
        for (int i = 0; i < 10; i++) {
            reply(503, problem(503, "store-unavailable", ""));
        }
        var e = assertThrows(ArborUnavailableException.class, () -> arbor.streamInfo("a-1"));
        assertEquals(4, e.attempts());
        assertEquals(4, requests.size());
    }

    @Test
    void a503sRetryAfterIsKeptOnItsProblem() throws IOException {
        ArborClient once = ArborClient.builder(client().baseUrl()).retry(RetryPolicy.NONE).build();
        reply(503, problem(503, "store-unavailable", ""), "2");
        reply(503, problem(503, "store-unavailable", ""));

        var with = assertThrows(ArborUnavailableException.class, () -> once.streamInfo("a-1"));
        var without = assertThrows(ArborUnavailableException.class, () -> once.streamInfo("a-1"));

        assertEquals("2", ((ArborProblemException) with.getCause()).retryAfter());
        assertEquals(null, ((ArborProblemException) without.getCause()).retryAfter());
    }

    @Test
    void aRefusedConnectionIsRetriedThenReported() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ArborClient arbor =
                ArborClient.builder(URI.create("http://127.0.0.1:" + port + "/arbor/api"))
                        .retry(FAST)
                        .build();
        var e = assertThrows(ArborUnavailableException.class, () -> arbor.streamInfo("a-1"));
        assertEquals(4, e.attempts());
    }

    @Test
    void streamIdsOfDotsReachTheirStreamNotADotSegment() throws IOException {
        ArborClient arbor = client();
        String[][] ids = {{".", "%2E"}, {"..", "%2E%2E"}, {"...", "%2E%2E%2E"}, {"a..b", "a..b"}};
        for (String[] id : ids) {
            reply(404, problem(404, "stream-not-found", ""));
            assertThrows(StreamNotFoundException.class, () -> arbor.streamInfo(id[0]));
            reply(404, problem(404, "stream-not-found", ""));
            assertThrows(
                    StreamNotFoundException.class,
                    () -> arbor.readStreamPage(id[0], null, 10, Direction.FORWARD));
        }
        for (int i = 0; i < ids.length; i++) {
            assertEquals("GET /arbor/api/streams/" + ids[i][1] + " HTTP/1.1", requests.get(2 * i));
            assertTrue(
                    requests.get(2 * i + 1)
                            .startsWith("GET /arbor/api/streams/" + ids[i][1] + "/events?"),
                    requests.get(2 * i + 1));
        }
    }

    @Test
    void readStreamFollowsNextUntilTheEnd() throws IOException {
        ArborClient arbor = client();
        reply(200, page(1, 2, 3L));
        reply(200, page(3, 3, null));
        List<Long> versions =
                arbor.readStream("a-1", null, Direction.FORWARD, 2)
                        .map(RecordedEvent::version)
                        .collect(Collectors.toList());
        assertEquals(List.of(1L, 2L, 3L), versions);
        assertEquals(
                "GET /arbor/api/streams/a-1/events?limit=2&direction=forward HTTP/1.1",
                requests.get(0));
        assertTrue(requests.get(1).contains("&from=3"), requests.get(1));
    }

    @Test
    void dotStreamIdsStayOnePathSegment() throws IOException {
        ArborClient arbor = client();
        reply(200, page(1, 1, null).replace("\"a-1\"", "\"..\""));
        reply(
                200,
                "{\"streamId\":\".\",\"version\":2,\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":\"2026-01-02T00:00:00Z\"}");
        assertEquals("..", arbor.readStreamPage("..", null, 10, Direction.FORWARD).streamId());
        assertEquals(".", arbor.streamInfo(".").streamId());
        assertTrue(
                requests.get(0).startsWith("GET /arbor/api/streams/%2E%2E/events?"),
                requests.get(0));
        assertEquals("GET /arbor/api/streams/%2E HTTP/1.1", requests.get(1));
    }

    @Test
    void readAllStopsAtTheFirstEmptyPageAndPassesLastPosition() throws IOException {
        ArborClient arbor = client();
        reply(200, "{\"events\":[" + event(1, 10) + "," + event(2, 12) + "],\"lastPosition\":12}");
        reply(200, "{\"events\":[],\"lastPosition\":12}");
        List<Long> positions =
                arbor.readAll(5, LogFilter.category("a"), 2)
                        .map(RecordedEvent::globalPosition)
                        .toList();
        assertEquals(List.of(10L, 12L), positions);
        assertTrue(requests.get(0).contains("events?after=5&limit=2&category=a"), requests.get(0));
        assertTrue(requests.get(1).contains("after=12"), requests.get(1));
        assertFalse(replies.iterator().hasNext());
    }

    @Test
    void aLiveFollowerRidesOutAnOutageAndResumesAfterItsLastPosition() throws IOException {
        ArborClient arbor = client();
        reply(200, "{\"events\":[" + event(1, 1) + "," + event(2, 2) + "],\"lastPosition\":2}");
        for (int i = 0; i < FAST.maxAttempts(); i++) {
            reply(503, problem(503, "store-unavailable", ""));
        }
        reply(404, "<html>Not Found</html>"); // Payara while the application is redeploying
        reply(502, "<html>Bad Gateway</html>");
        reply(200, "{\"events\":[" + event(3, 7) + "],\"lastPosition\":7}");
        List<String> heard = new CopyOnWriteArrayList<>();
        FollowListener listener =
                new FollowListener() {
                    @Override
                    public void disconnected(
                            ArborException why, int failures, Duration down, Duration retryIn) {
                        assertTrue(retryIn.toMillis() <= 5, retryIn::toString);
                        heard.add("down " + failures + " " + why.getClass().getSimpleName());
                    }

                    @Override
                    public void reconnected(int failures, Duration down) {
                        heard.add("up after " + failures);
                    }
                };
        List<Long> positions =
                arbor.follow(0, LogFilter.ALL, Duration.ofMillis(1), Duration.ofMillis(5), listener)
                        .limit(3)
                        .map(RecordedEvent::globalPosition)
                        .toList();
        assertEquals(List.of(1L, 2L, 7L), positions);
        assertEquals(
                List.of(
                        "down 1 ArborUnavailableException",
                        "down 2 ArborProblemException",
                        "down 3 ArborProblemException",
                        "up after 3"),
                heard);
        for (String request : requests.subList(1, requests.size())) {
            assertTrue(request.contains("events?after=2&"), request);
        }
    }

    @Test
    void aLiveFollowerStopsAtAnAnswerThatIsArbors() throws IOException {
        ArborClient arbor = client();
        reply(404, problem(404, "http-404", "")); // Arbor's own 404: a wrong URL, not an outage
        var e =
                assertThrows(
                        ArborProblemException.class,
                        () ->
                                arbor.follow(
                                                0,
                                                LogFilter.ALL,
                                                Duration.ofMillis(1),
                                                Duration.ofMillis(5),
                                                FollowListener.SILENT)
                                        .findFirst());
        assertEquals(404, e.status());
        assertEquals(1, requests.size());
    }

    @Test
    void theShortFollowEndsWhenTheRetriesRunOut() throws IOException {
        ArborClient arbor = client();
        for (int i = 0; i < FAST.maxAttempts(); i++) {
            reply(503, problem(503, "store-unavailable", ""));
        }
        assertThrows(
                ArborUnavailableException.class,
                () -> arbor.follow(0, LogFilter.ALL, Duration.ofMillis(1)).findFirst());
    }

    /**
     * A global log computed, not stored: positions 1, 4, 7, … up to {@code end} (gaps are allowed),
     * every fifth position of type "odd"; {@code oddOnly} filters like {@code type=odd}.
     */
    private static final class Log implements ArborClient.PageReader {
        final long end;
        final boolean oddOnly;
        int reads;

        Log(long end, boolean oddOnly) {
            this.end = end;
            this.oddOnly = oddOnly;
        }

        RecordedEvent at(long position) {
            return new RecordedEvent(
                    new java.util.UUID(0, position),
                    "a-1",
                    (position + 2) / 3,
                    position,
                    position % 5 == 0 ? "odd" : "T",
                    1,
                    jakarta.json.JsonValue.EMPTY_JSON_OBJECT,
                    jakarta.json.JsonValue.EMPTY_JSON_OBJECT,
                    java.util.List.of(),
                    java.time.Instant.EPOCH,
                    null,
                    null);
        }

        boolean matches(long position) {
            return !oddOnly || position % 5 == 0;
        }

        @Override
        public GlobalLogPage read(long after, int limit) {
            reads++;
            List<RecordedEvent> page = new java.util.ArrayList<>();
            long first = after < 1 ? 1 : after + (3 - (after - 1) % 3);
            for (long p = first; p <= end && page.size() < limit; p += 3) {
                if (matches(p)) {
                    page.add(at(p));
                }
            }
            return new GlobalLogPage(
                    page, page.isEmpty() ? after : page.get(page.size() - 1).globalPosition());
        }

        /** The expected answer, read backwards from the end. */
        List<RecordedEvent> last(long after, int n) {
            java.util.LinkedList<RecordedEvent> last = new java.util.LinkedList<>();
            for (long p = end - (end - 1) % 3; p > after && p >= 1 && last.size() < n; p -= 3) {
                if (matches(p)) {
                    last.addFirst(at(p));
                }
            }
            return last;
        }
    }

    @Test
    void theLastEventsAreFoundInLogarithmicallyManySmallReads() {
        Log log = new Log(30_000_000, false);
        assertEquals(10, log.last(0, 10).size());
        assertEquals(log.last(0, 10), ArborClient.lastEvents(0, 10, log));
        assertTrue(log.reads <= 2 * 25 + 2, "reads: " + log.reads); // 2^25 > 30,000,000

        Log odd = new Log(3_000_000, true);
        assertEquals(odd.last(0, 25), ArborClient.lastEvents(0, 25, odd));
        assertEquals(odd.last(1_500_000, 1), ArborClient.lastEvents(1_500_000, 1, odd));
        assertEquals(odd.last(2_999_990, 1000), ArborClient.lastEvents(2_999_990, 1000, odd));
    }

    @Test
    void theLastEventsOfAShortOrEmptyLogAreAllOfThem() {
        Log log = new Log(20, false); // 7 events
        assertEquals(log.last(0, 10), ArborClient.lastEvents(0, 10, log));
        assertEquals(1, log.reads);
        assertEquals(log.last(0, 7), ArborClient.lastEvents(0, 7, log));
        assertEquals(List.of(), ArborClient.lastEvents(20, 3, log));
        assertEquals(List.of(), ArborClient.lastEvents(0, 3, new Log(0, false)));
        assertThrows(IllegalArgumentException.class, () -> ArborClient.lastEvents(0, 0, log));
    }

    @Test
    void eventJsonRoundTrips() {
        RecordedEvent event = ArborClient.event(ArborClient.parse(event(4, 40)));
        assertEquals(event, ArborClient.event(ArborClient.toJson(event)));
        assertEquals("a", event.category());
    }

    @Test
    void expectedVersionRejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> ExpectedVersion.exactly(-1));
        assertThrows(IllegalArgumentException.class, () -> ExpectedVersion.parse("sometimes"));
        assertEquals(ExpectedVersion.exactly(12), ExpectedVersion.parse("12"));
        assertEquals(ExpectedVersion.NO_STREAM, ExpectedVersion.parse("no_stream"));
    }

    private static final String GROUP =
            "{\"group\":\"g\",\"filter\":{\"category\":\"a\",\"type\":null,\"streamId\":null},"
                    + "\"strategy\":\"pinned\",\"maxRetries\":3,\"ackTimeoutSeconds\":30,"
                    + "\"maxInFlight\":1000,\"checkpoint\":7,\"headPosition\":10,\"lag\":3,"
                    + "\"inFlight\":1,\"parked\":2,\"consumers\":[{\"consumer\":\"c-1\","
                    + "\"inFlight\":1,\"lastSeen\":\"2026-12-05T10:00:00Z\"}],"
                    + "\"createdAt\":\"2026-12-05T09:00:00Z\"}";

    /** An EVENT object with more members. */
    private static String with(String event, String members) {
        return event.substring(0, event.length() - 1) + members + "}";
    }

    @Test
    void putGroupSendsOnlyTheSettingsGivenAndReadsTheGroup() throws IOException {
        ArborClient arbor = client();
        reply(201, GROUP);
        reply(200, GROUP);
        GroupPutResult created =
                arbor.putGroup(
                        "g",
                        GroupSettings.builder()
                                .filter(GroupFilter.category("a"))
                                .startFrom(LogPoint.END)
                                .strategy(DeliveryStrategy.PINNED)
                                .maxRetries(3)
                                .build());
        GroupPutResult updated = arbor.putGroup("g", GroupSettings.DEFAULTS);

        assertTrue(created.created());
        assertFalse(updated.created());
        assertEquals("PUT /arbor/api/subscriptions/g HTTP/1.1", requests.get(0));
        assertEquals(
                "{\"filter\":{\"category\":\"a\"},\"startFrom\":\"end\",\"strategy\":\"pinned\","
                        + "\"maxRetries\":3}",
                bodies.get(0));
        assertEquals("{}", bodies.get(1), "unset settings are the server's defaults");
        GroupStatus group = created.group();
        assertEquals(GroupFilter.category("a"), group.filter());
        assertEquals(DeliveryStrategy.PINNED, group.strategy());
        assertEquals(
                List.of(7L, 10L, 3L, 1L, 2L),
                List.of(
                        group.checkpoint(),
                        group.headPosition(),
                        group.lag(),
                        group.inFlight(),
                        group.parked()));
        assertEquals(
                new ConsumerStatus("c-1", 1, java.time.Instant.parse("2026-12-05T10:00:00Z")),
                group.consumers().get(0));
    }

    @Test
    void theGroupCallsSendTheContractsRequests() throws IOException {
        ArborClient arbor = client();
        reply(200, "{\"groups\":[" + GROUP + "]}");
        reply(200, GROUP);
        reply(200, "{\"events\":[" + with(event(2, 20), ",\"deliveryAttempt\":2") + "]}");
        reply(200, "{\"acked\":1}");
        reply(200, "{\"nacked\":1}");
        reply(
                200,
                "{\"events\":["
                        + with(
                                event(2, 20),
                                ",\"deliveryAttempt\":4,\"parkedAt\":\"2026-12-05T11:00:00Z\","
                                        + "\"parkReason\":\"max-retries\"")
                        + "],\"next\":20}");
        reply(200, "{\"replayed\":1}");
        reply(200, GROUP);
        reply(204, "");

        assertEquals("g", arbor.listGroups().get(0).group());
        assertEquals(3, arbor.group("g").maxRetries());
        List<Delivery> fetched = arbor.fetch("g", "c-1", 50, 20);
        assertEquals(2, fetched.get(0).deliveryAttempt());
        UUID id = fetched.get(0).event().eventId();
        assertEquals(1, arbor.ack("g", "c-1", List.of(id)));
        assertEquals(1, arbor.nack("g", "c-1", List.of(id), NackAction.PARK));
        ParkedPage parked = arbor.parkedPage("g", 0, 1);
        assertEquals("max-retries", parked.events().get(0).parkReason());
        assertEquals(20, parked.next().getAsLong());
        assertEquals(1, arbor.replayParked("g"));
        arbor.resetGroup("g", LogPoint.after(5));
        arbor.deleteGroup("g");

        assertEquals(
                List.of(
                        "GET /arbor/api/subscriptions HTTP/1.1",
                        "GET /arbor/api/subscriptions/g HTTP/1.1",
                        "POST /arbor/api/subscriptions/g/fetch HTTP/1.1",
                        "POST /arbor/api/subscriptions/g/ack HTTP/1.1",
                        "POST /arbor/api/subscriptions/g/nack HTTP/1.1",
                        "GET /arbor/api/subscriptions/g/parked?after=0&limit=1 HTTP/1.1",
                        "POST /arbor/api/subscriptions/g/parked/replay HTTP/1.1",
                        "POST /arbor/api/subscriptions/g/reset HTTP/1.1",
                        "DELETE /arbor/api/subscriptions/g HTTP/1.1"),
                requests);
        String ids = "[\"" + id + "\"]";
        assertEquals("{\"consumer\":\"c-1\",\"max\":50,\"waitSeconds\":20}", bodies.get(2));
        assertEquals("{\"consumer\":\"c-1\",\"eventIds\":" + ids + "}", bodies.get(3));
        assertEquals(
                "{\"consumer\":\"c-1\",\"eventIds\":" + ids + ",\"action\":\"park\"}",
                bodies.get(4));
        assertEquals("{\"to\":5}", bodies.get(7));
    }

    @Test
    void groupProblemsBecomeTypedExceptions() throws IOException {
        ArborClient arbor = client();
        UUID id = UUID.randomUUID();
        reply(404, problem(404, "group-not-found", ""));
        reply(409, problem(409, "group-filter-changed", ""));
        reply(409, problem(409, "lease-not-held", ",\"eventIds\":[\"" + id + "\"]"));

        assertThrows(GroupNotFoundException.class, () -> arbor.group("g"));
        assertThrows(
                GroupFilterChangedException.class,
                () -> arbor.putGroup("g", GroupSettings.DEFAULTS));
        var notHeld =
                assertThrows(
                        LeaseNotHeldException.class,
                        () -> arbor.ack("g", "c-1", List.of(id, UUID.randomUUID())));
        assertEquals(List.of(id), notHeld.eventIds());
        assertEquals(3, requests.size(), "answers, not retried");
    }

    @Test
    void logPointsAreReadAsPeopleTypeThemAndSentAsTheApiTakesThem() {
        assertEquals(LogPoint.BEGINNING, LogPoint.parse("beginning"));
        assertEquals(LogPoint.END, LogPoint.parse("end"));
        assertEquals(LogPoint.after(42), LogPoint.parse("42"));
        assertThrows(IllegalArgumentException.class, () -> LogPoint.parse("-1"));
        assertThrows(IllegalArgumentException.class, () -> LogPoint.parse("soon"));
        assertThrows(IllegalArgumentException.class, () -> LogPoint.parse("99999999999999999999"));
        assertEquals("\"beginning\"", LogPoint.after(0).toJson().toString());
        assertEquals("42", LogPoint.after(42).toJson().toString());
    }

    private static String page(long from, long to, Long next) {
        StringBuilder events = new StringBuilder();
        for (long v = from; v <= to; v++) {
            events.append(events.length() == 0 ? "" : ",").append(event(v, v * 10));
        }
        return "{\"streamId\":\"a-1\",\"version\":3,\"events\":["
                + events
                + "],\"next\":"
                + next
                + "}";
    }

    private static String event(long version, long position) {
        return "{\"eventId\":\"00000000-0000-0000-0000-"
                + String.format("%012d", position)
                + "\",\"streamId\":\"a-1\",\"version\":"
                + version
                + ",\"globalPosition\":"
                + position
                + ",\"type\":\"T\",\"schemaVersion\":1,\"data\":{\"v\":"
                + version
                + "},\"metadata\":{},\"recordedAt\":\"2026-11-25T00:00:00.123456Z\"}";
    }

    // ------------------------------------------------------------------ bearer tokens

    @Test
    void everyRequestCarriesTheToken() throws IOException {
        ArborClient arbor = client(options -> options.token("t0k3n"));
        reply(200, "{\"groups\":[]}");
        reply(404, problem(404, "stream-not-found", ""));
        arbor.listGroups();
        assertThrows(StreamNotFoundException.class, () -> arbor.streamInfo("a-1"));
        assertEquals(List.of("Bearer t0k3n", "Bearer t0k3n"), authorizations);
    }

    @Test
    void noTokenSendsNoAuthorizationHeader() throws IOException {
        ArborClient arbor = client(options -> options.token(null));
        reply(200, "{\"groups\":[]}");
        arbor.listGroups();
        assertEquals(List.of("null"), authorizations);
    }

    @Test
    void theTokenSupplierIsAskedForEachRequest() throws IOException {
        AtomicInteger minted = new AtomicInteger();
        ArborClient arbor =
                client(options -> options.tokenSupplier(() -> "t" + minted.incrementAndGet()));
        reply(503, problem(503, "store-unavailable", ""));
        reply(200, "{\"groups\":[]}");
        reply(200, "{\"groups\":[]}");
        arbor.listGroups();
        arbor.listGroups();
        // The retry after the 503 resends the request as built, token included.
        assertEquals(List.of("Bearer t1", "Bearer t1", "Bearer t2"), authorizations);
    }

    @Test
    void a401IsAProblemNotAnOutage() throws IOException {
        ArborClient arbor = client(options -> options.token("expired"));
        reply(401, problem(401, "unauthorized", ""));
        ArborProblemException e =
                assertThrows(ArborProblemException.class, () -> arbor.streamInfo("a-1"));
        assertEquals(401, e.status());
        assertEquals(1, requests.size(), "not retried");
    }

    @Test
    void aSubscriptionSendsTheTokenOnEveryReconnection() throws Exception {
        AtomicInteger minted = new AtomicInteger();
        ArborClient arbor =
                client(
                        options ->
                                options.tokenSupplier(() -> "t" + minted.incrementAndGet())
                                        .reconnectBackoff(Duration.ofMillis(10)));
        List<String> heard = new CopyOnWriteArrayList<>();
        AtomicInteger connections = new AtomicInteger();
        server.createContext(
                "/arbor/api/events/subscribe",
                exchange -> {
                    int n = connections.incrementAndGet();
                    heard.add(
                            exchange.getRequestHeaders().getFirst("Authorization")
                                    + " "
                                    + exchange.getRequestHeaders().getFirst("Last-Event-ID"));
                    // One event per connection, then the server goes away.
                    byte[] frame =
                            ("id: " + n + "\nevent: event\ndata: " + event(n, n) + "\n\n")
                                    .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                    exchange.sendResponseHeaders(200, frame.length);
                    exchange.getResponseBody().write(frame);
                    exchange.close();
                });
        java.util.concurrent.CountDownLatch three = new java.util.concurrent.CountDownLatch(3);
        try (Subscription subscription =
                arbor.subscribe(LogFilter.ALL, 0, recordedEvent -> three.countDown())) {
            assertTrue(three.await(10, TimeUnit.SECONDS), heard::toString);
        }
        assertEquals(List.of("Bearer t1 null", "Bearer t2 1", "Bearer t3 2"), heard.subList(0, 3));
    }
}
