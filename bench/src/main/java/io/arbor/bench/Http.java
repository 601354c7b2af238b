package io.arbor.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The load generator's whole HTTP layer: HTTP/1.1 with keep-alive over one blocking socket per
 * thread, bodies prepared by the caller as bytes, answers kept as text only where a scenario needs
 * a number from them. No JSON mapping on either side, so the figures measure the server, not this
 * program. (The typed client for applications is the client/ module; this is deliberately not one.)
 *
 * <p>Why not {@code java.net.http}: on this 2-core machine its client took about 1.5 cores to drive
 * 600 hot-stream reads a second, leaving the server the rest, so every REST figure measured the
 * client as much as Arbor. This one takes under 0.2 cores for 2,000 reads a second.
 */
final class Http {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int READ_TIMEOUT_MILLIS = 60_000;

    /**
     * A kept-alive connection idle longer than this is replaced before use: the server may have
     * closed it meanwhile, and a request written into a closed connection cannot safely be retried
     * (an append might have been taken).
     */
    private static final long MAX_IDLE_NANOS = 2_000_000_000L;

    /** An answer: its status and, when asked for, its body. */
    record Reply(int status, String body) {
        /** The integer after {@code "name":} in the body, or -1. */
        long number(String name) {
            String key = "\"" + name + "\":";
            int at = body.lastIndexOf(key);
            if (at < 0) {
                return -1;
            }
            int i = at + key.length();
            while (i < body.length() && body.charAt(i) == ' ') {
                i++;
            }
            long value = 0;
            boolean any = false;
            for (; i < body.length() && Character.isDigit(body.charAt(i)); i++) {
                value = value * 10 + (body.charAt(i) - '0');
                any = true;
            }
            return any ? value : -1;
        }

        /** The string after {@code "name":"} in the body (no escapes in it), or null. */
        String text(String name) {
            String key = "\"" + name + "\":\"";
            int at = body.indexOf(key);
            if (at < 0) {
                return null;
            }
            int from = at + key.length();
            int to = body.indexOf('"', from);
            return to < 0 ? null : body.substring(from, to);
        }

        /** How often {@code needle} occurs in the body. */
        int count(String needle) {
            int n = 0;
            for (int at = body.indexOf(needle); at >= 0; at = body.indexOf(needle, at + 1)) {
                n++;
            }
            return n;
        }
    }

    private final String base;
    private final String apiPath;
    private final ThreadLocal<Connection> connections = new ThreadLocal<>();
    private volatile String token;

    Http(String base, String token) {
        this.base = base;
        this.apiPath = URI.create(base).getRawPath().replaceAll("/$", "") + "/arbor/api";
        this.token = token;
    }

    /** The bearer token sent with every request; null: none. */
    String token() {
        return token;
    }

    /** Sends {@code token} from the next request on (null: none; scenario 16 switches). */
    void token(String token) {
        this.token = token;
    }

    /** The request header line that carries {@code token}, or nothing when it is null. */
    static String authorization(String token) {
        return token == null ? "" : "Authorization: Bearer " + token + "\r\n";
    }

    Reply post(String path, byte[] json) throws IOException {
        return exchange(base, "POST", apiPath + path, json, false, true);
    }

    Reply put(String path, byte[] json) throws IOException {
        return exchange(base, "PUT", apiPath + path, json, false, true);
    }

    Reply delete(String path) throws IOException {
        return exchange(base, "DELETE", apiPath + path, null, false, true);
    }

    /**
     * A GET; {@code bypassCache} sends {@code Cache-Control: no-cache}, which makes Arbor read the
     * database only. {@code keepBody} false discards the body (only the status is kept).
     */
    Reply get(String path, boolean bypassCache, boolean keepBody) throws IOException {
        return exchange(base, "GET", apiPath + path, null, bypassCache, keepBody);
    }

    /** A GET of a server path outside the API (health, metrics). */
    Reply getServer(String server, String path) throws IOException {
        return exchange(server, "GET", URI.create(server).getRawPath() + path, null, false, true);
    }

