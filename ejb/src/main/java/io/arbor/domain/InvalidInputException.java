package io.arbor.domain;

/**
 * Input that breaks the contract: answered 400 and never written. It names what it refuses in one
 * of two ways, never both: a JSON pointer (RFC 6901) into the request body, or the name of a query
 * or path parameter. A bare name where a pointer was expected ({@code expectedVersion} beside
 * {@code /expectedVersion}) left clients guessing which one they had (issue 13).
 */
public class InvalidInputException extends ArborException {
    private final String pointer;
    private final String parameter;

    /**
     * @param pointer JSON pointer into the request body, e.g. {@code /events/0/type}; {@code ""}
     *     for the whole body
     */
    public InvalidInputException(String pointer, String message) {
        this(pointer, null, message);
        if (!pointer.isEmpty() && !pointer.startsWith("/")) {
            throw new IllegalArgumentException("Not a JSON pointer: " + pointer);
        }
    }

    private InvalidInputException(String pointer, String parameter, String message) {
        super(message);
        this.pointer = pointer;
        this.parameter = parameter;
    }

    /**
     * Refuses the query, path or header parameter {@code name} ({@code limit}, {@code streamId},
     * {@code Last-Event-ID}).
     */
    public static InvalidInputException parameter(String name, String message) {
        return new InvalidInputException(null, name, message);
    }

    /** The JSON pointer into the body, or null when a parameter is refused. */
    public String pointer() {
        return pointer;
    }

    /** The refused query or path parameter, or null when the body is refused. */
    public String parameter() {
        return parameter;
    }

    /** {@code name} as one reference token of a JSON pointer: {@code ~} and {@code /} escaped. */
    public static String token(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
