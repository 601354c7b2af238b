package io.arbor.faults;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One HTTP request of the load and what came back: a line of the client-side history.
 *
 * @param id the request's number in the history
 * @param opId the logical append it belongs to; a retry after an unknown outcome is a second
 *     attempt of the same op, with the same event ids
 * @param worker the writer that sent it
 * @param parts the streams appended to, in the order sent: one for an append to one stream ({@code
 *     POST /streams/{id}}), two or more for a multi-stream append ({@code POST /events}), all or
 *     nothing
 * @param multiStream whether it went through {@code POST /events} (its answers have that endpoint's
 *     shape, even with one part)
 * @param startNanos when the request left, on the suite's clock
 * @param endNanos when the answer (or the failure) came back
 * @param status the HTTP status, or {@link #UNKNOWN} when no answer came (the append may or may not
 *     have committed)
 * @param body the answer's body, or {@code "unknown: <exception>"}
 * @param retryAfter the answer's {@code Retry-After} header, or null when it had none (or no answer
 *     came); Arbor sends one with every 503
 */
public record Attempt(
        long id,
        long opId,
        int worker,
        List<Part> parts,
        boolean multiStream,
        long startNanos,
        long endNanos,
        int status,
        String body,
        String retryAfter) {

    /** No HTTP answer: connection refused or reset, timeout. */
    public static final int UNKNOWN = -1;

    /**
     * One stream of an append.
     *
     * @param stream the stream
     * @param expected the expected version sent ({@code "any"} or a number)
     * @param eventIds the events sent to it, in order; none for a guard (a part of a multi-stream
     *     append that only requires its expected version to hold)
     */
    public record Part(String stream, String expected, List<UUID> eventIds) {
        public Part {
            eventIds = List.copyOf(eventIds);
        }

        public boolean guard() {
            return eventIds.isEmpty();
        }
    }

    public Attempt {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("an append has at least one part");
        }
    }

    /** An append to one stream ({@code POST /streams/{stream}}). */
    public Attempt(
            long id,
            long opId,
            int worker,
            String stream,
            String expected,
            List<UUID> eventIds,
            long startNanos,
            long endNanos,
            int status,
            String body,
            String retryAfter) {
        this(
                id,
                opId,
                worker,
                List.of(new Part(stream, expected, eventIds)),
                false,
                startNanos,
                endNanos,
                status,
                body,
                retryAfter);
    }

    /** The same request with another answer (tests doctor histories with it). */
    public Attempt answered(int status, String body, String retryAfter) {
        return new Attempt(
                id,
                opId,
                worker,
                parts,
                multiStream,
                startNanos,
                endNanos,
                status,
                body,
                retryAfter);
    }

    /** Every event sent, in the order sent (part by part). */
    public List<UUID> eventIds() {
        return parts.stream().flatMap(p -> p.eventIds().stream()).toList();
    }

    /** What the request went to, for the report: a stream, or {@code POST /events [a, b]}. */
    public String target() {
        return multiStream
                ? parts.stream()
                        .map(p -> p.stream() + (p.guard() ? " (guard)" : ""))
                        .collect(Collectors.joining(", ", "POST /events [", "]"))
                : parts.get(0).stream();
    }

    public boolean acknowledged() {
        return status == 201 || status == 200;
    }

    /**
     * Payara answers with its own HTML error page while it starts: 404 until the application is
     * loaded, and now and then a 500 or 503 as it comes up (a CI run saw one 500 page among 354
     * reads; docs/fault-suite.md names the likely source). The request never reached Arbor, whose
     * every answer is problem+json (its 404s, and its 500s, which carry an incident id). Other 4xx
     * pages are not start-up noise.
     */
    public static boolean isServerStartingPage(int status, String body) {
        return (status == 404 || status >= 500) && isServerPage(status, body);
    }

    /**
     * The answer is Payara's own error page, not Arbor's problem+json: the request never reached
     * Arbor. (The client turns an answer that is not problem+json into the type below.)
     */
    public static boolean isServerPage(int status, String body) {
        return body != null
                && (!body.startsWith("{")
                        || body.contains("\"urn:arbor:problem:http-" + status + "\""));
    }

    /** The append may have committed or not: no answer, or a 5xx. */
    public boolean indeterminate() {
        return status == UNKNOWN || status >= 500;
    }
}
