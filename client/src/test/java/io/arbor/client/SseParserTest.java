package io.arbor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Server-Sent Events framing, as the HTML specification's event stream interpretation says. */
class SseParserTest {
    private static List<SseParser.Frame> parse(String text) throws IOException {
        SseParser parser = new SseParser(new BufferedReader(new StringReader(text)));
        List<SseParser.Frame> frames = new ArrayList<>();
        for (SseParser.Frame f = parser.next(); f != null; f = parser.next()) {
            frames.add(f);
        }
        return frames;
    }

    @Test
    void multiLineDataJoinsWithLineFeedsAndKeepsItsIdAndName() throws IOException {
        assertEquals(
                List.of(new SseParser.Frame("12", "event", "{\"a\":\n1}\n", null)),
                parse("id: 12\nevent: event\ndata: {\"a\":\ndata:1}\ndata\n\n"));
    }

    @Test
    void commentsAreReturnedAtOnceWithoutDisturbingTheFrameAroundThem() throws IOException {
        assertEquals(
                List.of(
                        new SseParser.Frame(null, null, null, "heartbeat"),
                        new SseParser.Frame(null, null, null, ""),
                        new SseParser.Frame("3", "checkpoint", "{\"position\":3}", null)),
                parse(": heartbeat\n\nid: 3\n:\nevent: checkpoint\ndata: {\"position\":3}\n\n"));
    }

    @Test
    void everyLineEndingCountsAndOnlyOneSpaceAfterTheColonIsDropped() throws IOException {
        assertEquals(
                List.of(
                        new SseParser.Frame("1", "message", " two spaces", null),
                        new SseParser.Frame("2", "x", "y", null)),
                parse("\uFEFFid:1\r\ndata:  two spaces\r\n\r\nid: 2\revent:x\rdata:y\r\r"));
    }

    @Test
    void idsWithNulAndUnknownFieldsAreIgnoredAndAnEmptyNameIsMessage() throws IOException {
        assertEquals(
                List.of(new SseParser.Frame(null, "message", "d", null)),
                parse("id: 1\u00002\nretry: 10\nevent:\nfoo: bar\ndata: d\n\n"));
    }

    @Test
    void blankLinesAloneAndAFrameCutOffByTheEndAreNoFrames() throws IOException {
        assertEquals(List.of(), parse("\n\n\n"));
        SseParser parser =
                new SseParser(new BufferedReader(new StringReader("id: 9\ndata: cut off")));
        assertNull(parser.next());
    }
}
