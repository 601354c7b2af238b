package io.arbor.domain;

/** Input that breaks the contract: answered 400 and never written. */
public class InvalidInputException extends ArborException {
    private final String pointer;

    /**
     * @param pointer JSON pointer (or parameter name) of the offending input, e.g. {@code
     *     /events/0/type}
     */
    public InvalidInputException(String pointer, String message) {
        super(message);
        this.pointer = pointer;
    }

    public String pointer() {
        return pointer;
    }
}
