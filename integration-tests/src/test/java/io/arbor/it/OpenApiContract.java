package io.arbor.it;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The OpenAPI document as a tested artifact (issue 13, item 14): every answer the suite receives
 * from Arbor's API is checked against the document the server serves at {@code /openapi}, by a real
 * OpenAPI validator (Atlassian's swagger-request-validator): the status must be documented for the
 * operation, the content type must be one the document lists for that status, documented headers
 * must be present and well-formed, and a JSON body must follow its schema. A mismatch is an {@link
 * AssertionError}, so the test that received the answer fails.
 *
 * <p>{@link Arbor#send} calls {@link #check} for every answer, so a new integration test gets this
 * without asking. Anything else that talks HTTP to Arbor in a test (an SSE reader, the Java client)
 * calls {@link #check} too. Requests are not validated: the suite sends invalid ones on purpose.
 *
 * <p>Two kinds of answer have no operation in the document to be checked against, and are counted
 * apart: those outside {@code /arbor/api} (Payara's {@code /health}, {@code /metrics}, {@code
 * /openapi}), and those to a path or method that the document does not have (the hostile-input
 * tests' {@code TRACE}, malformed paths, …). The latter must be refusals (4xx), or answers to
 * {@code OPTIONS} or {@code HEAD}, which HTTP gives on any resource: any other success there is an
 * endpoint the document lacks, and fails like any other mismatch.
 */
public final class OpenApiContract {
    /** The WAR's context root: the document's paths ({@code /api/…}) are relative to it. */
    static final String CONTEXT_ROOT = "/arbor";

    /**
     * Where the served document is saved, for Spectral to lint after the suite
     * (server-config/openapi/check.sh, run by server-config/test.sh).
     */
    static final Path SERVED_COPY = Path.of("target", "openapi", "served.json");

    /** Where the counts are written for server-config/test.sh's summary. */
    static final Path COUNTS = Path.of("target", "openapi", "validated-responses.txt");

    private static final Set<String> OUTSIDE_THE_DOCUMENT =
            Set.of("validation.request.path.missing", "validation.request.operation.notAllowed");

    private static final Set<Request.Method> PROTOCOL_METHODS =
            Set.of(Request.Method.OPTIONS, Request.Method.HEAD);

    /** Statuses info.description documents for every path: request target, header fields. */
    private static final Set<Integer> GLOBAL_STATUSES = Set.of(414, 431);

    private static volatile OpenApiContract served;

    private final OpenApiInteractionValidator validator;
    private final AtomicLong validated = new AtomicLong();
    private final AtomicLong outsideApi = new AtomicLong();
    private final AtomicLong outsideDocument = new AtomicLong();

    OpenApiContract(String document) {
        this.validator =
                OpenApiInteractionValidator.createForInlineApiSpecification(document)
                        .withBasePathOverride(CONTEXT_ROOT)
                        // Flattens allOf, so that a member documented by one part of an allOf
                        // is not an unknown member to the other (undocumented members fail).
                        .withResolveCombinators(true)
                        .build();
    }

    /** The contract of the server under test: its {@code /openapi}, fetched once per test JVM. */
    public static OpenApiContract served() {
        OpenApiContract contract = served;
        if (contract == null) {
            synchronized (OpenApiContract.class) {
                contract = served;
                if (contract == null) {
                    String document = fetchServedDocument();
                    save(SERVED_COPY, document);
                    contract = new OpenApiContract(document);
                    served = contract;
                }
            }
        }
        return contract;
    }

    /** The served contract if a test has used it in this JVM, else null. */
    static OpenApiContract servedIfLoaded() {
        return served;
    }

    /**
     * Checks one answer against the operation it answered. {@code body} may be null (no body, or
     * one that is not read, as for {@code text/event-stream}: only the status and content type of a
     * stream are checked, never its frames).
     *
     * @throws AssertionError naming every way the answer differs from the document
     */
    public void check(
            String method, URI uri, int status, Map<String, List<String>> headers, String body) {
        String path = uri.getRawPath();
        if (path == null || !path.startsWith(CONTEXT_ROOT + "/api")) {
            outsideApi.incrementAndGet();
            return;
        }
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        headers.forEach(
                (name, values) -> {
                    // Validated only where the document declares the header; the HTTP/1.1 status
                    // line's pseudo-header (null name in HttpURLConnection) never reaches here.
                    if (name != null) {
                        response.withHeader(name, values);
                    }
                });
        String contentType = first(headers, "Content-Type");
        boolean stream =
                contentType != null
                        && contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
        if (body != null && !body.isEmpty() && !stream) {
            response.withBody(body);
        }
        Request.Method verb;
        try {
            verb = Request.Method.valueOf(method.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException notAnOpenApiMethod) { // e.g. a hostile test's FOO
            outsideDocument.incrementAndGet();
            return;
        }
        ValidationReport report = validator.validateResponse(path, verb, response.build());
        List<ValidationReport.Message> errors =
                report.getMessages().stream()
                        .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                        // A stream's body is never read, so its absence is not a finding.
                        .filter(
                                m ->
                                        !(stream
                                                && m.getKey()
                                                        .equals(
                                                                "validation.response.body.missing")))
                        .toList();
        if (!errors.isEmpty()
                && GLOBAL_STATUSES.contains(status)
                && errors.stream()
                        .allMatch(m -> m.getKey().equals("validation.response.status.unknown"))) {
            // 414 and 431 answer any path (the document says so once, in info.description, not
            // under every operation); they must still be problem+json.
            if (contentType == null || !contentType.startsWith("application/problem+json")) {
                throw new AssertionError(
                        method + " " + uri + " answered " + status + " without problem+json");
            }
            outsideDocument.incrementAndGet();
            return;
        }
        if (!errors.isEmpty()
                && errors.stream().allMatch(m -> OUTSIDE_THE_DOCUMENT.contains(m.getKey()))) {
            // A refusal of a path or method the API does not have is the container's business,
            // and so are OPTIONS and HEAD, which HTTP answers on any resource; anything else
            // there is an endpoint missing from the document.
            if (status < 400 && !PROTOCOL_METHODS.contains(verb)) {
                throw new AssertionError(
                        method + " " + uri + " answered " + status + " but is not in /openapi");
            }
            outsideDocument.incrementAndGet();
            return;
        }
        if (!errors.isEmpty()) {
            throw new AssertionError(
                    "the answer to "
                            + method
                            + " "
                            + uri
                            + " does not match /openapi: "
                            + errors.stream()
                                    .map(m -> m.getKey() + ": " + m.getMessage())
                                    .collect(Collectors.joining("; "))
                            + "\n  answer: "
                            + status
                            + " "
                            + contentType
                            + " "
                            + abbreviate(body));
        }
        validated.incrementAndGet();
    }

    /** Answers checked against an operation of the document and found to match it. */
    public long validated() {
        return validated.get();
    }

    /** One line for the test run's output. */
    String summary() {
        return "OpenAPI contract: "
                + validated.get()
                + " responses validated against /openapi; not covered by an operation: "
                + outsideDocument.get()
                + " (path or method not in the document), "
                + outsideApi.get()
                + " (outside /arbor/api)";
    }

    /** Prints the summary and writes the counts (called once, when the test JVM's run ends). */
    static void report() {
        OpenApiContract contract = servedIfLoaded();
        if (contract == null) {
            return;
        }
        System.out.println("[arbor] " + contract.summary());
        save(
                COUNTS,
                "validated="
                        + contract.validated.get()
                        + "\noutside-document="
                        + contract.outsideDocument.get()
                        + "\noutside-api="
                        + contract.outsideApi.get()
                        + "\n");
    }

    /**
     * Where Arbor is deployed: the test domain's server, or during the grid run (where only the
     * instances have the application, and the DAS answers Payara's empty document) instance A.
     */
    private static String documentHost() {
        String gridA = System.getProperty("arbor.grid.a");
        return gridA == null || gridA.isBlank() ? Arbor.HOST : gridA;
    }

    private static String fetchServedDocument() {
        HttpClient http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(documentHost() + "/openapi"))
                        .header("Accept", "application/json")
                        .timeout(Duration.ofSeconds(60))
                        .build();
        try {
            HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "GET /openapi answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void save(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String first(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (name.equalsIgnoreCase(header.getKey()) && !header.getValue().isEmpty()) {
                return header.getValue().get(0);
            }
        }
        return null;
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "(no body)";
        }
        return body.length() <= 600 ? body : body.substring(0, 600) + "…";
    }
}
