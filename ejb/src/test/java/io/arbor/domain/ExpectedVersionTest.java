package io.arbor.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExpectedVersionTest {

    @Test
    void anyIsMetByEveryVersion() {
        assertTrue(ExpectedVersion.ANY.isMetBy(0));
        assertTrue(ExpectedVersion.ANY.isMetBy(7));
    }

    @Test
    void noStreamIsMetOnlyByAMissingStream() {
        assertTrue(ExpectedVersion.NO_STREAM.isMetBy(0));
        assertFalse(ExpectedVersion.NO_STREAM.isMetBy(1));
    }

    @Test
    void streamExistsIsMetByAnyExistingStream() {
        assertFalse(ExpectedVersion.STREAM_EXISTS.isMetBy(0));
        assertTrue(ExpectedVersion.STREAM_EXISTS.isMetBy(3));
    }

    @Test
    void exactIsMetOnlyByThatVersionAndZeroMeansNoStream() {
        assertTrue(ExpectedVersion.exactly(3).isMetBy(3));
        assertFalse(ExpectedVersion.exactly(3).isMetBy(4));
        assertTrue(ExpectedVersion.exactly(0).isMetBy(0));
        assertFalse(ExpectedVersion.exactly(0).isMetBy(1));
    }

    @Test
    void keywordsParseAndUnknownOnesAreRejected() {
        assertEquals(ExpectedVersion.ANY, ExpectedVersion.ofKeyword("any"));
        assertEquals(ExpectedVersion.NO_STREAM, ExpectedVersion.ofKeyword("no_stream"));
        assertEquals(ExpectedVersion.STREAM_EXISTS, ExpectedVersion.ofKeyword("stream_exists"));
        assertThrows(InvalidInputException.class, () -> ExpectedVersion.ofKeyword("latest"));
        assertThrows(InvalidInputException.class, () -> ExpectedVersion.exactly(-1));
    }

    @Test
    void checkRefusesAnUnmetExpectationWithTheStreamsHead() {
        StreamId stream = StreamId.of("account-1");
        ExpectedVersion.exactly(3).check(stream, 3);
        WrongExpectedVersionException refused =
                assertThrows(
                        WrongExpectedVersionException.class,
                        () -> ExpectedVersion.exactly(3).check(stream, 5));
        assertEquals(5, refused.actual());
        assertEquals(ExpectedVersion.exactly(3), refused.expected());
        assertThrows(
                WrongExpectedVersionException.class,
                () -> ExpectedVersion.STREAM_EXISTS.check(stream, 0));
    }

    @Test
    void onlyExactAndNoStreamArePrecise() {
        assertTrue(ExpectedVersion.exactly(2).isPrecise());
        assertTrue(ExpectedVersion.NO_STREAM.isPrecise());
        assertFalse(ExpectedVersion.ANY.isPrecise());
        assertFalse(ExpectedVersion.STREAM_EXISTS.isPrecise());
    }

    @Test
    void jsonValueIsTheNumberOrTheKeyword() {
        assertEquals(5L, ExpectedVersion.exactly(5).asJsonValue());
        assertEquals("no_stream", ExpectedVersion.NO_STREAM.asJsonValue());
    }
}
