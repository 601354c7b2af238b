package io.arbor.client;

/**
 * 400: the request was invalid; nothing was written. {@link #pointer()} names the offending body
 * field, or {@link #parameter()} the offending query or path parameter.
 */
public class BadRequestException extends ArborProblemException {
    public BadRequestException(Problem problem) {
        super(problem);
    }

    BadRequestException(Problem problem, boolean problemJson) {
        super(problem, problemJson);
    }

    /** An RFC 6901 JSON pointer into the request body ({@code /events/0/type}), or null. */
    public String pointer() {
        return problem().string("pointer");
    }

    /** The refused query or path parameter ({@code limit}), or null. */
    public String parameter() {
        return problem().string("parameter");
    }
}
