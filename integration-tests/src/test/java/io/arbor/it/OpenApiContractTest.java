package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The response check that every integration test's answers go through, on the document as written
 * (web/…/openapi.yaml; the suite checks the served one). No server needed.
 */
class OpenApiContractTest {
    private static final String STREAM = "/arbor/api/streams/account-1/events";
    private static final String PROBLEM = "application/problem+json";

    private final OpenApiContract contract = new OpenApiContract(written());

    private static String written() {
        try {
            return Files.readString(
                    Path.of("..", "web", "src", "main", "resources", "META-INF", "openapi.yaml"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, List<String>> type(String contentType) {
        return Map.of("Content-Type", List.of(contentType));
    }

    private void check(String method, String path, int status, String contentType, String body) {
        contract.check(
                method,
                URI.create("http://localhost:20080" + path),
                status,
                contentType == null ? Map.of() : type(contentType),
                body);
    }

    @Test
    void aDocumentedAnswerPassesAndIsCounted() {
        check(
                "POST",
                STREAM,
                201,
                "application/json",
                "{\"streamId\":\"account-1\",\"fromVersion\":1,\"toVersion\":1,"
                        + "\"fromPosition\":7,\"toPosition\":7}");
        assertEquals(1, contract.validated());
    }

    @Test
    void anUndocumentedStatusFailsTheCheck() {
        AssertionError e =
                assertThrows(
                        AssertionError.class,
                        () -> check("GET", "/arbor/api/streams/account-1", 418, null, null));
        assertTrue(e.getMessage().contains("validation.response.status.unknown"), e::getMessage);
        assertEquals(0, contract.validated());
    }

    @Test
    void aBodyThatViolatesItsSchemaFailsTheCheck() {
        AssertionError e =
                assertThrows(
                        AssertionError.class,
                        () ->
                                check(
                                        "POST",
                                        STREAM,
                                        201,
                                        "application/json",
                                        "{\"streamId\":\"account-1\",\"fromVersion\":\"1\"}"));
        assertTrue(e.getMessage().contains("validation.response.body.schema"), e::getMessage);
    }

    @Test
    void aProblemBodyIsCheckedAgainstItsSchemaToo() {
        assertThrows(
                AssertionError.class,
                () ->
                        check(
                                "GET",
                                "/arbor/api/streams/account-1",
                                404,
                                PROBLEM,
                                "{\"type\":\"urn:arbor:problem:stream-not-found\",\"status\":404}"));
    }

    @Test
    void anUndocumentedContentTypeFailsTheCheck() {
        assertThrows(
                AssertionError.class,
                () -> check("GET", "/arbor/api/streams/account-1", 404, "text/html", "<html/>"));
    }

    // Issue 13, item 12: both problem schemas of an append's 400 accept every problem body, so a
    // oneOf of them rejected every 400 an append answered.
    @Test
    void anAppendsInvalidRequestProblemMatchesTheDocument() {
        assertDoesNotThrow(
                () ->
                        check(
                                "POST",
                                STREAM,
                                400,
                                PROBLEM,
                                "{\"type\":\"urn:arbor:problem:invalid-request\",\"title\":\"Bad"
                                        + " request\",\"status\":400,\"detail\":\"events is"
                                        + " required\",\"pointer\":\"/events\"}"));
    }

    @Test
    void aSchemaConflictProblemMatchesTheDocument() {
        assertDoesNotThrow(
                () ->
                        check(
                                "PUT",
                                "/arbor/api/schemas/Opened/versions/1",
                                409,
                                PROBLEM,
                                "{\"type\":\"urn:arbor:problem:schema-conflict\",\"title\":\"Schema"
                                        + " conflict\",\"status\":409,\"detail\":\"version 1 of"
                                        + " Opened is another schema\"}"));
    }

    // Found by the suite's validation (issue 13, item 14): members the server sends that the
    // document did not declare, and a oneOf lost when a validator flattens allOf.
    @Test
    void aWrongExpectedVersionProblemMatchesTheDocument() {
        for (String expected : new String[] {"3", "\"no_stream\"", "\"stream_exists\""}) {
            check(
                    "POST",
                    STREAM,
                    409,
                    PROBLEM,
                    "{\"type\":\"urn:arbor:problem:wrong-expected-version\",\"title\":\"Wrong"
                            + " expected version\",\"status\":409,\"detail\":\"d\","
                            + "\"streamId\":\"account-1\",\"expectedVersion\":"
                            + expected
                            + ",\"actualVersion\":2}");
        }
        assertEquals(3, contract.validated());
    }

    @Test
    void aTooLargeProblemNamesItsLimit() {
        assertDoesNotThrow(
                () ->
                        check(
                                "POST",
                                STREAM,
                                413,
                                PROBLEM,
                                "{\"type\":\"urn:arbor:problem:request-too-large\",\"title\":\"t\","
                                        + "\"status\":413,\"detail\":\"d\",\"limit\":4194304}"));
    }

    @Test
    void aSnapshotPastTheHeadProblemNamesTheStreamsVersion() {
        assertDoesNotThrow(
                () ->
                        check(
                                "PUT",
                                "/arbor/api/streams/account-1/snapshot",
                                409,
                                PROBLEM,
                                "{\"type\":\"urn:arbor:problem:snapshot-beyond-head\",\"title\":\"t\","
                                        + "\"status\":409,\"detail\":\"d\",\"actualVersion\":2}"));
    }

    private static final String EVENT =
            "\"eventId\":\"6f1c3a4e-8d2b-4c1f-9e7a-2b5d8c9f0a11\",\"streamId\":\"account-1\","
                    + "\"version\":1,\"globalPosition\":7,\"type\":\"Opened\",\"schemaVersion\":1,"
                    + "\"data\":{},\"metadata\":{},\"tags\":[\"course:c1\"],\"recordedAt\":\"2026-12-05T10:00:00Z\"";

    private static final String GROUP =
            "{\"group\":\"billing\",\"filter\":{\"category\":\"account\",\"type\":null,"
                    + "\"streamId\":null},\"strategy\":\"pinned\",\"maxRetries\":10,"
                    + "\"ackTimeoutSeconds\":30,\"maxInFlight\":1000,\"checkpoint\":6,"
                    + "\"headPosition\":9,\"lag\":3,\"inFlight\":1,\"parked\":0,\"consumers\":"
                    + "[{\"consumer\":\"c-1\",\"inFlight\":1,\"lastSeen\":\"2026-12-05T10:00:01Z\"}],"
                    + "\"createdAt\":\"2026-12-05T09:00:00Z\"}";

    // Issue 15: the consumer groups' answers as the server writes them (Representations and
    // LeaseNotHeldMapper).
    @Test
    void aConsumerGroupsAnswersMatchTheDocument() {
        check("PUT", "/arbor/api/subscriptions/billing", 201, "application/json", GROUP);
        check("GET", "/arbor/api/subscriptions/billing", 200, "application/json", GROUP);
        check(
                "GET",
                "/arbor/api/subscriptions",
                200,
                "application/json",
                "{\"groups\":[" + GROUP + "]}");
        check("POST", "/arbor/api/subscriptions/billing/reset", 200, "application/json", GROUP);
        check(
                "POST",
                "/arbor/api/subscriptions/billing/fetch",
                200,
                "application/json",
                "{\"events\":[{" + EVENT + ",\"deliveryAttempt\":2}]}");
        check(
                "POST",
                "/arbor/api/subscriptions/billing/fetch",
                200,
                "application/json",
                "{\"events\":[]}");
        check(
                "POST",
                "/arbor/api/subscriptions/billing/ack",
                200,
                "application/json",
                "{\"acked\":1}");
        check(
                "POST",
                "/arbor/api/subscriptions/billing/nack",
                200,
                "application/json",
                "{\"nacked\":3}");
        check(
                "GET",
                "/arbor/api/subscriptions/billing/parked",
                200,
                "application/json",
                "{\"events\":[{"
                        + EVENT
                        + ",\"deliveryAttempt\":11,"
                        + "\"parkedAt\":\"2026-12-05T10:00:02Z\",\"parkReason\":\"max-retries\"}],"
                        + "\"next\":null}");
        check(
                "POST",
                "/arbor/api/subscriptions/billing/parked/replay",
                200,
                "application/json",
                "{\"replayed\":0}");
        check("DELETE", "/arbor/api/subscriptions/billing", 204, null, null);
        assertEquals(11, contract.validated());
    }

    @Test
    void aLeaseNotHeldProblemListsTheEventIds() {
        String problem =
                "{\"type\":\"urn:arbor:problem:lease-not-held\",\"title\":\"t\",\"status\":409,"
                        + "\"detail\":\"d\",\"eventIds\":[\"6f1c3a4e-8d2b-4c1f-9e7a-2b5d8c9f0a11\"]}";
        check("POST", "/arbor/api/subscriptions/billing/ack", 409, PROBLEM, problem);
        check("POST", "/arbor/api/subscriptions/billing/nack", 409, PROBLEM, problem);
        assertThrows(
                AssertionError.class,
                () ->
                        check(
                                "POST",
                                "/arbor/api/subscriptions/billing/ack",
                                409,
                                PROBLEM,
                                "{\"type\":\"urn:arbor:problem:lease-not-held\",\"title\":\"t\","
                                        + "\"status\":409,\"detail\":\"d\"}"));
    }

    @Test
    void aGroupAnswerWithoutItsCheckpointFailsTheCheck() {
        assertThrows(
                AssertionError.class,
                () ->
                        check(
                                "GET",
                                "/arbor/api/subscriptions/billing",
                                200,
                                "application/json",
                                GROUP.replace("\"checkpoint\":6,", "")));
    }

    @Test
    void aRefusedPathOrMethodOutsideTheDocumentIsNotAFinding() {
        assertDoesNotThrow(() -> check("TRACE", STREAM, 405, PROBLEM, "{}"));
        assertDoesNotThrow(() -> check("OPTIONS", STREAM, 204, null, null));
        assertDoesNotThrow(() -> check("GET", "/arbor/api/nothing/here", 404, PROBLEM, "{}"));
        assertEquals(0, contract.validated());
    }

    @Test
    void aSuccessOnAPathOutsideTheDocumentIsAnUndocumentedEndpoint() {
        assertThrows(
                AssertionError.class,
                () -> check("GET", "/arbor/api/nothing/here", 200, "application/json", "{}"));
    }

    @Test
    void answersOutsideTheApiAreNotChecked() {
        assertDoesNotThrow(() -> check("GET", "/health/ready", 200, "application/json", "{}"));
        assertEquals(0, contract.validated());
    }

    @Test
    void anEventStreamIsCheckedForStatusAndContentTypeButItsFramesAreNotParsedAsJson() {
        OpenApiContract sse =
                new OpenApiContract(
                        """
                        openapi: 3.0.3
                        info: {title: t, version: "1"}
                        paths:
                          /api/events/subscribe:
                            get:
                              responses:
                                '200':
                                  description: frames
                                  content:
                                    text/event-stream:
                                      schema: {type: string}
                        """);
        URI uri = URI.create("http://localhost:20080/arbor/api/events/subscribe");
        sse.check("GET", uri, 200, type("text/event-stream"), "id: 1\nevent: event\ndata: {}\n\n");
        sse.check("GET", uri, 200, type("text/event-stream"), null);
        assertEquals(2, sse.validated());
        assertThrows(
                AssertionError.class,
                () -> sse.check("GET", uri, 200, type("application/json"), "{}"));
        assertThrows(
                AssertionError.class,
                () -> sse.check("GET", uri, 500, type("text/event-stream"), null));
    }
}
