package io.arbor.client;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * Reads Server-Sent Events frames from a text stream as the HTML specification's "event stream
 * interpretation" says: lines end in CR LF, LF or CR; a blank line ends a frame; {@code data:}
 * lines join with LF; one space after the colon is dropped; a field without a colon has an empty
 * value; an {@code id} holding U+0000 is ignored; unknown fields are ignored. Comment lines (a
 * leading colon) are returned at once as their own {@link Frame#isComment() comment frames}, so the
 * reader of a quiet subscription sees the heartbeats arrive.
 */
final class SseParser {
    /**
     * One frame.
     *
     * @param id its {@code id:} field, or null when it had none
     * @param name its {@code event:} name ({@code message} when it had none), null for a comment
     * @param data its {@code data:} lines joined with LF, or null when it had none
     * @param comment a comment line's text, or null for a frame
     */
    record Frame(String id, String name, String data, String comment) {
        boolean isComment() {
            return comment != null;
        }
    }

    private final BufferedReader in;
    private boolean first = true;
    private String id;
    private String name;
    private StringBuilder data;

    SseParser(BufferedReader in) {
        this.in = in;
    }

    /** The next frame or comment; null at the end of the stream (a frame cut off is dropped). */
    Frame next() throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (first) {
                first = false;
                if (line.startsWith("\uFEFF")) {
                    line = line.substring(1); // the specification allows one leading BOM
                }
            }
            if (line.isEmpty()) {
                Frame frame = dispatch();
                if (frame != null) {
                    return frame;
                }
            } else if (line.charAt(0) == ':') {
                String text = line.substring(1);
                return new Frame(null, null, null, text.startsWith(" ") ? text.substring(1) : text);
            } else {
                field(line);
            }
        }
        return null;
    }

    private void field(String line) {
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" ->
                    data =
                            data == null
                                    ? new StringBuilder(value)
                                    : data.append('\n').append(value);
            case "event" -> name = value;
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    id = value;
                }
            }
            default -> {} // "retry" and future fields: this client keeps its own backoff
        }
    }

    private Frame dispatch() {
        Frame frame =
                id == null && name == null && data == null
                        ? null
                        : new Frame(
                                id,
                                name == null || name.isEmpty() ? "message" : name,
                                data == null ? null : data.toString(),
                                null);
        id = null;
        name = null;
        data = null;
        return frame;
    }
}
