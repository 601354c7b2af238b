package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Issue 13, items 1, 2, 6, 7 and 9, on the real server. */
class ContractHardeningIT extends ArborIT {

    @Test
    void aDuplicateMemberInAnyBodyIsA400WithAPointerAndWritesNothing() throws Exception {
        String stream = Arbor.newStream("dupkeys");
        assertEquals(201, arbor.append(stream, "0", "A").status());
        String type = "Dup" + UUID.randomUUID().toString().replace("-", "");
        assertEquals(201, arbor.put("/schemas/" + type + "/versions/1", "{}").status());
        assertEquals(201, arbor.put("/schemas/" + type + "/versions/2", "{}").status());
        long events = Database.queryLong("SELECT count(*) FROM events");
        String events1 = "/streams/" + stream + "/events";
        String[][] cases = {
            {
                events1,
                "{\"events\":[{\"type\":\"A\",\"data\":{}}],\"events\":[{\"type\":\"B\",\"data\":{}},{\"type\":\"C\",\"data\":{}}]}",
                "/events"
            },
            {
                events1,
                "{\"expectedVersion\":\"no_stream\",\"expectedVersion\":1,\"events\":[{\"type\":\"A\",\"data\":{}}]}",
                "/expectedVersion"
            },
            {
                events1,
                "{\"events\":[{\"type\":\"A\",\"data\":{\"a\":1,\"a\":2}}]}",
                "/events/0/data/a"
            },
            {
                events1,
                "{\"events\":[{\"type\":\"A\",\"data\":{},\"metadata\":{\"m\":{\"x\":1,\"x\":1}}}]}",
                "/events/0/metadata/m/x"
            },
        };
        for (String[] c : cases) {
            Reply reply = arbor.post(c[0], c[1]);
            assertEquals(400, reply.status(), reply::toString);
            assertEquals(c[2], reply.json().getString("pointer"), reply::toString);
        }
        Reply snapshot =
                arbor.put(
                        "/streams/" + stream + "/snapshot",
                        "{\"version\":1,\"type\":\"S\",\"data\":{},\"data\":{\"x\":1}}");
        assertEquals("/data", snapshot.json().getString("pointer"), snapshot::toString);
        Reply schema =
                arbor.put(
                        "/schemas/" + type + "/versions/3",
                        "{\"type\":\"object\",\"type\":\"string\"}");
        assertEquals("/type", schema.json().getString("pointer"), schema::toString);
        Reply upcaster =
                arbor.put(
                        "/schemas/" + type + "/upcasters/1",
                        "{\"operations\":[{\"op\":\"add\",\"path\":\"/a\",\"value\":1,\"value\":2}]}");
        assertEquals(
                "/operations/0/value", upcaster.json().getString("pointer"), upcaster::toString);
        assertEquals(events, Database.queryLong("SELECT count(*) FROM events"));
        assertEquals(1, arbor.get("/streams/" + stream).json().getInt("version"));
        assertEquals(404, arbor.get("/streams/" + stream + "/snapshot").status());
        assertEquals(2, arbor.get("/schemas/" + type).json().getInt("latestVersion"));
        assertEquals(0, arbor.get("/schemas/" + type).json().getJsonArray("upcasters").size());
    }

