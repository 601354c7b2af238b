package io.arbor.web.api;

/**
 * A request body that is not {@code application/json} in UTF-8: no Content-Type, another type,
 * another charset, or bytes that are not UTF-8 (RFC 8259 §8.1: JSON exchanged between systems is
 * UTF-8). All of them are answered 415 {@code unsupported-media-type}, one status and one problem
 * type for one condition (issue 13).
 */
public class UnsupportedMediaTypeException extends RuntimeException {
    public UnsupportedMediaTypeException(String message) {
        super(message);
    }
}
