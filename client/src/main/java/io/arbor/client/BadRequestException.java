package io.arbor.client;

/**
 * 400: the request was invalid; nothing was written. {@link #pointer()} names the offending field.
 */
public class BadRequestException extends ArborProblemException {
    public BadRequestException(Problem problem) {
        super(problem);
    }

    BadRequestException(Problem problem, boolean problemJson) {
        super(problem, problemJson);
    }

    /** A JSON pointer to the offending field ({@code /events/0/type}), or null. */
    public String pointer() {
        return problem().string("pointer");
    }
}
