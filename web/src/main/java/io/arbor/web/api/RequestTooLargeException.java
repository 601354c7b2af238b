package io.arbor.web.api;

/** A request body over {@code arbor.append.max-body-bytes}: answered 413, never read to the end. */
public class RequestTooLargeException extends RuntimeException {
    private final long limit;

    public RequestTooLargeException(long limit) {
        super("The request body is larger than the limit of " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
