package io.arbor.spi;

import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A position in a JSON text and the reading of its tokens, for the hand-written recursive-descent
 * readers that print a JSON value again in some fixed form ({@link EventHash}'s canonical JSON, the
 * archive's copy of PostgreSQL's {@code jsonb} text). It reads whitespace, punctuation, a string
 * (its escapes decoded), a number's text and the literals {@code true}, {@code false} and {@code
 * null}; and with {@link #readValue} a whole value, objects and arrays by recursion, handing what
 * it reads to the caller's {@link Printer}. What is printed (strings, numbers, separators) and what
 * becomes of an object's members (their order, a name given twice) are the caller's. Plain JDK, no
 * JSON library, so it reads exactly the text it is given.
 *
 * <p>What it accepts and how its errors read is a {@link Dialect}: a {@link Grammar} (RFC 8259, or
 * the lenient one whose extra acceptances are listed at {@link Grammar#LENIENT}), the {@link
 * Wording} of the errors that differ between its callers, and the {@link Errors} that make the
 * exception. Every error is an {@link IllegalArgumentException} made at the cursor's {@link
 * #position() position} as it stands when the problem is found.
 *
 * <p>Whitespace is the four characters RFC 8259 allows: space, tab, line feed, carriage return. A
 * string's {@code \\u} escape gives one UTF-16 code unit as it stands: a surrogate pair written as
 * two escapes reads as that pair, and a lone surrogate (escaped or not) is kept, for the caller to
 * refuse or print. Not thread-safe: one cursor for one reading.
 */
public final class JsonCursor {
    private final String text;
    private final Dialect dialect;
    private int at;

    /** A cursor at the start of {@code text}. */
    public JsonCursor(String text, Dialect dialect) {
        this.text = text;
        this.dialect = dialect;
    }

    /** What a reading accepts beyond RFC 8259, if anything. */
    public enum Grammar {
        /**
         * RFC 8259: a control character (below U+0020) inside a string is refused; a {@code \\u}
         * escape takes four characters that are each a hex digit to {@link Character#digit(char,
         * int)} (radix 16), an error being made just after the first that is not; a number is
         * {@code -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?}.
         */
        RFC_8259,
        /**
         * RFC 8259's strings and numbers and some text that is not JSON: a control character inside
         * a string is taken as it is; a {@code \\u} escape's four characters are read as {@link
         * Integer#parseInt(String, int) Integer.parseInt(…, 16)} reads them, so a leading {@code +}
         * or {@code -} is taken too ({@code \\u-001} gives U+FFFF), an error being made at the
         * first of the four; a number is the longest run of {@code + - 0-9 . e E}, one character at
         * least, which the caller checks (for instance with {@link
         * java.math.BigDecimal#BigDecimal(String)}).
         */
        LENIENT
    }

    /**
     * The text of the errors that its callers word differently; the others read the same for all:
     * {@code a value is missing}, {@code a string is not closed}, {@code a control character inside
     * a string}, {@code an unknown escape \x}, {@code a fraction needs digits}, {@code an exponent
     * needs digits}.
     *
     * @param escapeCutShort the text ends just after a backslash inside a string
     * @param unicodeEscapeCutShort fewer than four characters are left after {@code \\u}
     * @param unicodeEscapeNotHex the four characters after {@code \\u} are not hex
     * @param expected follows the quoted character that {@link #expect} did not find: {@code " is
     *     expected"} makes {@code ':' is expected}
     * @param notAValue no literal and no number stands where one of them was to be read
     * @param nameMissing no string stands where {@link #readValue} reads an object's member name
     */
    public record Wording(
            String escapeCutShort,
            String unicodeEscapeCutShort,
            String unicodeEscapeNotHex,
            String expected,
            String notAValue,
            String nameMissing) {}

    /** Makes the exception for a problem found at a position (the count of characters before). */
    @FunctionalInterface
    public interface Errors {
        IllegalArgumentException at(int position, String what);
    }

    /** What a cursor accepts and how its errors read. */
    public record Dialect(Grammar grammar, Wording wording, Errors errors) {}

    /**
     * How {@link #readValue} prints what it reads. A literal is printed as it stands.
     *
     * @param string appends a string, given its value (escapes decoded)
     * @param number appends a number, given its text as the grammar read it
     * @param elementSeparator what stands between two printed elements of an array
     * @param members gives the members of a new object, empty, to be given each one as it is read
     */
    public record Printer(
            BiConsumer<String, StringBuilder> string,
            NumberPrinter number,
            String elementSeparator,
            Supplier<Members> members) {}

    /** Appends a number; the cursor stands just past it, for {@link #error} if it is refused. */
    @FunctionalInterface
    public interface NumberPrinter {
        void print(String text, JsonCursor cursor, StringBuilder out);
    }

    /** An object's members as {@link #readValue} reads them, and the object's printing. */
    public interface Members {
        /**
         * Takes one member, its value already printed, in the order of the text; {@code cursor}
         * stands just past the value, for {@link JsonCursor#error} if the caller refuses it.
         */
        void add(String name, String printedValue, JsonCursor cursor);

        /** Appends the object, once its closing brace has been read. */
        void print(StringBuilder out);
    }

    /**
     * Reads the value at the cursor (whitespace before it skipped, none after it) and appends it as
     * {@code printer} prints it: an array's elements in the text's order, an object as its {@link
     * Members} print it. Nesting is read by recursion, as deep as the text nests.
     */
    public void readValue(Printer printer, StringBuilder out) {
        skipWhitespace();
        if (atEnd()) {
            throw error("a value is missing");
        }
        switch (peek()) {
            case '{' -> readObject(printer, out);
            case '[' -> readArray(printer, out);
            case '"' -> printer.string().accept(readString(), out);
            case 't', 'f', 'n' -> out.append(readLiteral());
            default -> printer.number().print(readNumber(), this, out);
        }
    }

    private void readObject(Printer printer, StringBuilder out) {
        expect('{');
        Members members = printer.members().get();
        skipWhitespace();
        if (!skip('}')) {
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw error(dialect.wording().nameMissing());
                }
                String name = readString();
                skipWhitespace();
                expect(':');
                StringBuilder value = new StringBuilder();
                readValue(printer, value);
                members.add(name, value.toString(), this);
                skipWhitespace();
                if (!skip(',')) {
                    expect('}');
                    break;
                }
            }
        }
        members.print(out);
    }

    private void readArray(Printer printer, StringBuilder out) {
        expect('[');
        out.append('[');
        skipWhitespace();
        if (!skip(']')) {
            while (true) {
                readValue(printer, out);
                skipWhitespace();
                if (!skip(',')) {
                    expect(']');
                    break;
                }
                out.append(printer.elementSeparator());
            }
        }
        out.append(']');
    }

    /** How many characters of the text are behind the cursor. */
    public int position() {
        return at;
    }

    /** Whether the cursor is past the text's last character. */
    public boolean atEnd() {
        return at >= text.length();
    }

    /** The character at the cursor, or -1 at the end of the text; the cursor does not move. */
    public int peek() {
        return at < text.length() ? text.charAt(at) : -1;
    }

    /** Moves past {@code c} if it is the character at the cursor, and says whether it did. */
    public boolean skip(char c) {
        if (peek() != c) {
            return false;
        }
        at++;
        return true;
    }

    /** Moves past {@code c}, the character at the cursor, or makes an error if it is not there. */
    public void expect(char c) {
        if (!skip(c)) {
            throw error("'" + c + "'" + dialect.wording().expected());
        }
    }

    /** Moves past any space, tab, line feed and carriage return at the cursor. */
    public void skipWhitespace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }

    /**
     * Reads the string at the cursor, from its opening quote to past its closing one, and gives its
     * value: the escapes {@code \" \\ \/ \b \f \n \r \t} and {@code \\u} followed by four hex
     * digits decoded, everything else as it stands.
     */
    public String readString() {
        expect('"');
        StringBuilder value = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw error("a string is not closed");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return value.toString();
            }
            if (c < 0x20 && dialect.grammar() == Grammar.RFC_8259) {
                throw error("a control character inside a string");
            }
            if (c != '\\') {
                value.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw error(dialect.wording().escapeCutShort());
            }
            char escaped = text.charAt(at++);
            switch (escaped) {
                case '"', '\\', '/' -> value.append(escaped);
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case 't' -> value.append('\t');
                case 'u' -> value.append(unicodeEscape());
                default -> throw error("an unknown escape \\" + escaped);
            }
        }
    }

    /** The code unit of the four characters after a {@code \\u}, the cursor moved past them. */
    private char unicodeEscape() {
        if (at + 4 > text.length()) {
            throw error(dialect.wording().unicodeEscapeCutShort());
        }
        if (dialect.grammar() == Grammar.LENIENT) {
            char code;
            try {
                code = (char) Integer.parseInt(text.substring(at, at + 4), 16);
            } catch (NumberFormatException notHex) {
                throw error(dialect.wording().unicodeEscapeNotHex());
            }
            at += 4;
            return code;
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(at++), 16);
            if (digit < 0) {
                throw error(dialect.wording().unicodeEscapeNotHex());
            }
            code = code << 4 | digit;
        }
        return (char) code;
    }

    /**
     * Reads the number at the cursor, as its {@link Grammar} has numbers, and gives its text as
     * written; the caller makes a value of it.
     */
    public String readNumber() {
        int start = at;
        if (dialect.grammar() == Grammar.LENIENT) {
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            if (start == at) {
                throw error(dialect.wording().notAValue());
            }
            return text.substring(start, at);
        }
        skip('-');
        if (!skip('0')) {
            if (!isDigit(peek())) {
                throw error(dialect.wording().notAValue());
            }
            digits();
        }
        if (skip('.')) {
            if (!isDigit(peek())) {
                throw error("a fraction needs digits");
            }
            digits();
        }
        if (skip('e') || skip('E')) {
            if (!skip('+')) {
                skip('-');
            }
            if (!isDigit(peek())) {
                throw error("an exponent needs digits");
            }
            digits();
        }
        return text.substring(start, at);
    }

    private void digits() {
        while (isDigit(peek())) {
            at++;
        }
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Reads the literal that starts with the character at the cursor ({@code t}, {@code f} or
     * {@code n}) and gives it: {@code true}, {@code false} or {@code null}; an error, the cursor
     * not moved, if the text there is not all of it.
     */
    public String readLiteral() {
        String word =
                switch (peek()) {
                    case 't' -> "true";
                    case 'f' -> "false";
                    case 'n' -> "null";
                    default -> throw error(dialect.wording().notAValue());
                };
        if (!text.startsWith(word, at)) {
            throw error(dialect.wording().notAValue());
        }
        at += word.length();
        return word;
    }

    /** The dialect's exception for {@code what}, at the cursor's position. */
    public IllegalArgumentException error(String what) {
        return dialect.errors().at(at, what);
    }
}
