package io.arbor.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventHashTest {
    private static final UUID FIRST = UUID.fromString("6f1c3a4e-8d2b-4c1f-9e7a-2b5d8c9f0a11");
    private static final UUID SECOND = UUID.fromString("0b7e2d34-1c9a-4f6e-8a3b-5d2c1e0f9a87");

    /**
     * docs/tamper-evidence.md's worked example. The expected hashes were computed apart from this
     * code, with Python's hashlib over the canonical bytes written by hand: {@code sha256(bytes(32)
     * + c1.encode('utf-8'))}, then {@code sha256(h1 + c2.encode('utf-8'))}.
     */
    @Test
    void theWorkedExampleMatchesAnIndependentComputation() {
        String data =
                "{ \"note\" : \"caf\\u00e9 \\\"x\\\"\\n\", \"b\": [1e2, -0, 15E-1], \"amount\": 10.50 }";
        byte[] canonical =
                EventHash.canonicalEvent(
                        FIRST, "account-42", 1, "Deposited", 1, data, "{}", List.of("account:42"));
        assertEquals(
                "{\"data\":{\"amount\":10.5,\"b\":[100,0,1.5],\"note\":\"café \\\"x\\\"\\n\"},"
                        + "\"eventId\":\"6f1c3a4e-8d2b-4c1f-9e7a-2b5d8c9f0a11\",\"metadata\":{},"
                        + "\"schemaVersion\":1,\"streamId\":\"account-42\",\"tags\":[\"account:42\"],"
                        + "\"type\":\"Deposited\",\"version\":1}",
                new String(canonical, StandardCharsets.UTF_8));
        byte[] first = EventHash.chain(EventHash.GENESIS, canonical);
        assertEquals(
                "58f350a55cb87b0ea3afdf7a6ceed2d3022f1b94191865584a8ee00b67ee35ee",
                EventHash.toHex(first));
        byte[] second =
                EventHash.hash(
                        first,
                        SECOND,
                        "account-42",
                        2,
                        "Withdrawn",
                        2,
                        "{\"amount\":5}",
                        "{\"by\":\"ada\"}",
                        List.of());
        assertEquals(
                "f863d3cedb08befae9c8a440fd01a6b4298b2da05835de732518b751adeffcb9",
                EventHash.toHex(second));
    }

    @Test
    void membersAreSortedByUtf16CodeUnitsAtEveryDepth() {
        assertEquals(
                "{\"A\":{\"a\":[{\"x\":1,\"y\":2}],\"b\":1},\"a\":0,\"é\":3,\"\uD83D\uDE00\":5,\"\uFB01\":4}",
                EventHash.canonicalJson(
                        "{\"\uFB01\":4,\"\uD83D\uDE00\":5,\"é\":3,\"a\":0,"
                                + "\"A\":{\"b\":1,\"a\":[{\"y\":2,\"x\":1}]}}"));
        // UTF-16 order puts U+1F600 (a surrogate pair, D83D…) before U+FB01, unlike code points.
    }

    @Test
    void arraysKeepTheirOrder() {
        assertEquals(
                "[3,1,2,[\"b\",\"a\"]]",
                EventHash.canonicalJson(" [ 3 , 1 , 2 , [ \"b\" , \"a\" ] ] "));
    }

    @Test
    void stringsAreEscapedAsJcsDoes() {
        assertEquals(
                "\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001\\u001f / \u007f \u2028 é \uD83D\uDE00\"",
                EventHash.canonicalJson(
                        "\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001\\u001F \\/ \\u007f \\u2028 \\u00E9"
                                + " \\ud83d\\ude00\""));
    }

    @Test
    void numbersAreTheirExactValueInPlainNotation() {
        assertEquals("1.5", EventHash.canonicalJson("1.50"));
        assertEquals("1.5", EventHash.canonicalJson("15E-1"));
        assertEquals("1.5", EventHash.canonicalJson("1.5e0"));
        assertEquals("100", EventHash.canonicalJson("1e2"));
        assertEquals("100", EventHash.canonicalJson("100"));
        assertEquals("100", EventHash.canonicalJson("1E+2"));
        assertEquals("0", EventHash.canonicalJson("-0"));
        assertEquals("0", EventHash.canonicalJson("0.000"));
        assertEquals("0", EventHash.canonicalJson("-0.0e5"));
        assertEquals("-0.001", EventHash.canonicalJson("-1e-3"));
        assertEquals(
                "123456789012345678901234567890.12345678901234567890123",
                EventHash.canonicalJson(
                        "123456789012345678901234567890.12345678901234567890123000"));
        assertEquals("1" + "0".repeat(400), EventHash.canonicalJson("1e400"));
        assertEquals("0." + "0".repeat(399) + "1", EventHash.canonicalJson("1e-400"));
        assertEquals("9007199254740993", EventHash.canonicalJson("9007199254740993"));
        assertEquals("1.5", EventHash.canonicalNumber(new BigDecimal("1.500")));
    }

    @Test
    void literalsAndEmptyContainers() {
        assertEquals(
                "{\"a\":true,\"b\":false,\"c\":null,\"d\":{},\"e\":[]}",
                EventHash.canonicalJson("{\"e\":[ ],\"d\":{ },\"c\":null,\"b\":false,\"a\":true}"));
    }

    @Test
    void emptyTagsAreAnEmptyArrayAndTagsKeepTheWritersOrder() {
        String ab = canonicalWithTags(List.of("b", "a"));
        assertEquals(true, ab.contains("\"tags\":[\"b\",\"a\"]"));
        assertEquals(true, canonicalWithTags(List.of()).contains("\"tags\":[]"));
        assertNotEquals(ab, canonicalWithTags(List.of("a", "b")));
    }

    @Test
    void everyFieldAndThePredecessorChangeTheHash() {
        byte[] base = hash(EventHash.GENESIS, "s-1", 1, "T", 1, "{\"a\":1}", "{}", List.of());
        assertArrayEquals(
                base,
                hash(EventHash.GENESIS, "s-1", 1, "T", 1, "{ \"a\" : 1.0 }", "{}", List.of()));
        List<byte[]> changed =
                List.of(
                        hash(base, "s-1", 1, "T", 1, "{\"a\":1}", "{}", List.of()),
                        hash(EventHash.GENESIS, "s-2", 1, "T", 1, "{\"a\":1}", "{}", List.of()),
                        hash(EventHash.GENESIS, "s-1", 2, "T", 1, "{\"a\":1}", "{}", List.of()),
                        hash(EventHash.GENESIS, "s-1", 1, "U", 1, "{\"a\":1}", "{}", List.of()),
                        hash(EventHash.GENESIS, "s-1", 1, "T", 2, "{\"a\":1}", "{}", List.of()),
                        hash(EventHash.GENESIS, "s-1", 1, "T", 1, "{\"a\":2}", "{}", List.of()),
                        hash(
                                EventHash.GENESIS,
                                "s-1",
                                1,
                                "T",
                                1,
                                "{\"a\":1}",
                                "{\"m\":1}",
                                List.of()),
                        hash(EventHash.GENESIS, "s-1", 1, "T", 1, "{\"a\":1}", "{}", List.of("t")));
        for (byte[] other : changed) {
            assertNotEquals(EventHash.toHex(base), EventHash.toHex(other));
        }
    }

    @Test
    void whatIsNotOneJsonValueIsRefused() {
        for (String bad :
                List.of(
                        "",
                        "{",
                        "{\"a\":1,\"a\":2}",
                        "{\"a\":1} x",
                        "[1,]",
                        "01",
                        "1.",
                        "1e",
                        "+1",
                        "\"\\ud800\"",
                        "\"a\nb\"",
                        "\"\\x\"",
                        "tru",
                        "{a:1}")) {
            assertThrows(IllegalArgumentException.class, () -> EventHash.canonicalJson(bad), bad);
        }
    }

    @Test
    void hexRoundTrips() {
        byte[] hash = EventHash.chain(EventHash.GENESIS, new byte[0]);
        assertEquals(64, EventHash.toHex(hash).length());
        assertArrayEquals(hash, EventHash.fromHex(EventHash.toHex(hash).toUpperCase()));
        assertThrows(IllegalArgumentException.class, () -> EventHash.fromHex("0g"));
        assertThrows(
                IllegalArgumentException.class, () -> EventHash.chain(new byte[31], new byte[0]));
    }

    private static String canonicalWithTags(List<String> tags) {
        return new String(
                EventHash.canonicalEvent(FIRST, "s-1", 1, "T", 1, "{}", "{}", tags),
                StandardCharsets.UTF_8);
    }

    private static byte[] hash(
            byte[] previous,
            String stream,
            long version,
            String type,
            int schemaVersion,
            String data,
            String metadata,
            List<String> tags) {
        return EventHash.hash(
                previous, FIRST, stream, version, type, schemaVersion, data, metadata, tags);
    }
}
