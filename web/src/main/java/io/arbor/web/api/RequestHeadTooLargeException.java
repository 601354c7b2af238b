package io.arbor.web.api;

/**
 * A request whose target (path and query) or header fields are longer than Arbor reads: answered
 * 414 or 431 as problem+json, before any resource runs.
 */
public class RequestHeadTooLargeException extends RuntimeException {
    private final int status;
    private final long limit;

    private RequestHeadTooLargeException(int status, long limit, String message) {
        super(message);
        this.status = status;
        this.limit = limit;
    }

    static RequestHeadTooLargeException target(long length, long limit) {
        return new RequestHeadTooLargeException(
                414,
                limit,
                "The request target (path and query) is "
                        + length
                        + " bytes, over the limit of "
                        + limit);
    }

    static RequestHeadTooLargeException headers(long length, long limit) {
        return new RequestHeadTooLargeException(
                431,
                limit,
                "The request's header fields are " + length + " bytes, over the limit of " + limit);
    }

    /** 414 URI Too Long or 431 Request Header Fields Too Large. */
    public int status() {
        return status;
    }

    public long limit() {
        return limit;
    }
}
