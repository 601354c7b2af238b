package io.arbor.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AppendRetryTest {
    private static final StreamId STREAM = StreamId.of("account-1");
    private static final UUID A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID B = UUID.fromString("00000000-0000-0000-0000-00000000000b");
    private static final String ADA = "{\"owner\":\"ada\",\"n\":100}";

    /** As jsonb gives it back: members reordered, whitespace gone, 1e2 written 100. */
    private static final List<RecordedEvent> STORED =
            List.of(
                    stored(A, 1, "Opened", "{\"n\": 100, \"owner\": \"ada\"}"),
                    stored(B, 2, "Deposited", "{\"amount\": 10}"));

    private static RecordedEvent stored(UUID id, long version, String type, String data) {
        return new RecordedEvent(
                id,
                STREAM,
                version,
                40 + version,
                type,
                1,
                data,
                "{}",
                List.of(),
                Instant.EPOCH,
                null);
    }

    private static NewEvent event(UUID id, String type, String data) {
        return new NewEvent(id, type, 1, data, null);
    }

    private static DuplicateEventIdException refused(
            StreamId stream, ExpectedVersion expected, List<NewEvent> batch) {
        return assertThrows(
                DuplicateEventIdException.class,
                () -> AppendRetry.replay(stream, expected, batch, STORED),
                batch + " " + expected);
    }

    @Test
    void theSameEventsAgainAreARetryEvenWhenTheStoredJsonIsSpelledDifferently() {
        AppendResult replayed =
                AppendRetry.replay(
                        STREAM,
                        ExpectedVersion.NO_STREAM,
                        List.of(
                                event(A, "Opened", "{\"owner\":\"ada\",\"n\":1e2}"),
                                event(B, "Deposited", "{\"amount\":10.0}")),
                        STORED);
        assertTrue(replayed.replayed());
        assertEquals(1, replayed.fromVersion());
        assertEquals(2, replayed.toVersion());
        assertEquals(41, replayed.fromPosition());
    }

    @Test
    void aReusedIdWithOtherContentIsADuplicateNamingThatId() {
        for (NewEvent hacked :
                List.of(
                        event(A, "Hacked", ADA),
                        event(A, "Opened", "{\"owner\":\"mallory\",\"n\":100}"),
                        new NewEvent(A, "Opened", 1, ADA, "{\"x\":1}"),
                        new NewEvent(A, "Opened", 2, ADA, null))) {
            for (ExpectedVersion expected :
                    List.of(
                            ExpectedVersion.ANY,
                            ExpectedVersion.NO_STREAM,
                            ExpectedVersion.exactly(0))) {
                assertEquals(A, refused(STREAM, expected, List.of(hacked)).eventId());
            }
        }
    }

    @Test
    void theFirstDifferingEventIsTheOneNamed() {
        List<NewEvent> batch =
                List.of(event(A, "Opened", ADA), event(B, "Deposited", "{\"amount\":11}"));
        assertEquals(B, refused(STREAM, ExpectedVersion.ANY, batch).eventId());
    }

    @Test
    void aRequestThatAddsNewEventsOrReordersOrMovesStoredOnesIsNoRetry() {
        NewEvent opened = event(A, "Opened", ADA);
        NewEvent deposited = event(B, "Deposited", "{\"amount\":10}");
        refused(
                STREAM,
                ExpectedVersion.ANY,
                List.of(opened, event(UUID.randomUUID(), "Deposited", "{\"amount\":10}")));
        refused(STREAM, ExpectedVersion.ANY, List.of(deposited, opened));
        refused(StreamId.of("account-2"), ExpectedVersion.ANY, List.of(opened));
    }

    @Test
    void aRetryWhoseExpectedVersionDidNotHoldWhereItsEventsLandedIsADuplicate() {
        refused(
                STREAM,
                ExpectedVersion.NO_STREAM,
                List.of(event(B, "Deposited", "{\"amount\":10}")));
    }
}
