package io.arbor.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One live subscription read the way {@link Http} reads answers: one plain socket, HTTP/1.1, the
 * chunked body decoded by hand, and the Server-Sent Events frames (api.md, "Live subscriptions")
 * split into lines in one reusable buffer. A thread of its own reads the frames and hands each to
 * the scenario's {@link Listener}, on that thread.
 *
 * <p>Why not {@code java.net.http} with a line subscriber: a hundred of these on a 2-core machine
 * must take as little CPU as possible, or the fan-out figures measure this program (see {@link
 * Http}).
 */
final class EventStream implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    /** Longer than the server's heartbeat (15 s, 2 s on the test domain): silence is a failure. */
    private static final int READ_TIMEOUT_MILLIS = 60_000;

    /** One frame: its {@code event:} name ("message" when none), {@code id:} (null) and data. */
    record Frame(String name, String id, String data) {}

    /** What a scenario does with each frame, on the stream's thread; false closes the stream. */
    interface Listener {
        boolean frame(Frame frame) throws Exception;
    }

    private final Socket socket;
    private final InputStream in;
    private final boolean chunked;
    private final Thread thread;
    private final byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;
    private long chunkLeft;
    private volatile boolean closed;
    private volatile Exception failure;

    private EventStream(Socket socket, InputStream in, boolean chunked, Listener listener) {
        this.socket = socket;
        this.in = in;
        this.chunked = chunked;
        this.thread = new Thread(() -> read(listener), "sse-" + socket.getLocalPort());
        thread.setDaemon(true);
    }

    /**
     * Subscribes to {@code path} under the API of {@code server} and starts reading its frames into
     * {@code listener}, sending {@code token} (null: none); throws when the server answers anything
     * but 200 text/event-stream.
     */
    static EventStream open(String server, String path, String token, Listener listener)
            throws IOException {
        URI uri = URI.create(server);
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String target = uri.getRawPath().replaceAll("/$", "") + "/arbor/api" + path;
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.connect(new InetSocketAddress(uri.getHost(), port), CONNECT_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(
                    ("GET "
                                    + target
                                    + " HTTP/1.1\r\nHost: "
                                    + uri.getHost()
                                    + ":"
                                    + port
                                    + "\r\nAccept: text/event-stream\r\n"
                                    + Http.authorization(token)
                                    + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            Http.Head head = Http.Head.read(in);
            if (head.status() != 200) {
                byte[] body = in.readNBytes((int) Math.min(500, Math.max(0, head.length())));
                throw new IOException(
                        "subscribe "
                                + path
                                + " answered "
                                + head.status()
                                + ": "
                                + new String(body, StandardCharsets.UTF_8));
            }
            EventStream stream = new EventStream(socket, in, head.chunked(), listener);
            stream.thread.start();
            return stream;
        } catch (IOException | RuntimeException failed) {
            socket.close();
            throw failed;
        }
    }

    /** Why the stream ended other than by {@link #close}, or null. */
    Exception failure() {
        return failure;
    }

    boolean ended() {
        return !thread.isAlive();
    }

    /** Waits up to {@code millis} for the stream to end by itself or by its listener. */
    void await(long millis) throws InterruptedException {
        thread.join(Math.max(1, millis));
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a stream we no longer read
        }
    }

    private void read(Listener listener) {
        String name = null;
        String id = null;
        String data = null;
        try {
            for (String line = line(); line != null; line = line()) {
                if (line.isEmpty()) {
                    if (data != null
                            && !listener.frame(
                                    new Frame(name == null ? "message" : name, id, data))) {
                        break;
                    }
                    name = id = data = null;
                } else if (line.charAt(0) != ':') { // a comment (heartbeat) carries no frame
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    int from = colon < 0 ? line.length() : colon + 1;
                    if (from < line.length() && line.charAt(from) == ' ') {
                        from++;
                    }
                    String value = line.substring(from);
                    switch (field) {
                        case "event" -> name = value;
                        case "id" -> id = value;
                        case "data" -> data = data == null ? value : data + "\n" + value;
                        default -> {}
                    }
                }
            }
        } catch (Exception failed) {
            if (!closed) {
                failure = failed;
            }
        } finally {
            close();
        }
    }

    /** The next line of the body without its line end, or null at its end. */
    private String line() throws IOException {
        int scanned = start;
        while (true) {
            for (int i = scanned; i < end; i++) {
                if (buffer[i] == '\n') {
                    int to = i > start && buffer[i - 1] == '\r' ? i - 1 : i;
                    String line = new String(buffer, start, to - start, StandardCharsets.UTF_8);
                    start = i + 1;
                    return line;
                }
            }
            if (start > 0) {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            scanned = end;
            if (end == buffer.length) {
                throw new IOException(
                        "an SSE line longer than "
                                + buffer.length
                                + " bytes: "
                                + new String(Arrays.copyOf(buffer, 80), StandardCharsets.UTF_8));
            }
            int read = body(buffer, end, buffer.length - end);
            if (read < 0) {
                return null;
            }
            end += read;
        }
    }

    /** Body bytes, the chunked framing taken off; -1 at the body's end. */
    private int body(byte[] into, int offset, int length) throws IOException {
        if (!chunked) {
            return in.read(into, offset, length);
        }
        if (chunkLeft == 0) {
            chunkLeft = Http.chunkSize(in);
            if (chunkLeft == 0) {
                return -1;
            }
        }
        int read = in.read(into, offset, (int) Math.min(length, chunkLeft));
        if (read < 0) {
            return -1;
        }
        chunkLeft -= read;
        if (chunkLeft == 0) {
            Http.line(in); // the CRLF after the chunk
        }
        return read;
    }
}
