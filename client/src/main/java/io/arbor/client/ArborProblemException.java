package io.arbor.client;

/**
 * The server answered with a problem+json error. Subclasses name the kinds a caller is likely to
 * handle; any other kind (413, 415, 500, …) arrives as this class itself, with its {@link
 * #problem()}.
 */
public class ArborProblemException extends ArborException {
    private final Problem problem;
    private final boolean problemJson;
    private String retryAfter;

    public ArborProblemException(Problem problem) {
        this(problem, true);
    }

    ArborProblemException(Problem problem, boolean problemJson) {
        super(problem.status() + " " + problem.kind() + ": " + problem.detail(), null);
        this.problem = problem;
        this.problemJson = problemJson;
    }

    /**
     * Whether the answer was problem+json, i.e. Arbor's; false for a body that is not (Payara's own
     * error page while the application is away, a proxy's), which {@link #problem()} then describes
     * as {@code urn:arbor:problem:http-STATUS} with the body as its detail.
     */
    boolean problemJson() {
        return problemJson;
    }

    /** The problem as the server sent it. */
    public Problem problem() {
        return problem;
    }

    /** The HTTP status. */
    public int status() {
        return problem.status();
    }

    /**
     * The answer's {@code Retry-After} header as sent (seconds or an HTTP date), or null when it
     * had none. Arbor sends one with every 503.
     */
    public String retryAfter() {
        return retryAfter;
    }

    ArborProblemException withRetryAfter(String value) {
        this.retryAfter = value;
        return this;
    }

    /** Maps a problem to the most specific exception for its type. */
    static ArborProblemException of(Problem problem) {
        return switch (problem.kind()) {
            case "wrong-expected-version" -> new WrongExpectedVersionException(problem);
            case "stream-not-found" -> new StreamNotFoundException(problem);
            case "stream-deleted" -> new StreamDeletedException(problem);
            case "snapshot-not-found" -> new SnapshotNotFoundException(problem);
            case "event-not-found" -> new EventNotFoundException(problem);
            case "duplicate-event-id" -> new DuplicateEventIdException(problem);
            case "snapshot-beyond-head" -> new SnapshotBeyondHeadException(problem);
            case "group-not-found" -> new GroupNotFoundException(problem);
            case "group-filter-changed" -> new GroupFilterChangedException(problem);
            case "lease-not-held" -> new LeaseNotHeldException(problem);
            default ->
                    problem.status() == 400
                            ? new BadRequestException(problem)
                            : new ArborProblemException(problem);
        };
    }
}
