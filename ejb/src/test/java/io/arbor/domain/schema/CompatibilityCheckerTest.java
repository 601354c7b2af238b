package io.arbor.domain.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compatibility algorithm over pairs of schemas, mode by mode. */
class CompatibilityCheckerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String V1 =
            "{\"type\":\"object\",\"required\":[\"amount\"],"
                    + "\"properties\":{\"amount\":{\"type\":\"integer\",\"minimum\":1},"
                    + "\"kind\":{\"enum\":[\"card\",\"cash\"]}}}";

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<String> breaks(Compatibility mode, String previous, String next) {
        return mode.check(json(previous), json(next)).stream().map(SchemaBreak::pointer).toList();
    }

    private static String v1With(String from, String to) {
        String replaced = V1.replace(from, to);
        if (replaced.equals(V1)) {
            throw new IllegalArgumentException("no change: " + from);
        }
        return replaced;
    }

    @Test
    void anIdenticalSchemaIsCompatibleInEveryMode() {
        for (Compatibility mode : Compatibility.values()) {
            assertEquals(List.of(), breaks(mode, V1, V1), mode.name());
        }
    }

    @Test
    void aNewRequiredFieldBreaksBackwardButNotForward() {
        String next = v1With("[\"amount\"]", "[\"amount\",\"currency\"]");
        assertEquals(List.of("/currency"), breaks(Compatibility.BACKWARD, V1, next));
        assertEquals(List.of(), breaks(Compatibility.FORWARD, V1, next));
        assertEquals(List.of("/currency"), breaks(Compatibility.FULL, V1, next));
        assertEquals(List.of(), breaks(Compatibility.NONE, V1, next));
    }

    @Test
    void aRemovedRequiredFieldBreaksForwardButNotBackward() {
        String next = v1With("\"required\":[\"amount\"],", "");
        assertEquals(List.of(), breaks(Compatibility.BACKWARD, V1, next));
        assertEquals(List.of("/amount"), breaks(Compatibility.FORWARD, V1, next));
    }

    @Test
    void anAddedOptionalFieldIsFullyCompatible() {
        String next = v1With("\"kind\":", "\"note\":{\"type\":\"string\"},\"kind\":");
        assertEquals(List.of(), breaks(Compatibility.FULL, V1, next));
    }

    @Test
    void aWiderTypeIsBackwardOnlyAndANarrowerOneForwardOnly() {
        String wider = v1With("\"type\":\"integer\"", "\"type\":\"number\"");
        assertEquals(List.of(), breaks(Compatibility.BACKWARD, V1, wider));
        assertEquals(List.of("/amount"), breaks(Compatibility.FORWARD, V1, wider));
        String narrower = v1With("\"type\":\"integer\"", "\"type\":\"string\"");
        assertEquals(List.of("/amount"), breaks(Compatibility.BACKWARD, V1, narrower));
        assertEquals(List.of("/amount"), breaks(Compatibility.FORWARD, V1, narrower));
    }

    @Test
    void aTighterBoundBreaksBackwardAndALooserOneForward() {
        String tighter = v1With("\"minimum\":1", "\"minimum\":5");
        assertEquals(List.of("/amount"), breaks(Compatibility.BACKWARD, V1, tighter));
        assertEquals(List.of(), breaks(Compatibility.FORWARD, V1, tighter));
        String none = v1With(",\"minimum\":1", "");
        assertEquals(List.of(), breaks(Compatibility.BACKWARD, V1, none));
        assertEquals(List.of("/amount"), breaks(Compatibility.FORWARD, V1, none));
    }

    @Test
    void aRemovedEnumValueBreaksBackwardAndAnAddedOneForward() {
        String fewer = v1With("[\"card\",\"cash\"]", "[\"card\"]");
        assertEquals(List.of("/kind"), breaks(Compatibility.BACKWARD, V1, fewer));
        assertEquals(List.of(), breaks(Compatibility.FORWARD, V1, fewer));
        String more = v1With("[\"card\",\"cash\"]", "[\"card\",\"cash\",\"voucher\"]");
        assertEquals(List.of(), breaks(Compatibility.BACKWARD, V1, more));
        assertEquals(List.of("/kind"), breaks(Compatibility.FORWARD, V1, more));
    }

    @Test
    void closingAnObjectTheWriterOpenedBreaksBackward() {
        String open =
                v1With(
                        "{\"type\":\"object\",",
                        "{\"type\":\"object\",\"additionalProperties\":true,");
        String closed =
                v1With(
                        "{\"type\":\"object\",",
                        "{\"type\":\"object\",\"additionalProperties\":false,");
        assertEquals(List.of(""), breaks(Compatibility.BACKWARD, open, closed));
        assertEquals(List.of(), breaks(Compatibility.FORWARD, open, closed));
    }

    @Test
    void aFieldDroppedFromAClosedReaderBreaks() {
        String closedWithoutKind =
                "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"amount\"],"
                        + "\"properties\":{\"amount\":{\"type\":\"integer\",\"minimum\":1}}}";
        assertEquals(List.of("/kind"), breaks(Compatibility.BACKWARD, V1, closedWithoutKind));
    }

    @Test
    void nestedObjectsAreComparedFieldByField() {
        String previous =
                "{\"properties\":{\"address\":{\"type\":\"object\",\"properties\":"
                        + "{\"zip\":{\"type\":\"string\"}}}}}";
        String next =
                "{\"properties\":{\"address\":{\"type\":\"object\",\"required\":[\"city\"],"
                        + "\"properties\":{\"zip\":{\"type\":\"integer\"}}}}}";
        assertEquals(
                List.of("/address/city", "/address/zip"),
                breaks(Compatibility.BACKWARD, previous, next).stream().sorted().toList());
    }

    @Test
    void aChangedKeywordItCannotReasonAboutIsReportedRatherThanPassed() {
        String previous =
                "{\"properties\":{\"code\":{\"type\":\"string\",\"pattern\":\"^[A-Z]+$\"}}}";
        String next =
                "{\"properties\":{\"code\":{\"type\":\"string\",\"pattern\":\"^[A-Z]{3}$\"}}}";
        List<SchemaBreak> found = Compatibility.BACKWARD.check(json(previous), json(next));
        assertEquals(1, found.size());
        assertTrue(found.get(0).message().contains("pattern"), found.toString());
    }
}
