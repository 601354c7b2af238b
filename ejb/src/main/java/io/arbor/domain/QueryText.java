package io.arbor.domain;

/**
 * Free text that a statement compares with stored values (a category, a type, a stream id to page
 * after, an event type named in a registry path). Any text may simply match nothing, but PostgreSQL
 * takes no U+0000 in a text parameter: the JDBC driver refuses it, which would be a 500 rather than
 * the 400 it is.
 */
public final class QueryText {
    private QueryText() {}

    public static String check(String name, String text) {
        if (text != null && text.indexOf('\u0000') >= 0) {
            throw InvalidInputException.parameter(
                    name, name + " cannot contain the character U+0000");
        }
        return text;
    }
}