    @Test
    void anEventIdReusedWithOtherContentIsA409NamingItAndARealRetryIsA200() {
        String stream = Arbor.newStream("reuse");
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        String original =
                "{\"expectedVersion\":\"no_stream\",\"events\":["
                        + "{\"eventId\":\""
                        + a
                        + "\",\"type\":\"Opened\",\"data\":{\"owner\":\"ada\",\"n\":1e2}},"
                        + "{\"eventId\":\""
                        + b
                        + "\",\"type\":\"Deposited\",\"data\":{\"amount\":10},\"metadata\":{\"by\":\"x\"}}]}";
        assertEquals(201, arbor.post("/streams/" + stream + "/events", original).status());
        // The same events again, members reordered and numbers spelled otherwise: a retry.
        Reply retry =
                arbor.post(
                        "/streams/" + stream + "/events",
                        "{\"expectedVersion\":\"no_stream\",\"events\":["
                                + "{\"data\":{\"n\":100,\"owner\":\"ada\"},\"type\":\"Opened\",\"eventId\":\""
                                + a
                                + "\"},"
                                + "{\"eventId\":\""
                                + b
                                + "\",\"type\":\"Deposited\",\"data\":{\"amount\":10.0},\"metadata\":{\"by\":\"x\"}}]}");
        assertEquals(200, retry.status(), retry::toString);
        for (String expected :
                List.of(
                        "",
                        "\"expectedVersion\":\"any\",",
                        "\"expectedVersion\":\"no_stream\",",
                        "\"expectedVersion\":0,")) {
            Reply hacked =
                    arbor.post(
                            "/streams/" + stream + "/events",
                            "{"
                                    + expected
                                    + "\"events\":[{\"eventId\":\""
                                    + a
                                    + "\",\"type\":\"Hacked\",\"data\":{\"owner\":\"mallory\"}}]}");
            assertEquals(409, hacked.status(), hacked::toString);
            assertEquals("urn:arbor:problem:duplicate-event-id", hacked.json().getString("type"));
            assertEquals(a.toString(), hacked.json().getString("eventId"), hacked::toString);
        }
        Reply otherMetadata =
                arbor.post(
                        "/streams/" + stream + "/events",
                        "{\"events\":[{\"eventId\":\""
                                + b
                                + "\",\"type\":\"Deposited\",\"data\":{\"amount\":10}}]}");
        assertEquals(409, otherMetadata.status(), otherMetadata::toString);
        assertEquals(b.toString(), otherMetadata.json().getString("eventId"));
        assertEquals(2, arbor.get("/streams/" + stream).json().getInt("version"));
    }

    @Test
    void containerLimitsAnswerProblemJsonUnderTheApi() {
        Reply longQuery = arbor.get("/events?category=" + "c".repeat(60_000));
        assertEquals(414, longQuery.status(), longQuery::toString);
        assertTrue(longQuery.isProblem(), longQuery::toString);
        Reply longId = arbor.get("/streams/" + "s".repeat(10_000) + "/events");
        assertEquals(414, longId.status(), longId::toString);
        assertTrue(longId.isProblem(), longId::toString);
        Reply bigHeader =
                arbor.send("GET", "/events", null, null, List.of("X-Big", "x".repeat(20_000)));
        assertEquals(431, bigHeader.status(), bigHeader::toString);
        assertTrue(bigHeader.isProblem(), bigHeader::toString);
    }

    @Test
    void optionsAnswers204WithAllowAndNoWadl() {
        for (String path : List.of("/events", "/streams/options-1/events", "/schemas")) {
            Reply options = arbor.send("OPTIONS", path, null, null);
            assertEquals(204, options.status(), options::toString);
            assertTrue(options.header("Allow").contains("GET"), options::toString);
            assertTrue(options.body().isEmpty(), options::toString);
        }
        Reply plain = arbor.send("OPTIONS", "/events", null, null, List.of("Accept", "text/plain"));
        assertEquals(204, plain.status(), plain::toString);
    }

    @Test
    void noAnswerAnnouncesTheServerOrItsVersions() {
        for (Reply reply :
                List.of(
                        arbor.get("/events?limit=1"),
                        arbor.get("/nowhere"),
                        arbor.get(Arbor.HOST + "/health/ready"))) {
            assertNull(reply.header("Server"), reply.headers()::toString);
            assertNull(reply.header("X-Powered-By"), reply.headers()::toString);
        }
    }

    /**
     * A declared Content-Length over the limit with a short body: 413 at once (it held the
     * connection 60 s and answered 408). Over a raw socket: java.net.http sets Content-Length
     * itself.
     */
    @Test
    void aDeclaredContentLengthOverTheLimitIsA413BeforeTheBodyIsRead() throws IOException {
        URI api = URI.create(Arbor.API);
        try (Socket socket = new Socket(api.getHost(), api.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String body = "{\"events\":";
            out.write(
                    ("POST /arbor/api/streams/"
                                    + Arbor.newStream("cl")
                                    + "/events HTTP/1.1\r\n"
                                    + "Host: localhost\r\n"
                                    + Tokens.authorizationLine()
                                    + "Content-Type: application/json\r\n"
                                    + "Content-Length: 4194305\r\n\r\n"
                                    + body)
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long began = System.nanoTime();
            String answer = readHead(socket.getInputStream());
            long millis = (System.nanoTime() - began) / 1_000_000;
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.toLowerCase().contains("application/problem+json"), answer);
            assertTrue(millis < 5_000, "took " + millis + " ms");
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            String text = head.toString(StandardCharsets.US_ASCII);
            if (text.endsWith("\r\n\r\n")) {
                return text;
            }
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
