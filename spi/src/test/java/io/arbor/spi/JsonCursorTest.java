package io.arbor.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonCursorTest {
    private static final JsonCursor.Wording WORDING =
            new JsonCursor.Wording(
                    "escape cut short",
                    "\\u cut short",
                    "\\u not hex",
                    " wanted",
                    "no value",
                    "no name");

    private static JsonCursor strict(String text) {
        return new JsonCursor(
                text,
                new JsonCursor.Dialect(
                        JsonCursor.Grammar.RFC_8259,
                        WORDING,
                        (at, what) -> new IllegalArgumentException(at + ": " + what)));
    }

    private static JsonCursor lenient(String text) {
        return new JsonCursor(
                text,
                new JsonCursor.Dialect(
                        JsonCursor.Grammar.LENIENT,
                        WORDING,
                        (at, what) -> new IllegalArgumentException("lenient " + at + ": " + what)));
    }

    /** The message of the error that reading a string from the start of {@code text} makes. */
    private static String stringError(JsonCursor cursor) {
        return assertThrows(IllegalArgumentException.class, cursor::readString).getMessage();
    }

    @Test
    void everyEscapeIsDecodedAndTheCursorStopsAfterTheClosingQuote() {
        String text = "\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u0041\\u00e9\\u00E9 🌳\",";
        for (JsonCursor cursor : new JsonCursor[] {strict(text), lenient(text)}) {
            assertEquals("q\" b\\ s/ \b\f\n\r\t Aéé 🌳", cursor.readString());
            assertEquals(text.length() - 1, cursor.position());
            assertEquals(',', cursor.peek());
        }
    }

    @Test
    void aSurrogatePairWrittenAsTwoEscapesIsThatPairAndALoneSurrogateIsKept() {
        assertEquals("\uD83D\uDE00", strict("\"\\uD83D\\ude00\"").readString());
        assertEquals("😀", lenient("\"\\ud83d\\uDE00\"").readString());
        assertEquals("a\uD83D", strict("\"a\\uD83D\"").readString());
        assertEquals("\uDE00b", strict("\"\uDE00b\"").readString());
    }

    @Test
    void rfc8259RefusesAControlCharacterInsideAStringAndLenientKeepsIt() {
        // reported just past the character, as EventHash always has
        assertEquals("4: a control character inside a string", stringError(strict("\"ab\u0001\"")));
        assertEquals("3: a control character inside a string", stringError(strict("\"a\n\"")));
        assertEquals("a\u0000\u001f\n", lenient("\"a\u0000\u001f\n\"").readString());
        assertEquals("\u007f", strict("\"\u007f\"").readString());
    }

    @Test
    void anUnclosedStringOrACutShortEscapeIsRefused() {
        assertEquals("4: a string is not closed", stringError(strict("\"abc")));
        assertEquals("lenient 1: a string is not closed", stringError(lenient("\"")));
        assertEquals("3: escape cut short", stringError(strict("\"a\\")));
        assertEquals("3: \\u cut short", stringError(strict("\"\\u12\"")));
        assertEquals("lenient 3: \\u cut short", stringError(lenient("\"\\u1")));
        assertEquals("3: an unknown escape \\x", stringError(strict("\"\\x\"")));
        assertEquals("lenient 3: an unknown escape \\'", stringError(lenient("\"\\'\"")));
        assertEquals("0: '\"' wanted", stringError(strict("abc")));
    }

    @Test
    void aBadUnicodeEscapeIsReportedAfterTheBadDigitInRfc8259AndAtTheFirstDigitInLenient() {
        assertEquals("6: \\u not hex", stringError(strict("\"\\u00G1\"")));
        assertEquals("lenient 3: \\u not hex", stringError(lenient("\"\\u00G1\"")));
        assertEquals("4: \\u not hex", stringError(strict("\"\\u+041\"")));
    }

    @Test
    void lenientReadsAUnicodeEscapeAsIntegerParseIntDoesWithASign() {
        assertEquals("A", lenient("\"\\u+041\"").readString());
        assertEquals("\uFFFF", lenient("\"\\u-001\"").readString());
    }

    @Test
    void rfc8259NumbersAreReadAsWrittenAndStopWhereTheGrammarDoes() {
        for (String number : new String[] {"0", "-0", "7", "-12.50", "1e5", "1E-7", "12.5e+3"}) {
            JsonCursor cursor = strict(number + "]");
            assertEquals(number, cursor.readNumber());
            assertEquals(']', cursor.peek());
        }
        JsonCursor leadingZero = strict("01");
        assertEquals("0", leadingZero.readNumber());
        assertEquals(1, leadingZero.position());
    }

    @Test
    void anRfc8259NumberWithoutItsDigitsIsRefusedWhereTheDigitIsMissing() {
        assertEquals("1: no value", numberError(strict("-x")));
        assertEquals("0: no value", numberError(strict("+1")));
        assertEquals("0: no value", numberError(strict(".5")));
        assertEquals("2: a fraction needs digits", numberError(strict("1.e5")));
        assertEquals("2: an exponent needs digits", numberError(strict("1e")));
        assertEquals("3: an exponent needs digits", numberError(strict("1e+")));
    }

    @Test
    void aLenientNumberIsTheLongestRunOfNumberCharacters() {
        JsonCursor cursor = lenient("+01.e-E5.x");
        assertEquals("+01.e-E5.", cursor.readNumber());
        assertEquals('x', cursor.peek());
        assertEquals("lenient 0: no value", numberError(lenient("x1")));
    }

    private static String numberError(JsonCursor cursor) {
        return assertThrows(IllegalArgumentException.class, cursor::readNumber).getMessage();
    }

    @Test
    void literalsAreReadWholeOrRefusedWithTheCursorWhereItWas() {
        for (String literal : new String[] {"true", "false", "null"}) {
            JsonCursor cursor = strict(literal + ",");
            assertEquals(literal, cursor.readLiteral());
            assertEquals(literal.length(), cursor.position());
        }
        JsonCursor cut = strict(" tru");
        cut.skipWhitespace();
        assertEquals(
                "1: no value",
                assertThrows(IllegalArgumentException.class, cut::readLiteral).getMessage());
        assertEquals(1, cut.position());
        assertEquals(
                "lenient 0: no value",
                assertThrows(IllegalArgumentException.class, lenient("nil")::readLiteral)
                        .getMessage());
        assertThrows(IllegalArgumentException.class, strict("x")::readLiteral);
    }

    @Test
    void punctuationWhitespaceAndTheEnd() {
        JsonCursor cursor = strict(" \t\n\r{ :\f");
        assertEquals(0, cursor.position());
        cursor.skipWhitespace();
        assertEquals(4, cursor.position());
        assertFalse(cursor.skip('['));
        assertTrue(cursor.skip('{'));
        cursor.skipWhitespace();
        cursor.expect(':');
        cursor.skipWhitespace(); // a form feed is not JSON whitespace
        assertEquals('\f', cursor.peek());
        assertEquals(
                "7: '}' wanted",
                assertThrows(IllegalArgumentException.class, () -> cursor.expect('}'))
                        .getMessage());
        assertFalse(cursor.atEnd());
        assertTrue(cursor.skip('\f'));
        assertTrue(cursor.atEnd());
        assertEquals(-1, cursor.peek());
        assertEquals("8: done", cursor.error("done").getMessage());
    }

    /**
     * Prints strings as <s>, numbers as #text, elements with "; " between them and an object as its
     * members in the text's order; a member named "bad" is refused.
     */
    private static final JsonCursor.Printer TEST_PRINTER =
            new JsonCursor.Printer(
                    (value, out) -> out.append('<').append(value).append('>'),
                    (text, cursor, out) -> {
                        if (text.equals("13")) {
                            throw cursor.error("unlucky");
                        }
                        out.append('#').append(text);
                    },
                    "; ",
                    () -> {
                        List<String> members = new ArrayList<>();
                        return new JsonCursor.Members() {
                            @Override
                            public void add(String name, String printedValue, JsonCursor cursor) {
                                if (name.equals("bad")) {
                                    throw cursor.error("a bad name");
                                }
                                members.add(name + "=" + printedValue);
                            }

                            @Override
                            public void print(StringBuilder out) {
                                out.append('(').append(String.join(" ", members)).append(')');
                            }
                        };
                    });

    private static String print(JsonCursor cursor) {
        StringBuilder out = new StringBuilder();
        cursor.readValue(TEST_PRINTER, out);
        return out.toString();
    }

    private static String printError(JsonCursor cursor) {
        return assertThrows(IllegalArgumentException.class, () -> print(cursor)).getMessage();
    }

    @Test
    void aWholeValueIsReadByRecursionAndPrintedByThePrinter() {
        JsonCursor cursor =
                strict(" { \"b\" : [1, -2.5e3 ,\"x\\n\", true,[], {}], \"a\":{\"c\":null} } ,");
        assertEquals("(b=[#1; #-2.5e3; <x\n>; true; []; ()] a=(c=null))", print(cursor));
        assertEquals(' ', cursor.peek());
        assertEquals("[]", print(strict("[ ]")));
        assertEquals("()", print(strict("{\t}")));
        assertEquals("<s>", print(strict("\"s\"")));
    }

    @Test
    void aValueReadWholeRefusesWhatIsNotOneValueWhereItIsFound() {
        assertEquals("3: a value is missing", printError(strict("[1,")));
        assertEquals("1: a value is missing", printError(strict(" ")));
        assertEquals("lenient 1: no name", printError(lenient("{1:2}")));
        assertEquals("2: no name", printError(strict("{ ")));
        assertEquals("5: ':' wanted", printError(strict("{\"a\" 1}")));
        assertEquals("6: '}' wanted", printError(strict("{\"a\":1]")));
        assertEquals("3: ']' wanted", printError(strict("[1 2]")));
        assertEquals("1: no value", printError(strict("[x]")));
        assertEquals("lenient 1: no value", printError(lenient("[tru]")));
    }

    @Test
    void thePrinterRefusesAtThePositionJustPastWhatItRefuses() {
        assertEquals("3: unlucky", printError(strict("[13, 1]")));
        assertEquals("10: a bad name", printError(strict("{\"bad\": [] , \"ok\": 1}")));
    }
}