    private Reply exchange(
            String server,
            String method,
            String target,
            byte[] body,
            boolean bypassCache,
            boolean keepBody)
            throws IOException {
        Connection connection = connections.get();
        if (connection == null || !connection.usableFor(server)) {
            if (connection != null) {
                connection.close();
            }
            connection = new Connection(server);
            connections.set(connection);
        }
        try {
            return connection.exchange(
                    method, target, body, bypassCache, keepBody, authorization(token));
        } catch (IOException | RuntimeException failed) {
            connection.close();
            connections.remove();
            throw failed;
        }
    }

    /** One keep-alive connection to one server, used by one thread at a time. */
    private static final class Connection {
        private final String server;
        private final String host;
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private long lastUsed = System.nanoTime();
        private boolean closed;

        Connection(String server) throws IOException {
            URI uri = URI.create(server);
            this.server = server;
            int port = uri.getPort() < 0 ? 80 : uri.getPort();
            this.host = uri.getHost() + ":" + port;
            this.socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.connect(new InetSocketAddress(uri.getHost(), port), CONNECT_TIMEOUT_MILLIS);
            this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        }

        boolean usableFor(String wanted) {
            return !closed
                    && server.equals(wanted)
                    && System.nanoTime() - lastUsed < MAX_IDLE_NANOS;
        }

        Reply exchange(
                String method,
                String target,
                byte[] body,
                boolean bypassCache,
                boolean keepBody,
                String authorization)
                throws IOException {
            StringBuilder head = new StringBuilder(160);
            head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            head.append("Host: ").append(host).append("\r\n");
            head.append("Accept: application/json\r\n").append(authorization);
            if (bypassCache) {
                head.append("Cache-Control: no-cache\r\n");
            }
            if (body != null) {
                head.append("Content-Type: application/json\r\n");
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();

            Head answer = Head.read(in);
            int status = answer.status();
            long length = answer.length();
            boolean chunked = answer.chunked();
            boolean closeAfter = answer.close();
            ByteArrayOutputStream kept = keepBody ? new ByteArrayOutputStream() : null;
            boolean bodyless = method.equals("HEAD") || status == 204 || status == 304;
            if (bodyless) {
                length = 0;
            } else if (chunked) {
                for (long size = chunkSize(); size > 0; size = chunkSize()) {
                    transfer(size, kept);
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (length >= 0) {
                transfer(length, kept);
            } else {
                // No length: the body runs to the end of the connection.
                transfer(Long.MAX_VALUE, kept);
                closed = true;
            }
            if (closeAfter) {
                close();
            }
            lastUsed = System.nanoTime();
            return new Reply(status, kept == null ? "" : kept.toString(StandardCharsets.UTF_8));
        }

        void close() {
            closed = true;
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a connection we no longer use
            }
        }

        private long chunkSize() throws IOException {
            return Http.chunkSize(in);
        }

        /** Copies {@code count} body bytes into {@code kept}, or skips them when it is null. */
        private void transfer(long count, ByteArrayOutputStream kept) throws IOException {
            byte[] buffer = new byte[8192];
            long left = count;
            while (left > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (read < 0) {
                    if (count == Long.MAX_VALUE) {
                        return;
                    }
                    throw new EOFException("connection closed in a body");
                }
                if (kept != null) {
                    kept.write(buffer, 0, read);
                }
                left -= read;
            }
        }

        private String line() throws IOException {
            return Http.line(in);
        }
    }

    /** An answer's status line and the headers that say how its body is framed. */
    record Head(int status, long length, boolean chunked, boolean close) {
        static Head read(InputStream in) throws IOException {
            // "HTTP/1.1 200 OK"
            String statusLine = line(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP status line: " + statusLine);
            }
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" ->
                            chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close |= value.toLowerCase(Locale.ROOT).contains("close");
                    default -> {}
                }
            }
            return new Head(Integer.parseInt(parts[1]), length, chunked, close);
        }
    }

    /** The size line of the next chunk of a chunked body. */
    static long chunkSize(InputStream in) throws IOException {
        String size = line(in);
        int extension = size.indexOf(';');
        return Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
    }

    /** One header line, without its CRLF. */
    static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
