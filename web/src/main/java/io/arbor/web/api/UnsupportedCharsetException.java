package io.arbor.web.api;

/** A JSON body declared in a charset other than UTF-8: answered 415. */
public class UnsupportedCharsetException extends RuntimeException {
    public UnsupportedCharsetException(String charset) {
        super("Request bodies must be application/json in UTF-8, not " + charset);
    }
}
