package io.arbor.domain.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
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

    private static final String MONEY_V1 =
            "{\"$defs\":{\"Money\":{\"type\":\"object\",\"required\":[\"amount\"],"
                    + "\"properties\":{\"amount\":{\"type\":\"string\"}}}},"
                    + "\"type\":\"object\",\"required\":[\"price\"],"
                    + "\"properties\":{\"price\":{\"$ref\":\"#/$defs/Money\"},"
                    + "\"fee\":{\"$ref\":\"#/$defs/Money\"}}}";

    private static String moneyWith(String from, String to) {
        String replaced = MONEY_V1.replace(from, to);
        if (replaced.equals(MONEY_V1)) {
            throw new IllegalArgumentException("no change: " + from);
        }
        return replaced;
    }

    @Test
    void aDefsTypeNarrowedBehindAnUnchangedRefBreaksBackward() {
        String next =
                moneyWith("\"amount\":{\"type\":\"string\"}", "\"amount\":{\"type\":\"integer\"}");
        assertEquals(
                List.of("/fee/amount", "/price/amount"),
                breaks(Compatibility.BACKWARD, MONEY_V1, next).stream().sorted().toList());
        assertEquals(
                List.of("/fee/amount", "/price/amount"),
                breaks(Compatibility.FORWARD, MONEY_V1, next).stream().sorted().toList());
        assertEquals(List.of(), breaks(Compatibility.NONE, MONEY_V1, next));
    }

    @Test
    void theOlderDefinitionsContainerIsResolvedToo() {
        String previous = MONEY_V1.replace("$defs", "definitions");
        String wider =
                previous.replace("{\"type\":\"string\"}", "{\"type\":[\"string\",\"null\"]}");
        assertEquals(List.of(), breaks(Compatibility.BACKWARD, previous, wider));
        String narrowed = previous.replace("{\"type\":\"string\"}", "{\"type\":\"integer\"}");
        assertEquals(
                List.of("/fee/amount", "/price/amount"),
                breaks(Compatibility.BACKWARD, previous, narrowed).stream().sorted().toList());
    }

    @Test
    void aCompatibleChangeBehindARefIsAccepted() {
        String next =
                moneyWith(
                        "\"properties\":{\"amount\":{\"type\":\"string\"}}",
                        "\"properties\":{\"amount\":{\"type\":\"string\"},"
                                + "\"currency\":{\"type\":\"string\"}}");
        assertEquals(List.of(), breaks(Compatibility.BACKWARD, MONEY_V1, next));
        assertEquals(List.of(), breaks(Compatibility.FULL, MONEY_V1, next));
        // A new required field behind the $ref breaks as it would inline.
        String required =
                moneyWith("\"required\":[\"amount\"]", "\"required\":[\"amount\",\"currency\"]");
        assertEquals(
                List.of("/fee/currency", "/price/currency"),
                breaks(Compatibility.BACKWARD, MONEY_V1, required).stream().sorted().toList());
    }

    @Test
    void aRefAndTheSchemaItPointsAtAreInterchangeable() {
        String inline =
                "{\"type\":\"object\",\"required\":[\"price\"],\"properties\":{"
                        + "\"price\":{\"type\":\"object\",\"required\":[\"amount\"],"
                        + "\"properties\":{\"amount\":{\"type\":\"string\"}}},"
                        + "\"fee\":{\"type\":\"object\",\"required\":[\"amount\"],"
                        + "\"properties\":{\"amount\":{\"type\":\"string\"}}}}}";
        assertEquals(List.of(), breaks(Compatibility.FULL, MONEY_V1, inline));
        assertEquals(List.of(), breaks(Compatibility.FULL, inline, MONEY_V1));
    }

    @Test
    void aRefIsComparedWithItsSiblingKeywords() {
        String previous =
                "{\"$defs\":{\"Amount\":{\"type\":\"integer\"}},"
                        + "\"properties\":{\"amount\":{\"$ref\":\"#/$defs/Amount\",\"minimum\":1},"
                        + "\"note\":{\"type\":\"string\"}}}";
        String unrelated = previous.replace("\"note\":{\"type\":\"string\"}", "\"note\":{}");
        assertEquals(List.of(), breaks(Compatibility.BACKWARD, previous, unrelated));
        String tighter = previous.replace("\"minimum\":1", "\"minimum\":5");
        assertEquals(List.of("/amount"), breaks(Compatibility.BACKWARD, previous, tighter));
        assertEquals(List.of(), breaks(Compatibility.FORWARD, previous, tighter));
    }

    @Test
    void aRefHiddenInAKeywordComparedAsTextIsStillFollowed() {
        String previous =
                "{\"$defs\":{\"Code\":{\"type\":\"string\"}},"
                        + "\"properties\":{\"code\":{\"anyOf\":[{\"$ref\":\"#/$defs/Code\"},"
                        + "{\"type\":\"null\"}]}}}";
        String next = previous.replace("{\"type\":\"string\"}", "{\"type\":\"integer\"}");
        assertEquals(List.of("/code"), breaks(Compatibility.BACKWARD, previous, next));
    }

    private static final String TREE_V1 =
            "{\"$defs\":{\"Node\":{\"type\":\"object\",\"required\":[\"name\"],"
                    + "\"properties\":{\"name\":{\"type\":\"string\"},"
                    + "\"children\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/Node\"}}}}},"
                    + "\"type\":\"object\",\"properties\":{\"root\":{\"$ref\":\"#/$defs/Node\"}}}";

    @Test
    void aRecursiveRefIsComparedWithoutLooping() {
        assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> {
                    String added =
                            TREE_V1.replace(
                                    "\"name\":{\"type\":\"string\"},",
                                    "\"name\":{\"type\":\"string\"},\"tag\":{\"type\":\"string\"},");
                    for (Compatibility mode : Compatibility.values()) {
                        assertEquals(List.of(), breaks(mode, TREE_V1, added), mode.name());
                    }
                    String narrowed =
                            TREE_V1.replace(
                                    "\"name\":{\"type\":\"string\"}",
                                    "\"name\":{\"type\":\"string\",\"maxLength\":3}");
                    assertEquals(
                            List.of("/root/name"),
                            breaks(Compatibility.BACKWARD, TREE_V1, narrowed));
                    // The recursive definition renamed: the same tree.
                    String renamed =
                            TREE_V1.replace("/Node", "/TreeNode")
                                    .replace("\"Node\"", "\"TreeNode\"");
                    assertEquals(List.of(), breaks(Compatibility.FULL, TREE_V1, renamed));
                    // The root itself, recursively; against a writer that never recurs.
                    String list = "{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}";
                    String bounded =
                            "{\"type\":\"array\",\"maxItems\":3,\"items\":{\"$ref\":\"#\"}}";
                    assertEquals(List.of(""), breaks(Compatibility.BACKWARD, list, bounded));
                    assertEquals(
                            List.of("/*"),
                            breaks(Compatibility.BACKWARD, "{\"type\":\"array\"}", list));
                    assertEquals(
                            List.of(),
                            breaks(Compatibility.BACKWARD, list, "{\"type\":\"array\"}"));
                });
    }

    @Test
    void aChangedIdBreaksEveryModeButNone() {
        String withId = "{\"$id\":\"urn:arbor:deposited\"," + V1.substring(1);
        String otherId = withId.replace("urn:arbor:deposited", "urn:arbor:deposited:2");
        for (Compatibility mode : List.of(Compatibility.BACKWARD, Compatibility.FORWARD)) {
            assertEquals(List.of(""), breaks(mode, withId, otherId), mode.name());
            assertEquals(List.of(""), breaks(mode, V1, withId), mode.name());
            assertEquals(List.of(""), breaks(mode, withId, V1), mode.name());
        }
        assertEquals(List.of(), breaks(Compatibility.NONE, withId, otherId));
        String addedField = withId.replace("\"kind\":", "\"note\":{\"type\":\"string\"},\"kind\":");
        assertEquals(List.of(), breaks(Compatibility.FULL, withId, addedField));
    }

    @Test
    void aRefArborCannotResolveIsReportedRatherThanPassed() {
        // A nested $id starts another base for the "#…" inside it, which Arbor does not follow:
        // an unchanged "$ref" text there proves nothing about what it points at.
        String previous =
                "{\"$defs\":{\"A\":{\"$id\":\"urn:a\",\"type\":\"string\"}},"
                        + "\"properties\":{\"a\":{\"$ref\":\"#/$defs/A\"},"
                        + "\"b\":{\"type\":\"string\"}}}";
        String next = previous.replace("\"b\":{\"type\":\"string\"}", "\"b\":{}");
        List<SchemaBreak> found = Compatibility.BACKWARD.check(json(previous), json(next));
        assertEquals(List.of("/a"), found.stream().map(SchemaBreak::pointer).toList());
        assertTrue(found.get(0).message().contains("cannot be resolved"), found.toString());
        assertEquals(List.of(), breaks(Compatibility.FULL, previous, previous));
    }

    @Test
    void anAnchorIsResolvedLikeAPointer() {
        String previous =
                "{\"$defs\":{\"m\":{\"$anchor\":\"money\",\"type\":\"string\"}},"
                        + "\"properties\":{\"price\":{\"$ref\":\"#money\"}}}";
        String next = previous.replace("\"type\":\"string\"", "\"type\":\"integer\"");
        assertEquals(List.of("/price"), breaks(Compatibility.BACKWARD, previous, next));
    }
}
